/**
 * The spend ledger: every model call (and later its proposal's decision) as one JSON line,
 * appended to one file per month in the user's state folder. Each append is written with a
 * single write() on an O_APPEND descriptor — so two processes appending at once never
 * interleave — and flushed to disk before it returns. Reading skips and reports a torn last
 * line and any corrupt line by number; it never fails on them.
 */
import { existsSync, promises as fsp, readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { emptyAggregate, mergeAggregate, type LedgerAggregate } from './ledgerAggregate';
import type { DecisionEntry, LedgerEntry } from './ledgerEntry';
import { foldFile, loadSummary, visitLines, writeSummary, type FileSummary, type LedgerProblem } from './ledgerFile';
import { naming, StateFolderError } from '../stateFolderError';

export type { LedgerProblem };

export interface LedgerContents {
  calls: LedgerEntry[];
  decisions: DecisionEntry[];
  problems: LedgerProblem[];
}

const FILE_RE = /^spend-(\d{4})-(\d{2})\.jsonl$/;
/** Worker threads pay off only for big first reads (a busy year without summaries). */
const PARALLEL_MIN_FILE_BYTES = 4 << 20;
const PARALLEL_MIN_TOTAL_BYTES = 32 << 20;
/** Built beside this module (dist/ in the extension, out/ in tests). */
const WORKER_FILE = path.join(__dirname, 'ledgerSummaryWorker.js');

/** Folds files on worker threads, each taking every n-th file; undefined if workers are unavailable. */
async function foldInWorkers(dir: string, files: string[]): Promise<Map<string, FileSummary> | undefined> {
  if (!existsSync(WORKER_FILE)) return undefined;
  const count = Math.min(files.length, Math.max(1, availableParallelism()));
  const shares = Array.from({ length: count }, (_, w) => files.filter((_, i) => i % count === w));
  try {
    const results = await Promise.all(
      shares.map(
        (share) =>
          new Promise<Array<[string, FileSummary]>>((resolve, reject) => {
            const worker = new Worker(WORKER_FILE, { workerData: { dir, files: share } });
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.once('exit', (code) => code !== 0 && reject(new Error(`ledger worker exited with ${code}`)));
          }),
      ),
    );
    return new Map(results.flat());
  } catch {
    return undefined; // fold on this thread instead
  }
}

export function monthFile(at: string): string {
  return `spend-${at.slice(0, 7)}.jsonl`;
}

/** Thrown when the ledger cannot be written: spending must stop until it can. A failure of the state folder (the headless host exits with its code). */
export class LedgerWriteError extends StateFolderError {
  constructor(dir: string, cause: unknown) {
    const code = (cause as { code?: string })?.code ?? (cause instanceof Error ? cause.message : String(cause));
    super(dir, code, `Nightshift cannot write its spend ledger in ${dir} (${code}). Background work is paused until it can; check the folder's permissions and free space.`);
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
    for (const file of this.monthFiles(fromMonth)) this.loadFile(file, out);
    return out;
  }

  /** Closes the files once every append already asked for is on disk: a stop loses no line. */
  async close(): Promise<void> {
    await this.tail;
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map(async (h) => (await h.catch(() => undefined))?.close()));
  }

  private loadFile(file: string, out: LedgerContents): void {
    const text = naming(path.join(this.dir, file), () => readFileSync(path.join(this.dir, file), 'utf8'));
    visitLines(text, 0, file, out.problems, (parsed) => {
      if (parsed.type === 'call') out.calls.push(parsed.entry);
      else out.decisions.push(parsed.entry);
    });
  }

  /**
   * Sums the ledger from `fromMonth` on. Each month file keeps a summary beside it (the sums up
   * to a byte offset), so a load reads only what was appended since; a summary that no longer
   * fits its file is ignored and rebuilt. Large files without a summary are folded in parallel
   * on worker threads.
   */
  async summarize(fromMonth = '0000-00', options: { parallel?: boolean } = {}): Promise<{ aggregate: LedgerAggregate; problems: LedgerProblem[] }> {
    const minFile = options.parallel ? 0 : PARALLEL_MIN_FILE_BYTES;
    const minTotal = options.parallel === undefined ? PARALLEL_MIN_TOTAL_BYTES : options.parallel ? 0 : Number.POSITIVE_INFINITY;
    const aggregate = emptyAggregate();
    const problems: LedgerProblem[] = [];
    const summaries = new Map<string, FileSummary>();
    /** What each saved summary covered, so unchanged ones are not rewritten. */
    const loadedBytes = new Map<string, number>();
    const cold: string[] = [];
    let coldBytes = 0;
    for (const file of this.monthFiles(fromMonth)) {
      const cached = loadSummary(this.dir, file);
      if (cached) loadedBytes.set(file, cached.bytes);
      const size = statSync(path.join(this.dir, file)).size;
      if (cached || size < minFile)
        summaries.set(
          file,
          naming(path.join(this.dir, file), () => foldFile(this.dir, file, cached)),
        );
      else {
        cold.push(file);
        coldBytes += size;
      }
    }
    const parallel = coldBytes >= minTotal && cold.length > 1 ? await foldInWorkers(this.dir, cold) : undefined;
    for (const file of cold) summaries.set(file, parallel?.get(file) ?? naming(path.join(this.dir, file), () => foldFile(this.dir, file, undefined)));
    for (const [file, summary] of summaries) {
      mergeAggregate(aggregate, summary.aggregate);
      problems.push(...summary.problems);
      if (summary.bytes !== loadedBytes.get(file)) writeSummary(this.dir, file, summary);
    }
    return { aggregate, problems };
  }

  /** The month files from `fromMonth` on; none when the folder is not there yet. A ledger that is a file is an error, never an empty ledger. */
  private monthFiles(fromMonth: string): string[] {
    try {
      return readdirSync(this.dir)
        .filter((f) => FILE_RE.test(f) && f.slice(6, 13) >= fromMonth)
        .sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
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
