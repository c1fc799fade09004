/**
 * Silencing is not fixing: a proposal that makes the target error disappear by telling the checker
 * to look away (a suppression comment, a config edit, `x!`, `x as any`, a `declare global` that
 * invents the missing name) must not be called "passed". Judged from the syntax of what the change
 * adds, with no I/O: the caller runs it on a proposal's texts. Must never call a real fix silencing
 * (a suppression or `!` that was already there and only moved, a string that spells "@ts-ignore",
 * `!==`, `as const`), nor miss a suppression the change adds.
 */
import { diffChars, diffLines } from 'diff';
import type * as TS from 'typescript';
import { configEditIn } from './configEdits';
import { testEditIn } from './testEdits';
import { isCLikeSuppression, suppressionsIn, type Suppression } from './suppressionComments';

const baseName = (filePath: string) => filePath.split(/[\\/]/).pop() ?? filePath;
const snippet = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

/**
 * A short reason when any changed file adds a suppression comment or edits a checker's settings,
 * for the user and the model ("adds `// @ts-expect-error` at line 12 of greeting.ts: …"), else
 * undefined. Any language; a file's name says how to read it.
 */
export function silencingIn(changes: ReadonlyArray<{ filePath: string; before: string; after: string }>): string | undefined {
  for (const { filePath, before, after } of changes) {
    if (before === after) continue;
    const config = configEditIn(filePath, before, after) ?? testEditIn(filePath, before, after);
    if (config) return config;
    const added = addedSuppressions(filePath, before, after);
    if (added.length > 0) {
      const more = added.length > 1 ? ` (and ${added.length - 1} more)` : '';
      return `adds \`${snippet(added[0].text)}\` at line ${added[0].line + 1} of ${baseName(filePath)}${more}: this silences the error; fix the cause`;
    }
  }
  return undefined;
}

/**
 * The suppressions of `after` that `before` did not have: one still on its line (followed through
 * the edit) is the same one; then one of the same text, with the same code on its line and the
 * next, anywhere is (moved); the rest are new.
 */
function addedSuppressions(filePath: string, before: string, after: string): Suppression[] {
  const was = suppressionsIn(filePath, before);
  let now = suppressionsIn(filePath, after);
  if (now.length === 0 || was.length === 0) return now;
  const moved = new Map<number, number>();
  // A line the edit rewrote, to the lines that took its place (`x  # type: ignore` edited where it stands).
  const replaced = new Map<number, { from: number; to: number }>();
  let [oldLine, newLine] = [0, 0];
  const diff = lineDiff(before, after);
  let removed: { at: number; count: number } | undefined;
  for (const part of diff ?? []) {
    const count = part.count ?? 0;
    if (!part.added && !part.removed) for (let i = 0; i < count; i++) moved.set(oldLine + i, newLine + i);
    if (part.added && removed) for (let i = 0; i < removed.count; i++) replaced.set(removed.at + i, { from: newLine, to: newLine + count });
    removed = part.removed ? { at: oldLine, count } : undefined;
    if (!part.added) oldLine += count;
    if (!part.removed) newLine += count;
  }
  const left = was.filter((s) => {
    const i = now.findIndex((n) => n.line === moved.get(s.line) && n.text === s.text);
    if (i >= 0) now = now.filter((_, j) => j !== i);
    return i < 0;
  });
  // Moved only with what it applies to: on the line that replaced its own, or with the same code on
  // its line and the next (a `# type: ignore` taken off an import and put on the error's line is a
  // new one, as is a `// @ts-expect-error` put above another statement). A rewrite too large to
  // compare line by line is judged by text alone.
  const [oldLines, newLines] = [before.split('\n'), after.split('\n')];
  const around = (lines: readonly string[], line: number) => `${lines[line]?.trim()}\n${lines[line + 1]?.trim()}`;
  const sameOne = (s: Suppression, n: Suppression) => {
    if (s.text !== n.text) return false;
    if (!diff) return true;
    const r = replaced.get(s.line);
    return (r !== undefined && n.line >= r.from && n.line < r.to) || around(oldLines, s.line) === around(newLines, n.line);
  };
  return now.filter((n) => {
    const i = left.findIndex((s) => sameOne(s, n));
    if (i >= 0) left.splice(i, 1);
    return i < 0;
  });
}

/** Zero-based lines, both ends included. */
export interface LineRange {
  start: number;
  end: number;
}

/**
 * A reason when the change hides the target TypeScript error instead of fixing it, else undefined:
 * more non-null assertions (`x!`, `f()!.y`, `field!: T`) or casts through `any`, `unknown` or `never`
 * (`x as any`, `<any>x`, `x as unknown as T`, a JSDoc `@type {any}` cast) on the target's lines
 * than they had before, or a new `declare global` anywhere in the file.
 *
 * `targetLines` are the target's lines in `before`, as reported (for a FoundError, `{ start: line,
 * end: line }`; for a DiagnosticInfo, its range's startLine..endLine); they are followed into
 * `after` here, through the lines that replaced them when the edit changed them, which a
 * line-to-line map cannot do. `ts` is the workspace's own compiler.
 */
export function silencesTarget(ts: typeof TS, fileName: string, before: string, after: string, targetLines: LineRange): string | undefined {
  if (DECLARATION_FILE.test(fileName) && before !== after) return declarationFileReason(fileName);
  const [old, now] = [parse(ts, fileName, before), parse(ts, fileName, after)];
  if (globalBlocks(ts, now) > globalBlocks(ts, old)) return globalReason(fileName);
  const lines = correspondingLines(before, after, targetLines);
  const had = assertionsOn(ts, old, lines.before);
  const has = assertionsOn(ts, now, lines.after);
  for (const kind of KINDS) {
    const added = has.filter((a) => a.kind === kind);
    if (added.length <= had.filter((a) => a.kind === kind).length) continue;
    const known = new Set(had.map((a) => a.text));
    const shown = added.find((a) => !known.has(a.text)) ?? added[0];
    return `adds ${kind} (\`${snippet(shown.text)}\`) at line ${shown.line + 1} of ${baseName(fileName)}, where the error is: this hides the error; fix the cause`;
  }
  return undefined;
}

/**
 * A reason when the change adds a `declare global` block to the file (how a missing name gets
 * invented), else undefined; for the other changed files (`silencesTarget` checks the target's).
 */
export function addsGlobalDeclaration(ts: typeof TS, fileName: string, before: string, after: string): string | undefined {
  return globalBlocks(ts, parse(ts, fileName, after)) > globalBlocks(ts, parse(ts, fileName, before)) ? globalReason(fileName) : undefined;
}

export const DECLARATION_FILE = /\.d\.[cm]?ts$/i;
/** A declaration file is what the checker believes of the code: rewriting it in a fix changes no behaviour (as a .pyi stub). */
export const declarationFileReason = (fileName: string) => `changes the declaration file ${baseName(fileName)}: describing the code differently hides the error; fix the cause`;
const globalReason = (fileName: string) => `adds a declaration to ${baseName(fileName)} (\`declare global\`, \`declare module\`, a \`declare\`d name): declaring what is missing hides the error; fix the cause`;

/**
 * The declarations that tell the checker a name exists without making it: `declare global`,
 * `declare module 'x'` (or a module augmentation), and any statement marked `declare` (in a `.d.ts`
 * every statement is).
 */
function globalBlocks(ts: typeof TS, file: TS.SourceFile): number {
  let n = 0;
  const visit = (node: TS.Node): void => {
    if (ts.isModuleDeclaration(node) && ((node.flags & ts.NodeFlags.GlobalAugmentation) !== 0 || ts.isStringLiteral(node.name))) n++;
    else if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword) && !ts.isModuleDeclaration(node)) n++;
    ts.forEachChild(node, visit);
  };
  visit(file);
  return n;
}

/**
 * The lines of `before` and of `after` that the target's lines are: an unchanged line is itself;
 * a changed one is followed character by character into what replaced it (`x;` → `x!;`, one line
 * made two), so an edit on the next line or a line put in beside it is not the target.
 */
export function correspondingLines(before: string, after: string, target: LineRange): { before: Set<number>; after: Set<number> } {
  const oldStarts = lineStarts(before);
  const last = Math.min(target.end, oldStarts.length - 1);
  const was = new Set<number>();
  for (let l = Math.max(0, target.start); l <= last; l++) was.add(l);
  if (was.size === 0) return { before: was, after: new Set() };
  const diff = lineDiff(before, after);
  // Rewritten past comparing line by line: the whole file on both sides.
  if (!diff) return { before: new Set(lineStarts(before).keys()), after: new Set(lineStarts(after).keys()) };
  const lines = segments(diff);
  const from = mapOffset(lines, before, after, oldStarts[Math.max(0, target.start)], 'start');
  const to = mapOffset(lines, before, after, last + 1 < oldStarts.length ? oldStarts[last + 1] : before.length, 'end');
  const newStarts = lineStarts(after);
  const lineOf = (offset: number) => {
    let l = 0;
    while (l + 1 < newStarts.length && newStarts[l + 1] <= offset) l++;
    return l;
  };
  const now = new Set<number>();
  if (to > from) for (let l = lineOf(from); l <= lineOf(to - 1); l++) now.add(l);
  return { before: was, after: now };
}

/** A line diff, or undefined past 1000 changed lines (the cost grows with lines × changes). */
const lineDiff = (before: string, after: string) => diffLines(before, after, { maxEditLength: 1000 });
const lineStarts = (text: string) => [0, ...[...text.matchAll(/\n/g)].map((m) => m.index + 1).filter((i) => i < text.length)];

/** A diff as spans of both texts: the same text, or what a run of removals and additions replaced. */
interface Segment {
  same: boolean;
  oldFrom: number;
  oldTo: number;
  newFrom: number;
  newTo: number;
}

function segments(parts: ReadonlyArray<{ value: string; added?: boolean; removed?: boolean }>): Segment[] {
  const out: Segment[] = [];
  let [oldAt, newAt] = [0, 0];
  for (const part of parts) {
    const same = !part.added && !part.removed;
    const prev = out.at(-1);
    const seg = prev && !same && !prev.same ? prev : { same, oldFrom: oldAt, oldTo: oldAt, newFrom: newAt, newTo: newAt };
    if (seg !== prev) out.push(seg);
    if (!part.added) oldAt = seg.oldTo = oldAt + part.value.length;
    if (!part.removed) newAt = seg.newTo = newAt + part.value.length;
  }
  return out;
}

/**
 * Where an offset of `before` is in `after`: in unchanged text, the same character; in changed
 * lines, the same character again by a character diff of just those lines, or, when that would
 * cost too much, the start (or end) of what replaced them.
 */
function mapOffset(segs: readonly Segment[], before: string, after: string, offset: number, side: 'start' | 'end', refine = true): number {
  const seg = segs.find((s) => (side === 'start' ? s.oldFrom <= offset && offset < s.oldTo : s.oldFrom < offset && offset <= s.oldTo));
  if (!seg) return side === 'start' ? after.length : 0;
  if (seg.same) return seg.newFrom + offset - seg.oldFrom;
  const [was, now] = [before.slice(seg.oldFrom, seg.oldTo), after.slice(seg.newFrom, seg.newTo)];
  const chars = refine ? diffChars(was, now, { maxEditLength: 2000 }) : undefined;
  if (!chars) return side === 'start' ? seg.newFrom : seg.newTo;
  return seg.newFrom + mapOffset(segments(chars), was, now, offset - seg.oldFrom, side, false);
}

export const KINDS = ['a non-null assertion', 'a definite assignment assertion', 'a cast through `any`, `unknown` or `never`', 'a cast to a type parameter (a cast helper)', 'a type assertion where the error is'] as const;
/** Judged on the target's lines only: elsewhere in a file a fix may well assert a type (`as HTMLInputElement` in a new handler). */
export const ON_TARGET_ONLY: (typeof KINDS)[number] = KINDS[4];

export interface Assertion {
  kind: (typeof KINDS)[number];
  text: string;
  line: number;
}

export function parse(ts: typeof TS, fileName: string, text: string): TS.SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
}

/** The assertions that hide an error, whose node touches one of `lines`. */
export function assertionsOn(ts: typeof TS, file: TS.SourceFile, lines: ReadonlySet<number>): Assertion[] {
  const found: Assertion[] = [];
  if (lines.size === 0) return found;
  const inJs = /\.[cm]?jsx?$/i.test(file.fileName);
  const escape = (type: TS.TypeNode | undefined): boolean => {
    while (type && ts.isParenthesizedTypeNode(type)) type = type.type;
    return type !== undefined && [ts.SyntaxKind.AnyKeyword, ts.SyntaxKind.UnknownKeyword, ts.SyntaxKind.NeverKeyword].includes(type.kind);
  };
  const kindOf = (node: TS.Node): Assertion['kind'] | undefined => {
    if (ts.isNonNullExpression(node)) return KINDS[0];
    if ((ts.isVariableDeclaration(node) || ts.isPropertyDeclaration(node)) && node.exclamationToken) return KINDS[1];
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && escape(node.type)) return KINDS[2];
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && typeParameterOf(ts, node.type)) return KINDS[3];
    if (inJs && ts.isParenthesizedExpression(node) && escape(ts.getJSDocTypeTag(node)?.typeExpression?.type)) return KINDS[2];
    // `name as string`, `(input as NonNullable<typeof input>)`, `(scale as Function)`: the checker told what to believe (`as const` asserts nothing).
    if ((ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) && !(ts.isTypeReferenceNode(node.type) && ts.isIdentifier(node.type.typeName) && node.type.typeName.text === 'const')) return KINDS[4];
    if (inJs && ts.isParenthesizedExpression(node) && ts.getJSDocTypeTag(node)) return KINDS[4];
    return undefined;
  };
  const visit = (node: TS.Node): void => {
    const kind = kindOf(node);
    if (kind) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.end).line;
      const on = [...lines].find((l) => l >= start && l <= end);
      if (on !== undefined) found.push({ kind, text: node.getText(file).replace(/\s+/g, ' '), line: lines.has(start) ? start : on });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** Whether `type` names a type parameter of a declaration around it (`x as T` inside `function cast<T>`): it asserts whatever the caller asks for. */
function typeParameterOf(ts: typeof TS, type: TS.TypeNode): boolean {
  if (!ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName) || type.typeArguments) return false;
  const name = type.typeName.text;
  for (let n: TS.Node | undefined = type.parent; n; n = n.parent) {
    const params = (n as { typeParameters?: TS.NodeArray<TS.TypeParameterDeclaration> }).typeParameters;
    if (params?.some((p) => p.name.text === name)) return true;
  }
  return false;
}

/**
 * The suppression comments of a TypeScript or JavaScript file as the compiler's own scanner finds
 * them (every comment before or after a token), so no regex, string or JSX text can hide one the
 * way it can from a hand-written lexer. Counted: more after than before is a new one.
 */
export function addsSuppressionComment(ts: typeof TS, fileName: string, before: string, after: string): string | undefined {
  const was = compilerComments(ts, fileName, before).filter(isCLikeSuppression).length;
  const now = compilerComments(ts, fileName, after).filter(isCLikeSuppression);
  if (now.length <= was) return undefined;
  return `adds \`${snippet(now[now.length - 1].replace(/\s+/g, ' ').trim())}\` to ${baseName(fileName)}: this silences the error; fix the cause`;
}

function compilerComments(ts: typeof TS, fileName: string, text: string): string[] {
  const source = parse(ts, fileName, text);
  const seen = new Set<number>();
  const found: string[] = [];
  const take = (ranges: TS.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      found.push(text.slice(r.pos, r.end));
    }
  };
  const visit = (node: TS.Node): void => {
    take(ts.getLeadingCommentRanges(text, node.pos));
    take(ts.getTrailingCommentRanges(text, node.end));
    ts.forEachChild(node, visit);
  };
  visit(source);
  take(ts.getLeadingCommentRanges(text, source.endOfFileToken.pos));
  // JSX comments are expressions ({/* … */}); the scanner above sees them as trivia of their braces.
  return found;
}
