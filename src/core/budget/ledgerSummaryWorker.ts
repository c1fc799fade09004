/** Worker thread: folds the month files it is given into summaries (see SpendLedger.summarize). */
import { parentPort, workerData } from 'node:worker_threads';
import { foldFile, type FileSummary } from './ledgerFile';

const { dir, files } = workerData as { dir: string; files: string[] };
const results: Array<[string, FileSummary]> = files.map((file) => [file, foldFile(dir, file, undefined)]);
parentPort?.postMessage(results);
