/**
 * How a check decides "the problem is gone" and "no new error appeared", apart from any compiler:
 * errors are compared by file, code and a whitespace-normalised message, and the target is found
 * by code and position, then followed through the edit. Must never call a target fixed because
 * its message was spelt differently (VS Code keeps a multi-line message's line breaks and
 * indentation; a compiler's flattened text does not) or because another error of its kind went.
 */
import { diffLines } from 'diff';
import type { DiagnosticInfo } from '../../shared/agentProtocol';

/** One error a checker reports. Lines and characters are zero-based, as in LSP. */
export interface FoundError<Code extends number | string = number> {
  /** Absolute path. */
  file: string;
  /** TypeScript's number; ESLint's rule id. */
  code: Code;
  /** Normalised with `normalizeMessage`. */
  message: string;
  line: number;
  character: number;
}

/** One line, single spaces: "A.\n  Type 'x'…" and "A. Type 'x'…" are the same message. */
export function normalizeMessage(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/** "2322", "TS2322" and "ts2322" are TypeScript's 2322; anything else is no TypeScript code. */
export function typeScriptCode(code: string | undefined): number | undefined {
  const m = code === undefined ? null : /^(?:ts)?(\d+)$/i.exec(code.trim());
  return m ? Number(m[1]) : undefined;
}

const sameKind = <C extends number | string>(a: FoundError<C>, b: FoundError<C>) => a.file === b.file && a.code === b.code && a.message === b.message;

/**
 * The checker's error that is the target, in the text the target was reported on: same code at the
 * same position; failing that (a checker may start the range elsewhere), same code and message,
 * nearest line. Undefined when the checker does not report it — then it cannot prove it fixed.
 */
export function locateTarget(target: DiagnosticInfo, file: string, before: readonly FoundError[]): FoundError | undefined {
  const code = typeScriptCode(target.code);
  // Stryker disable next-line ConditionalExpression: equivalent, with no code no candidate matches below
  if (code === undefined) return undefined;
  const message = normalizeMessage(target.message);
  const candidates = before.filter((e) => e.file === file && e.code === code);
  const atPosition = candidates.find((e) => e.line === target.range.startLine && e.character === target.range.startCharacter);
  if (atPosition) return atPosition;
  const sameMessage = candidates.filter((e) => e.message === message);
  return sameMessage.sort((a, b) => Math.abs(a.line - target.range.startLine) - Math.abs(b.line - target.range.startLine))[0];
}

/** Past this many lines changed, a rewrite is not followed line by line (the diff's cost grows with its square). */
export const LINE_MAP_MAX_EDITS = 4000;

/**
 * Where each zero-based line of `before` is in `after`: undefined for a line the edit changed or
 * removed, and for every line of a rewrite too large to follow (then the target is judged by how
 * many errors of its kind are left). The diff is made once; asking is a lookup.
 */
export function lineMap(before: string, after: string): (line: number) => number | undefined {
  const moved: Array<number | undefined> = [];
  let newLine = 0;
  const parts = diffLines(before, after, { maxEditLength: LINE_MAP_MAX_EDITS });
  if (!parts) return () => undefined;
  for (const part of parts) {
    const count = part.count ?? 0;
    if (part.added) newLine += count;
    else for (let i = 0; i < count; i++) moved.push(part.removed ? undefined : newLine++);
  }
  return (line) => moved[line];
}

/**
 * The target's error if it is still there after the edit: the same code at its place (followed
 * through the edit), or as many errors of its kind in its file as before (it moved, or another
 * of its kind was fixed instead). Undefined only when the target is proved gone.
 */
export function remainingTarget<C extends number | string>(target: FoundError<C>, movedTo: number | undefined, before: readonly FoundError<C>[], after: readonly FoundError<C>[]): FoundError<C> | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent, no error is on line undefined
  if (movedTo !== undefined) {
    const inPlace = after.find((e) => e.file === target.file && e.code === target.code && e.line === movedTo && e.character === target.character);
    if (inPlace) return inPlace;
  }
  const left = after.filter((e) => sameKind(e, target));
  return left.length >= before.filter((e) => sameKind(e, target)).length ? left[0] : undefined;
}

/**
 * The errors of `after` less one of the same kind (file, code, message) for each in `before`;
 * an error still at its place (`placeOf` follows a before-error through the edit) is paired
 * first, so what is left is what the edit added, at the lines it added them.
 */
export function introducedErrors<C extends number | string>(before: readonly FoundError<C>[], after: readonly FoundError<C>[], placeOf: (e: FoundError<C>) => number | undefined = () => undefined): FoundError<C>[] {
  const left = [...before];
  const unpaired = after.filter((e) => {
    const i = left.findIndex((b) => sameKind(b, e) && b.character === e.character && placeOf(b) === e.line);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
  return unpaired.filter((e) => {
    const i = left.findIndex((b) => sameKind(b, e));
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}
