/**
 * Replacements that turn one text into another, each anchored on text that occurs once in the
 * first: what a change made by a tool (the compiler's own fix) needs to become a proposal that
 * can follow later edits of its file and be decided hunk by hunk. Changed lines become one
 * replacement each run; an anchor that is empty (a pure insertion) or not unique grows by whole
 * lines around it until it is, and runs whose anchors would overlap are merged.
 */
import { diffLines } from 'diff';
import type { AnchoredReplacement } from '../../shared/types';

export function anchoredReplacements(before: string, after: string): AnchoredReplacement[] {
  const runs: Array<{ start: number; end: number; newText: string }> = [];
  let at = 0;
  for (const part of diffLines(before, after)) {
    const last = runs[runs.length - 1];
    const open = last && last.end === at && (part.added || part.removed);
    if (part.added) {
      if (open) last.newText += part.value;
      else runs.push({ start: at, end: at, newText: part.value });
    } else if (part.removed) {
      if (open) last.end += part.value.length;
      else runs.push({ start: at, end: at + part.value.length, newText: '' });
      at += part.value.length;
    } else {
      at += part.value.length;
    }
  }
  // Two runs whose grown anchors overlap become one run (with the unchanged text between), grown again.
  for (let i = 0; i + 1 < runs.length;) {
    const a = grow(before, runs[i]);
    const b = grow(before, runs[i + 1]);
    if (a.end <= b.start) {
      i++;
      continue;
    }
    runs.splice(i, 2, { start: runs[i].start, end: runs[i + 1].end, newText: runs[i].newText + before.slice(runs[i].end, runs[i + 1].start) + runs[i + 1].newText });
    i = Math.max(0, i - 1);
  }
  const merged = runs.map((r) => grow(before, r));
  return merged.map((r) => ({ offset: r.start, length: r.end - r.start, newText: r.newText, search: before.slice(r.start, r.end) }));
}

/** Widens a run by a line before or after (and its replacement with it) until its text is unique and not blank. */
function grow(text: string, run: { start: number; end: number; newText: string }): { start: number; end: number; newText: string } {
  let { start, end, newText } = run;
  for (let up = true; !unique(text, text.slice(start, end)); up = !up) {
    if (start === 0 && end === text.length) break;
    if ((up && start > 0) || end === text.length) {
      const from = text.lastIndexOf('\n', start - 2) + 1;
      newText = text.slice(from, start) + newText;
      start = from;
    } else {
      const nl = text.indexOf('\n', end);
      const to = nl < 0 ? text.length : nl + 1;
      newText += text.slice(end, to);
      end = to;
    }
  }
  return { start, end, newText };
}

function unique(text: string, needle: string): boolean {
  if (needle.trim() === '') return false;
  const first = text.indexOf(needle);
  return first >= 0 && text.indexOf(needle, first + 1) < 0;
}
