/**
 * The spend ledger: every model call (and later its proposal's decision) as one JSON line,
 * appended to one file per month in the user's state folder. Each append is written with a
 * single write() on an O_APPEND descriptor — so two processes appending at once never
 * interleave — and flushed to disk before it returns. Reading skips and reports a torn last
 * line and any corrupt line by number; it never fails on them.
 */
import { createHash } from 'node:crypto';
import { promises as fsp, readdirSync, readFileSync, renameSync, writeFileSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import { addCall, addDecision, emptyAggregate, mergeAggregate, type LedgerAggregate } from './ledgerAggregate';
import { parseLine, type DecisionEntry, type LedgerEntry, type LedgerLine } from './ledgerEntry';

export interface LedgerProblem {
  file: string;
  /** One-based. */
  line: number;
  kind: 'torn' | 'corrupt';
}

export interface LedgerContents {
  calls: LedgerEntry[];
  decisions: DecisionEntry[];
  problems: LedgerProblem[];
}

const FILE_RE = /^spend-(\d{4})-(\d{2})\.jsonl$/;
/** How every serialized entry begins (its first field is the format version). */
const ENTRY_START = '{"v":1,';

export function monthFile(at: string): string {
  return `spend-${at.slice(0, 7)}.jsonl`;
}

interface FileSummary {
  version: number;
  /** Bytes of the month file folded in: always up to a line's end. */
  bytes: number;
  lines: number;
  /** Hash of the first bytes, so a replaced file is not mistaken for a grown one. */
  headHash: string;
  aggregate: LedgerAggregate;
  problems: LedgerProblem[];
}

const SUMMARY_VERSION = 1;

function headHash(buffer: Buffer, upTo: number): string {
  return createHash('sha256').update(buffer.subarray(0, Math.min(upTo, 4096))).digest('hex').slice(0, 16);
}

/**
 * Calls `visit` for each good line of `text`, records problems (line numbers continue from
 * `lineOffset`) and returns the line count reached.
 */
function visitLines(text: string, lineOffset: number, file: string, problems: LedgerProblem[], visit: (line: LedgerLine) => void): number {
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

/** Thrown when the ledger cannot be written: spending must stop until it can. */
export class LedgerWriteError extends Error {
  constructor(dir: string, cause: unknown) {
    const code = (cause as { code?: string })?.code ?? (cause instanceof Error ? cause.message : String(cause));
    super(`Nightshift cannot write its spend ledger in ${dir} (${code}). Background work is paused until it can; check the folder's permissions and free space.`);
    this.name = 'LedgerWriteError';
  }
}

export class SpendLedger {
  private readonly handles = new Map<string, Promise<fsp.FileHandle>>();
  /** Appends from this process go out one at a time, in order. */
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly dir: string) {}

  /** Resolves once the line is on disk; rejects with a LedgerWriteError if it could not be. */
  append(entry: LedgerEntry | DecisionEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    const write = this.tail.then(async () => {
      try {
        const fh = await this.handle(monthFile(entry.at));
        await fh.write(line);
        await fh.datasync();
      } catch (err) {
        this.handles.delete(monthFile(entry.at));
        throw new LedgerWriteError(this.dir, err);
      }
    });
    this.tail = write.catch(() => undefined);
    return write;
  }

  /** Checks that the folder can be written, creating it if needed. */
  async checkWritable(): Promise<void> {
    try {
      await fsp.mkdir(this.dir, { recursive: true });
      await fsp.access(this.dir, 2 /* W_OK */);
    } catch (err) {
      throw new LedgerWriteError(this.dir, err);
    }
  }

  /** Reads every month file from `fromMonth` ("YYYY-MM") on; missing folder → empty. */
  load(fromMonth = '0000-00'): LedgerContents {
    const out: LedgerContents = { calls: [], decisions: [], problems: [] };
    let files: string[];
    try {
      files = readdirSync(this.dir).filter((f) => FILE_RE.test(f) && f.slice(6, 13) >= fromMonth).sort();
    } catch {
      return out;
    }
    for (const file of files) this.loadFile(file, out);
    return out;
  }

  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map(async (h) => (await h.catch(() => undefined))?.close()));
  }

  private loadFile(file: string, out: LedgerContents): void {
    const text = readFileSync(path.join(this.dir, file), 'utf8');
    visitLines(text, 0, file, out.problems, (parsed) => {
      if (parsed.type === 'call') out.calls.push(parsed.entry);
      else out.decisions.push(parsed.entry);
    });
  }

  /**
   * Sums the ledger from `fromMonth` on. Each month file keeps a summary beside it (the sums up
   * to a byte offset), so a load reads only what was appended since; a summary that no longer
   * fits its file is ignored and rebuilt.
   */
  summarize(fromMonth = '0000-00'): { aggregate: LedgerAggregate; problems: LedgerProblem[] } {
    const aggregate = emptyAggregate();
    const problems: LedgerProblem[] = [];
    let files: string[];
    try {
      files = readdirSync(this.dir).filter((f) => FILE_RE.test(f) && f.slice(6, 13) >= fromMonth).sort();
    } catch {
      return { aggregate, problems };
    }
    for (const file of files) {
      const summary = this.summarizeFile(file);
      mergeAggregate(aggregate, summary.aggregate);
      problems.push(...summary.problems);
    }
    return { aggregate, problems };
  }

  private summarizeFile(file: string): FileSummary {
    const full = path.join(this.dir, file);
    const cachePath = path.join(this.dir, `.${file}.summary.json`);
    const buffer = readFileSync(full);
    let cached: FileSummary | undefined;
    try {
      const raw = JSON.parse(readFileSync(cachePath, 'utf8')) as FileSummary;
      const fits = raw.version === SUMMARY_VERSION && raw.bytes <= buffer.length && raw.headHash === headHash(buffer, raw.bytes);
      if (fits) cached = raw;
    } catch {
      cached = undefined; // none yet, or unreadable: rebuild
    }
    const start = cached?.bytes ?? 0;
    const lastNewline = buffer.lastIndexOf(0x0a);
    const complete = Math.max(start, lastNewline + 1);
    const summary: FileSummary = cached
      ? { ...cached, aggregate: structuredClone(cached.aggregate), problems: cached.problems.filter((p) => p.kind !== 'torn') }
      : { version: SUMMARY_VERSION, bytes: 0, lines: 0, headHash: '', aggregate: emptyAggregate(), problems: [] };
    const text = buffer.toString('utf8', start);
    const lines = visitLines(text, summary.lines, file, summary.problems, (parsed) => {
      if (parsed.type === 'call') addCall(summary.aggregate, parsed.entry);
      else addDecision(summary.aggregate, parsed.entry);
    });
    // Only complete lines are folded into the cache; a torn tail is looked at again next time.
    const tailLines = buffer.subarray(complete).length > 0 ? 1 : 0;
    const result = { ...summary, bytes: complete, lines: lines - tailLines, headHash: headHash(buffer, complete) };
    if (complete > start) {
      try {
        const tmp = `${cachePath}.${process.pid}.tmp`;
        writeFileSync(tmp, JSON.stringify({ ...result, problems: result.problems.filter((p) => p.kind !== 'torn') }));
        renameSync(tmp, cachePath);
      } catch {
        // A summary is only a shortcut: without it the next load reads the whole file again.
      }
    }
    return result;
  }

  private handle(file: string): Promise<fsp.FileHandle> {
    let h = this.handles.get(file);
    if (!h) {
      h = (async () => {
        await fsp.mkdir(this.dir, { recursive: true });
        const fh = await fsp.open(path.join(this.dir, file), 'a+');
        // A torn last line (a crash mid-write) must not swallow the next entry: end it first.
        const stat: Stats = await fh.stat();
        if (stat.size > 0) {
          const last = Buffer.alloc(1);
          await fh.read(last, 0, 1, stat.size - 1);
          if (last[0] !== 0x0a) await fh.write('\n');
        }
        return fh;
      })();
      this.handles.set(file, h);
    }
    return h;
  }
}
