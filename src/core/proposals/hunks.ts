/**
 * A proposal's file change, hunk by hunk: each replacement is a hunk the user can accept or reject
 * on its own, keyed to the text it was made for. Taking one out re-bases the rest onto what the
 * file then holds; the diffs (the file's and each hunk's) are made here, in one place.
 */
import type { AnchoredReplacement, FileChange } from '../../shared/types';
import { applyReplacements } from '../edits/searchReplace';
import { unifiedDiff } from '../edits/unifiedDiff';
import { sha256 } from '../hash';

/** The change to `base` that `replacements` (sorted, not overlapping) make, with its diffs. */
export function fileChange(uri: string, relativePath: string, base: string, replacements: AnchoredReplacement[]): FileChange {
  const after = applyReplacements(base, replacements);
  return {
    uri,
    relativePath,
    baseHash: sha256(base),
    replacements,
    resultHash: sha256(after),
    diff: unifiedDiff(relativePath, base, after),
    hunks: replacements.length > 1 ? replacements.map((r) => hunkDiff(relativePath, base, r)) : undefined,
  };
}

function hunkDiff(relativePath: string, base: string, r: AnchoredReplacement): string {
  const diff = unifiedDiff(relativePath, base, applyReplacements(base, [r]));
  // The file header is the card's already: a hunk shows from its first @@ on.
  return diff.slice(Math.max(0, diff.indexOf('@@')));
}

export type HunkResult = { ok: true; base: string; file: FileChange | undefined } | { ok: false; reason: string };

/**
 * Takes hunk `index` out of `file`, whose file holds `base`: accepted, it is applied to the base
 * (and the rest move with it); rejected, it is dropped. `file` undefined in the result: no hunk left.
 */
export function takeHunk(file: FileChange, base: string, index: number, accept: boolean): HunkResult {
  if (sha256(base) !== file.baseHash) return { ok: false, reason: `${file.relativePath} changed since this hunk was made, so it was not applied` };
  const hunk = file.replacements[index];
  if (!hunk || base.slice(hunk.offset, hunk.offset + hunk.length) !== hunk.search) return { ok: false, reason: 'there is no such hunk' };
  const delta = hunk.newText.length - hunk.length;
  const rest = file.replacements.filter((_, i) => i !== index).map((r) => (accept && r.offset > hunk.offset ? { ...r, offset: r.offset + delta } : r));
  const next = accept ? applyReplacements(base, [hunk]) : base;
  return { ok: true, base: next, file: rest.length === 0 ? undefined : fileChange(file.uri, file.relativePath, next, rest) };
}
