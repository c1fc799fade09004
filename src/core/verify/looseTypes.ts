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
import { assertionsOn, KINDS, parse } from './silencing';

const baseName = (filePath: string) => filePath.split(/[\\/]/).pop() ?? filePath;
const snippet = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
const TS_FILE = /\.(ts|tsx|mts|cts)$/i;

/** A short reason when the change adds an explicit `any` or an error-hiding assertion to the file, else undefined. TypeScript files only. */
export function loosensTypes(ts: typeof TS, fileName: string, before: string, after: string): string | undefined {
  if (!TS_FILE.test(fileName) || before === after) return undefined;
  const [old, now] = [parse(ts, fileName, before), parse(ts, fileName, after)];
  const [hadAny, hasAny] = [anyKeywords(ts, old), anyKeywords(ts, now)];
  if (hasAny.length > hadAny.length) {
    const shown = newest(hadAny, hasAny);
    return `adds an explicit \`any\` (\`${snippet(shown.text)}\`) at line ${shown.line + 1} of ${baseName(fileName)}: loosening a type hides the error; fix the cause`;
  }
  const [had, has] = [assertionsOn(ts, old, allLines(old)), assertionsOn(ts, now, allLines(now))];
  for (const kind of KINDS) {
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
  const count = (text: string) => text.match(/^[ \t]*(?:void[ \t]+)?[A-Za-z_$][\w$]*[ \t]*;?[ \t]*$/gm)?.filter((l) => !/^\s*(?:break|continue|return|debugger|else|try|finally|do|default)\b/.test(l) && /;|void/.test(l)).length ?? 0;
  return count(after) > count(before) ? `adds a statement that only names a variable to ${baseName(fileName)} (\`void x;\`): it makes an unused one look used; remove what is unused instead` : undefined;
}
