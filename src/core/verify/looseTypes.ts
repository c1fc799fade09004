/**
 * Loosening is not fixing either: a fix that adds an explicit `any` anywhere (`type Loose = any`
 * and a cast to it, `Record<string, any>`, a return type widened to `any` in another file), or an
 * assertion that hides an error anywhere in a changed file (a `!` on the line above the target, a
 * cast helper `cast<T>(x: unknown): T` made for the occasion), passes a type check and fixes
 * nothing. `silencesTarget` judges the target's own lines; this judges every changed file as a
 * whole, counting before and after so that one only moved is not new. Only for fixes: a refactor
 * may well write `as T` in a generic function of its own.
 */
import type * as TS from 'typescript';
import { assertionsOn, DECLARATION_FILE, declarationFileReason, KINDS, ON_TARGET_ONLY, parse } from './silencing';

const baseName = (filePath: string) => filePath.split(/[\\/]/).pop() ?? filePath;
const snippet = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
const TS_FILE = /\.(ts|tsx|mts|cts)$/i;

/** A short reason when the change adds an explicit `any` or an error-hiding assertion to the file, else undefined. TypeScript files only. */
export function loosensTypes(ts: typeof TS, fileName: string, before: string, after: string): string | undefined {
  if (!TS_FILE.test(fileName) || before === after) return undefined;
  if (DECLARATION_FILE.test(fileName)) return declarationFileReason(fileName);
  const [old, now] = [parse(ts, fileName, before), parse(ts, fileName, after)];
  const [hadAny, hasAny] = [anyKeywords(ts, old), anyKeywords(ts, now)];
  if (hasAny.length > hadAny.length) {
    const shown = newest(hadAny, hasAny);
    return `adds an explicit \`any\` (\`${snippet(shown.text)}\`) at line ${shown.line + 1} of ${baseName(fileName)}: loosening a type hides the error; fix the cause`;
  }
  const [had, has] = [assertionsOn(ts, old, allLines(old)), assertionsOn(ts, now, allLines(now))];
  for (const kind of KINDS.filter((k) => k !== ON_TARGET_ONLY)) {
    const [was, is] = [had.filter((a) => a.kind === kind), has.filter((a) => a.kind === kind)];
    if (is.length <= was.length) continue;
    const shown = newest(was, is);
    return `adds ${kind} (\`${snippet(shown.text)}\`) at line ${shown.line + 1} of ${baseName(fileName)}: this hides the error; fix the cause`;
  }
  return undefined;
}

interface Found {
  text: string;
  line: number;
}

/** One of `now` whose text `was` does not have (the new one), else the last. */
function newest(was: readonly Found[], now: readonly Found[]): Found {
  const known = new Set(was.map((f) => f.text));
  return now.find((f) => !known.has(f.text)) ?? now[now.length - 1];
}

const allLines = (file: TS.SourceFile) => new Set(file.getLineStarts().keys());

/** Every `any` written as a type, with the declaration or expression around it for the message. */
function anyKeywords(ts: typeof TS, file: TS.SourceFile): Found[] {
  const found: Found[] = [];
  const visit = (node: TS.Node): void => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) {
      const around = node.parent && !ts.isSourceFile(node.parent) ? (node.parent.parent && !ts.isSourceFile(node.parent.parent) ? node.parent.parent : node.parent) : node;
      found.push({ text: around.getText(file).replace(/\s+/g, ' '), line: file.getLineAndCharacterOfPosition(node.getStart(file)).line });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * A reason when a fix adds a statement that only mentions a name (`void count;`, `count;`) to a
 * JavaScript or TypeScript file: it makes an unused variable look used, and fixes nothing.
 */
export function touchesUnused(fileName: string, before: string, after: string): string | undefined {
  if (!/\.[cm]?[jt]sx?$/i.test(fileName) || before === after) return undefined;
  const named = (text: string) => text.match(/^[ \t]*(?:void[ \t]+)?[A-Za-z_$][\w$]*[ \t]*;?[ \t]*$/gm)?.filter((l) => !/^\s*(?:break|continue|return|debugger|else|try|finally|do|default)\b/.test(l) && /;|void/.test(l)).length ?? 0;
  // `void [count];`, `void(n);`, `void (a, b);` too (a `void` of a call is how a floating promise is marked handled: not counted).
  const voided = (text: string) => text.match(/^[ \t]*void[ \t]*[([][ \t]*[A-Za-z_$][\w$]*(?:[ \t]*,[ \t]*[A-Za-z_$][\w$]*)*[ \t]*[)\]][ \t]*;?[ \t]*$/gm)?.length ?? 0;
  const count = (text: string) => named(text) + voided(text);
  return count(after) > count(before) ? `adds a statement that only names a variable to ${baseName(fileName)} (\`void x;\`): it makes an unused one look used; remove what is unused instead` : undefined;
}

/**
 * A reason when a fix to a JavaScript or TypeScript file puts a stub that throws where code was
 * (`throw new Error("Not implemented")`), turns a JavaScript file's type checking off (its
 * `// @ts-check` taken out) or loosens a JSDoc type to `*`, `?` or `any`: the error is gone, the fix is not made.
 */
export function loosensScript(fileName: string, before: string, after: string): string | undefined {
  if (!/\.[cm]?[jt]sx?$/i.test(fileName) || before === after) return undefined;
  const count = (re: RegExp, text: string) => text.match(re)?.length ?? 0;
  const more = (re: RegExp) => count(re, after) > count(re, before);
  if (more(/throw\s+new\s+Error\s*\(\s*["'`][^"'`]*not\s+(?:yet\s+)?implemented/gi)) return `puts a stub that throws ("not implemented") in ${baseName(fileName)}: the error is gone, the code it needs is not written`;
  if (/\.[cm]?jsx?$/i.test(fileName)) {
    if (count(/\/\/\s*@ts-check\b/g, after) < count(/\/\/\s*@ts-check\b/g, before)) return `takes \`// @ts-check\` out of ${baseName(fileName)}: the file is no longer checked; fix the cause`;
    if (more(/@(?:param|type|returns?|typedef|property|prop)\s*\{\s*(?:\*|\?|any)\s*\}/g)) return `loosens a JSDoc type to \`*\` or \`any\` in ${baseName(fileName)}: loosening a type hides the error; fix the cause`;
  }
  return undefined;
}
