/**
 * A failing test as the model and the card are shown it: the test's file and full name, the
 * assertion's message, where it failed and the lines around that place, in at most ~15 lines.
 * Paths are the workspace's (never the shadow's temporary folder). Must never pass on terminal
 * colour codes or a runner's own stack frames.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import type { TestCase } from './testReport';

const MESSAGE_LINES = 8;
/** A stack line ending in `path:line:column`, with or without `at` and parentheses. */
const FRAME = /^\s*(?:at\s+)?(?:[^()]*\()?((?:file:\/\/)?[^\s():]+):(\d+):(\d+)\)?\s*$/;

/** The lines a failing test is reported with; `dir` is the folder the tests ran in (the shadow). */
export function describeFailure(test: TestCase, dir: string): string[] {
  const file = test.file ? path.relative(dir, test.file) : '';
  const header = test.wholeFile ? `FAIL ${file || 'a test file'}: ${test.name === '(the file)' ? 'the file failed to run' : test.name}` : `FAIL ${file ? `${file} > ` : ''}${test.name}`;
  const lines = stripVTControlCharacters(test.failure ?? '').split(/\r?\n/);
  const firstFrame = lines.findIndex((l) => FRAME.test(l));
  const message = tidy(lines.slice(0, firstFrame === -1 ? lines.length : firstFrame)).map((l) => inWorkspace(l, dir));
  const out = [header, ...(message.length > MESSAGE_LINES ? [...message.slice(0, MESSAGE_LINES - 1), '…'] : message)];
  const place = firstFrame === -1 ? undefined : ownFrame(lines.slice(firstFrame), dir);
  if (place) out.push(`at ${path.relative(dir, place.file)}:${place.line}:${place.column}`, ...codeFrame(place.file, place.line));
  return out;
}

/**
 * What a failure says, apart from where: its message without the stack, on one line, in the
 * workspace's paths. Two runs failing a test the same way give the same text.
 */
export function failureMessage(test: TestCase, dir: string): string {
  const lines = stripVTControlCharacters(test.failure ?? '').split(/\r?\n/);
  const firstFrame = lines.findIndex((l) => FRAME.test(l));
  return inWorkspace(lines.slice(0, firstFrame === -1 ? lines.length : firstFrame).join(' '), dir)
    .replace(/\s+/g, ' ')
    .trim();
}

/** Blank lines at the ends dropped, runs of them made one. */
function tidy(lines: string[]): string[] {
  const out: string[] = [];
  for (const l of lines.map((x) => x.trimEnd())) if (l !== '' || (out.length > 0 && out[out.length - 1] !== '')) out.push(l);
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** The first frame in the workspace's own code (not node_modules, not the runner, not Node). */
function ownFrame(lines: string[], dir: string): { file: string; line: number; column: number } | undefined {
  for (const l of lines) {
    const m = FRAME.exec(l);
    if (!m) continue;
    const file = path.resolve(dir, m[1].replace(/^file:\/\//, ''));
    if (file.startsWith(dir + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`)) return { file, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

/** The failing line and one on each side, numbered, the failing one marked. */
function codeFrame(file: string, line: number): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const all = text.split(/\r?\n/);
  const out: string[] = [];
  for (let n = Math.max(1, line - 1); n <= Math.min(all.length, line + 1); n++) out.push(`${n === line ? '>' : ' '} ${String(n).padStart(4)} | ${all[n - 1].slice(0, 160)}`);
  return out;
}

/** The shadow's paths written as the workspace's (relative to its folder). */
function inWorkspace(line: string, dir: string): string {
  return line.split(`file://${dir}${path.sep}`).join('').split(`${dir}${path.sep}`).join('');
}
