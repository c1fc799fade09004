/**
 * Reading a month file of the spend ledger into sums: line by line, skipping and reporting torn
 * and corrupt lines, from where the file's saved summary left off. Shared by the ledger and the
 * worker threads that fold large files in parallel.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { addCall, addDecision, emptyAggregate, type LedgerAggregate } from './ledgerAggregate';
import { parseLine, type LedgerLine } from './ledgerEntry';
import { writeJsonAtomically } from '../stateFile';

export interface LedgerProblem {
  file: string;
  /** One-based. */
  line: number;
  kind: 'torn' | 'corrupt';
}

/** How every serialized entry begins (its first field is the format version). */
const ENTRY_START = '{"v":1,';

export interface FileSummary {
  version: number;
  /** Bytes of the month file folded in: always up to a line's end. */
  bytes: number;
  lines: number;
  /** Hash of the first bytes, so a replaced file is not mistaken for a grown one. */
  headHash: string;
  aggregate: LedgerAggregate;
  problems: LedgerProblem[];
}

/** 2: days count escalated calls too (an older summary is rebuilt). */
export const SUMMARY_VERSION = 3;

const HEAD_BYTES = 4096;

export function headHash(buffer: Buffer, upTo: number): string {
  return createHash('sha256')
    .update(buffer.subarray(0, Math.min(upTo, HEAD_BYTES)))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Calls `visit` for each good line of `text`, records problems (line numbers continue from
 * `lineOffset`) and returns the line count reached.
 */
export function visitLines(text: string, lineOffset: number, file: string, problems: LedgerProblem[], visit: (line: LedgerLine) => void): number {
  let start = 0;
  let lineNo = lineOffset;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const torn = end < 0;
    if (torn) end = text.length;
    lineNo++;
    if (end > start) {
      const line = text.slice(start, end);
      let parsed = torn ? undefined : parseLine(line);
      if (!parsed && !torn) {
        // Another process appended right after a line torn by a crash: its entry is intact at the end.
        const at = line.lastIndexOf(ENTRY_START);
        if (at > 0) {
          parsed = parseLine(line.slice(at));
          if (parsed) problems.push({ file, line: lineNo, kind: 'corrupt' });
        }
      }
      // A line without its newline was cut short of being committed, even if it parses.
      if (parsed) visit(parsed);
      else problems.push({ file, line: lineNo, kind: torn ? 'torn' : 'corrupt' });
    }
    start = end + 1;
  }
  return lineNo;
}

function summaryPath(dir: string, file: string): string {
  return path.join(dir, `.${file}.summary.json`);
}

/** The saved summary of a month file, if there is a readable one (checked against the file by foldFile). */
export function loadSummary(dir: string, file: string): FileSummary | undefined {
  try {
    const raw = JSON.parse(readFileSync(summaryPath(dir, file), 'utf8')) as FileSummary;
    return raw.version === SUMMARY_VERSION ? raw : undefined;
  } catch {
    return undefined; // none yet, or unreadable: rebuild
  }
}

function readRange(fd: number, from: number, to: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, to - from));
  let done = 0;
  while (done < buffer.length) {
    const n = readSync(fd, buffer, done, buffer.length - done, from + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
}

/** Saves a summary for the next load; torn lines are left out, as they are read again then. */
export function writeSummary(dir: string, file: string, summary: FileSummary): void {
  try {
    writeJsonAtomically(summaryPath(dir, file), { ...summary, problems: summary.problems.filter((p) => p.kind !== 'torn') });
  } catch {
    // A summary is only a shortcut: without it the next load reads the whole file again.
  }
}

/**
 * Folds a month file into sums, reading only what `cached` does not cover yet. A summary whose
 * recorded beginning no longer matches the file (it was replaced, or shrank) is ignored.
 */
export function foldFile(dir: string, file: string, cached: FileSummary | undefined): FileSummary {
  const fd = openSync(path.join(dir, file), 'r');
  try {
    const size = fstatSync(fd).size;
    const fits = cached && cached.bytes <= size && cached.headHash === headHash(readRange(fd, 0, Math.min(cached.bytes, HEAD_BYTES)), cached.bytes);
    const base = fits ? cached : undefined;
    const start = base?.bytes ?? 0;
    const tail = readRange(fd, start, size);
    const complete = start + tail.lastIndexOf(0x0a) + 1;
    const summary: FileSummary = base ? { ...base, aggregate: structuredClone(base.aggregate), problems: base.problems.filter((p) => p.kind !== 'torn') } : { version: SUMMARY_VERSION, bytes: 0, lines: 0, headHash: '', aggregate: emptyAggregate(), problems: [] };
    const lines = visitLines(tail.toString('utf8'), summary.lines, file, summary.problems, (parsed) => {
      if (parsed.type === 'call') addCall(summary.aggregate, parsed.entry);
      else addDecision(summary.aggregate, parsed.entry);
    });
    // Only complete lines are folded into the saved summary; a torn tail is read again next time.
    const bytes = Math.max(start, complete);
    const torn = size > bytes ? 1 : 0;
    const head = start >= HEAD_BYTES && base ? base.headHash : headHash(readRange(fd, 0, Math.min(bytes, HEAD_BYTES)), bytes);
    return { ...summary, bytes, lines: lines - torn, headHash: head };
  } finally {
    closeSync(fd);
  }
}
