/**
 * Search/replace edits: parsing them out of a model's answer and applying them to a file's text
 * in memory. An edit applies only where its search text occurs exactly once; anything else is
 * rejected with a reason, never applied somewhere else.
 */
import type { AnchoredReplacement, TextReplacement } from '../../shared/types';

export interface SearchReplaceBlock {
  search: string;
  replace: string;
  /** The file it edits, as the answer named it on a `FILE:` line before it; the task's file when absent. */
  path?: string;
}

export interface ParsedAnswer {
  title: string;
  rationale: string;
  blocks: SearchReplaceBlock[];
  /** Problems found while parsing: an unterminated block, for example. */
  problems: string[];
}

const SEARCH_RE = /^<{5,9} ?SEARCH\s*$/;
const DIVIDER_RE = /^={5,9}\s*$/;
const REPLACE_RE = /^>{5,9} ?REPLACE\s*$/;
const MAX_TITLE = 120;
const MAX_RATIONALE = 400;

/** Reads `TITLE:` / `WHY:` lines and SEARCH/REPLACE blocks from a model's visible answer. */
export function parseAnswer(answer: string): ParsedAnswer {
  const lines = answer.replace(/\r\n/g, '\n').split('\n');
  let title = '';
  let rationale = '';
  const blocks: SearchReplaceBlock[] = [];
  const problems: string[] = [];
  let file: string | undefined;
  let i = 0;
  // Stryker disable next-line EqualityOperator: equivalent, lines[lines.length] is undefined and matches no pattern
  while (i < lines.length) {
    const line = lines[i];
    const named = /^\s*FILE\s*:\s*`?([^`]+?)`?\s*$/i.exec(line);
    if (named) {
      file = named[1];
      i++;
      continue;
    }
    // Stryker disable next-line Regex: `$` after a greedy `(.*)` is equivalent
    const header = /^\s*(TITLE|WHY)\s*:\s*(.*)$/i.exec(line);
    if (header && blocks.length === 0) {
      if (header[1].toUpperCase() === 'TITLE' && !title) title = header[2].trim().slice(0, MAX_TITLE);
      else if (header[1].toUpperCase() === 'WHY' && !rationale) rationale = header[2].trim().slice(0, MAX_RATIONALE);
      i++;
      continue;
    }
    if (!SEARCH_RE.test(line)) {
      i++;
      continue;
    }
    const start = i + 1;
    let divider = -1;
    let end = -1;
    // Stryker disable next-line EqualityOperator: equivalent, lines[lines.length] is undefined and matches no pattern
    for (let j = start; j < lines.length; j++) {
      // Stryker disable next-line EqualityOperator: `divider <= 0` is equivalent, a divider is never on line 0 (the SEARCH line is before it)
      if (divider < 0 && DIVIDER_RE.test(lines[j])) divider = j;
      // Stryker disable next-line EqualityOperator: `divider > 0` is equivalent, as above
      else if (divider >= 0 && REPLACE_RE.test(lines[j])) {
        end = j;
        break;
      } else if (SEARCH_RE.test(lines[j])) break;
    }
    // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, neither index is ever 0, and `end` is only set once `divider` is
    if (divider < 0 || end < 0) {
      problems.push(`an edit block starting at line ${i + 1} of the answer is not terminated`);
      i = start;
      continue;
    }
    blocks.push({ search: lines.slice(start, divider).join('\n'), replace: lines.slice(divider + 1, end).join('\n'), ...(file ? { path: file } : {}) });
    i = end + 1;
  }
  return { title, rationale, blocks, problems };
}

export type ApplyResult = { ok: true; newText: string; replacements: AnchoredReplacement[] } | { ok: false; reason: string };

function countOccurrences(text: string, needle: string): { count: number; first: number } {
  let count = 0;
  let first = -1;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    // Stryker disable next-line EqualityOperator,ConditionalExpression: equivalent, the first match only counts when there is exactly one
    if (first < 0) first = at;
    if (++count > 1) break;
  }
  return { count, first };
}

/**
 * Applies all blocks to `text`, or none. Each search text must occur exactly once — as written,
 * or else line by line ignoring leading and trailing whitespace (models often get indentation
 * wrong); then the replacement is re-indented to match. Blocks are matched against the original
 * text, so they may come in any order, but must not overlap. Line endings follow the file's.
 */
export function applyBlocks(text: string, blocks: readonly SearchReplaceBlock[]): ApplyResult {
  if (blocks.length === 0) return { ok: false, reason: 'the answer contains no edit' };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const replacements: AnchoredReplacement[] = [];
  for (const [n, block] of blocks.entries()) {
    const search = block.search.replace(/\r?\n/g, eol);
    const replace = block.replace.replace(/\r?\n/g, eol);
    if (search.trim() === '') return { ok: false, reason: `edit ${n + 1} has an empty search text` };
    const { count, first } = countOccurrences(text, search);
    if (count > 1) return { ok: false, reason: `edit ${n + 1}: the search text occurs more than once` };
    if (count === 1) {
      replacements.push({ offset: first, length: search.length, newText: replace, search });
      continue;
    }
    const loose = looseMatch(text, search, eol);
    if (loose === 'ambiguous') return { ok: false, reason: `edit ${n + 1}: the search text occurs more than once` };
    if (!loose) return { ok: false, reason: `edit ${n + 1}: the search text is not in the file` };
    const found = text.slice(loose.start, loose.end);
    replacements.push({ offset: loose.start, length: found.length, newText: reindent(replace, search, found, eol), search: found });
  }
  replacements.sort((a, b) => a.offset - b.offset);
  for (let k = 1; k < replacements.length; k++) {
    const prev = replacements[k - 1];
    if (prev.offset + prev.length > replacements[k].offset) return { ok: false, reason: 'two edits overlap' };
  }
  return { ok: true, newText: applyReplacements(text, replacements), replacements };
}

/** The one run of whole lines in `text` equal to `search`'s lines but for surrounding whitespace. */
function looseMatch(text: string, search: string, eol: string): { start: number; end: number } | 'ambiguous' | undefined {
  const wanted = search.split(eol).map((l) => l.trim());
  while (wanted.length > 0 && wanted[wanted.length - 1] === '') wanted.pop();
  while (wanted.length > 0 && wanted[0] === '') wanted.shift();
  // Stryker disable next-line ConditionalExpression: equivalent, applyBlocks refuses a blank search text before it gets here
  if (wanted.length === 0) return undefined;
  const lines = text.split(eol);
  const starts: number[] = [];
  for (let i = 0, at = 0; i < lines.length; at += lines[i].length + eol.length, i++) starts.push(at);
  let match: { start: number; end: number } | undefined;
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    let ok = true;
    for (let j = 0; j < wanted.length && ok; j++) ok = lines[i + j].trim() === wanted[j];
    if (!ok) continue;
    if (match) return 'ambiguous';
    const last = i + wanted.length - 1;
    match = { start: starts[i], end: starts[last] + lines[last].length };
  }
  return match;
}

/** Shifts `replace` by the indentation the file has where the model's search text had other. */
function reindent(replace: string, search: string, found: string, eol: string): string {
  const indent = (s: string) => /^[ \t]*/.exec(s.split(eol).find((l) => l.trim() !== '') ?? '')![0];
  const from = indent(search);
  const to = indent(found);
  if (from === to) return replace.trim() === '' ? replace : replace.replace(/^(\r?\n)+/, '').replace(/(\r?\n)+$/, '');
  return replace
    .split(eol)
    .map((l) => (l.trim() === '' ? l : l.startsWith(from) ? to + l.slice(from.length) : l))
    .join(eol)
    .replace(/^(\r?\n)+/, '')
    .replace(/(\r?\n)+$/, '');
}

/** Applies sorted, non-overlapping replacements to `text`. */
export function applyReplacements(text: string, replacements: readonly TextReplacement[]): string {
  let out = '';
  let cursor = 0;
  for (const r of replacements) {
    out += text.slice(cursor, r.offset) + r.newText;
    cursor = r.offset + r.length;
  }
  return out + text.slice(cursor);
}

/**
 * Moves replacements made on one version of a file onto another: each anchor must still occur
 * exactly once, and the anchors must not overlap. Undefined when that fails (the proposal is stale).
 */
export function rebaseReplacements(text: string, replacements: readonly AnchoredReplacement[]): AnchoredReplacement[] | undefined {
  const moved: AnchoredReplacement[] = [];
  for (const r of replacements) {
    const { count, first } = countOccurrences(text, r.search);
    if (count !== 1) return undefined;
    moved.push({ ...r, offset: first });
  }
  moved.sort((a, b) => a.offset - b.offset);
  for (let k = 1; k < moved.length; k++) if (moved[k - 1].offset + moved[k - 1].length > moved[k].offset) return undefined;
  return moved;
}
