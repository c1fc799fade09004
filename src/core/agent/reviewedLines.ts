/**
 * One review per change: the lines a review was queued for, by file and content, whichever signal
 * brought them (a saved change or a commit). A hunk whose every added line was already in a review
 * is not reviewed again, so a change saved and then committed (or committed, then saved again after
 * an older review) is paid for once. By content, not position: the same lines moved by an edit
 * above them are still the same change. Kept in memory (a restart may review a change again).
 */
import type { Changes } from '../signals/changes';
import { keepHunks, hunksOf } from '../signals/changes';

/** Files whose reviewed lines are kept (the oldest forgotten first). */
const MAX_FILES = 500;

export class ReviewedLines {
  /** Per file (workspace-relative path: the same for every host's URI spelling), each line's content and how many queued reviews hold it. */
  private readonly byFile = new Map<string, Map<string, number>>();

  /** What of `changes` no review holds yet: the hunks with a line not yet reviewed; undefined when nothing worth a review is left. */
  unreviewed(file: string, changes: Changes): Changes | undefined {
    const seen = this.byFile.get(file);
    if (!seen) return changes;
    return keepHunks(changes, (h) => h.added.some((line) => !seen.has(line)));
  }

  /** A review of `changes` was queued. */
  mark(file: string, changes: Changes): void {
    let seen = this.byFile.get(file);
    if (!seen) {
      seen = new Map();
      this.byFile.set(file, seen);
      if (this.byFile.size > MAX_FILES) this.byFile.delete(this.byFile.keys().next().value!);
    }
    for (const line of hunksOf(changes).flatMap((h) => h.added)) seen.set(line, (seen.get(line) ?? 0) + 1);
  }

  /** A review of `changes` was dropped before it ran: its lines are open for the next one. */
  unmark(file: string, changes: Changes): void {
    const seen = this.byFile.get(file);
    if (!seen) return;
    for (const line of hunksOf(changes).flatMap((h) => h.added)) {
      const n = (seen.get(line) ?? 0) - 1;
      if (n > 0) seen.set(line, n);
      else seen.delete(line);
    }
  }
}
