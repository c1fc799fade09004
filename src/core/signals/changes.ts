/**
 * What changed in a file since it was last reviewed, as unified-diff hunks (jsdiff) plus the
 * changed lines — the material of a review task. Changes too small to review (blank lines,
 * whitespace only, a line or so) give nothing.
 */
import { parsePatch, structuredPatch } from 'diff';

export interface Changes {
  /** The hunks, in unified-diff form. */
  hunks: string;
  /** Zero-based lines of the new text that were added or changed. */
  lines: number[];
}

/** Below this many changed non-blank lines, a save is not worth a review. */
const MIN_REVIEW_LINES = 3;
/** Hunks text sent at most; a larger change is reviewed in part (its first hunks). */
export const MAX_HUNKS_CHARS = 12_000;

function fromHunks(hunks: ReadonlyArray<{ newStart: number; oldStart: number; oldLines: number; newLines: number; lines: string[] }>): Changes | undefined {
  const lines: number[] = [];
  const parts: string[] = [];
  let size = 0;
  for (const h of hunks) {
    const text = [`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines].join('\n');
    if (parts.length > 0 && size + text.length > MAX_HUNKS_CHARS) break;
    parts.push(text.slice(0, MAX_HUNKS_CHARS));
    size += text.length;
    let line = h.newStart - 1;
    for (const l of h.lines) {
      if (l.startsWith('+')) {
        if (l.slice(1).trim() !== '') lines.push(line);
        line++;
      } else if (!l.startsWith('-') && !l.startsWith('\\')) line++;
    }
  }
  return lines.length >= MIN_REVIEW_LINES ? { hunks: parts.join('\n'), lines } : undefined;
}

/** One hunk of a change: its text (from its @@ line), the new text's lines it adds, and those lines' content. */
export interface Hunk {
  text: string;
  lines: number[];
  added: string[];
}

/** A change's hunks one by one (what `fromHunks` joined). */
export function hunksOf(changes: Changes): Hunk[] {
  return changes.hunks
    .split(/\n(?=@@ )/)
    .filter((text) => text.startsWith('@@ '))
    .map((text) => {
      const [header, ...body] = text.split('\n');
      let line = Number(/\+(\d+)/.exec(header)?.[1] ?? 1) - 1;
      const lines: number[] = [];
      const added: string[] = [];
      for (const l of body) {
        if (l.startsWith('+')) {
          if (l.slice(1).trim() !== '') {
            lines.push(line);
            added.push(l.slice(1).trim());
          }
          line++;
        } else if (!l.startsWith('-') && !l.startsWith('\\')) line++;
      }
      return { text, lines, added };
    });
}

/** The hunks `keep` keeps, as a change — or undefined when what is left is too small to review. */
export function keepHunks(changes: Changes, keep: (hunk: Hunk) => boolean): Changes | undefined {
  const kept = hunksOf(changes).filter(keep);
  const lines = kept.flatMap((h) => h.lines);
  return lines.length >= MIN_REVIEW_LINES ? { hunks: kept.map((h) => h.text).join('\n'), lines } : undefined;
}

/** The new hunks of `after` against `before`, or undefined when there is nothing worth reviewing. */
export function changesBetween(before: string, after: string): Changes | undefined {
  if (before === after) return undefined;
  const patch = structuredPatch('a', 'b', before, after, undefined, undefined, { context: 2, ignoreWhitespace: true });
  return fromHunks(patch.hunks);
}

export interface FilePatch {
  relativePath: string;
  changes: Changes;
}

/** The files of a `git show`/`git diff` patch and their changes (deleted and binary files left out). */
export function filesOfPatch(patch: string): FilePatch[] {
  return parsePatch(patch).flatMap((p) => {
    const name = (p.newFileName ?? '').replace(/^b\//, '');
    if (!name || name === '/dev/null' || p.hunks.length === 0) return [];
    const changes = fromHunks(p.hunks);
    return changes ? [{ relativePath: name, changes }] : [];
  });
}
