/**
 * Whether an accepted change was undone: the file no longer holds any of the text the proposal
 * put in, and holds again all the text it took out. Text made of whitespace alone says nothing
 * and is not looked for.
 */
import type { FileChange } from '../../shared/types';

/** What to look for in one file, per accepted proposal. */
export interface RevertWatch {
  uri: string;
  added: string[];
  removed: string[];
}

export function revertWatches(files: readonly FileChange[]): RevertWatch[] {
  const meaningful = (t: string) => t.trim() !== '';
  return files.map((f) => ({ uri: f.uri, added: f.replacements.map((r) => r.newText).filter(meaningful), removed: f.replacements.map((r) => r.search).filter(meaningful) }));
}

export function isReverted(watch: RevertWatch, text: string): boolean {
  if (watch.added.length === 0 && watch.removed.length === 0) return false;
  return watch.added.every((t) => !text.includes(t)) && watch.removed.every((t) => text.includes(t));
}
