/**
 * Where a workspace's tuning lives: its state (`tuner.json`, written whole and atomically after
 * each change) and its log (`tuner-log.jsonl`, one line per choice, result and change, with what
 * each was based on; replayable with `replayTuner`). Each start logs a snapshot first, so any
 * stretch of the log can be replayed from the snapshot before it. An unreadable state file is set
 * aside and tuning starts afresh; nothing is ever lost silently.
 */
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import * as path from 'node:path';
import { readIfPresent, writeJsonAtomically } from '../stateFile';
import { newTunerState, Tuner, type TunerLogEntry, type TunerState } from './Tuner';

/** The log is rotated past this size (one older file is kept). */
const MAX_LOG_BYTES = 4 * 1024 * 1024;

export function openTuner(dir: string | undefined, onProblem: (message: string) => void, now: () => Date = () => new Date()): Tuner {
  const stateFile = dir && path.join(dir, 'tuner.json');
  const logFile = dir && path.join(dir, 'tuner-log.jsonl');
  const state = (stateFile && readState(stateFile, onProblem)) || newTunerState(randomInt(2 ** 31));
  let saving = false;
  const log = (entry: TunerLogEntry) => {
    if (!logFile) return;
    try {
      mkdirSync(path.dirname(logFile), { recursive: true });
      if ((statSizeOf(logFile) ?? 0) > MAX_LOG_BYTES) renameSync(logFile, `${logFile}.1`);
      appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
    } catch (err) {
      onProblem(`The tuning log could not be written: ${err instanceof Error ? err.message : String(err)}.`);
    }
    // The state follows every result and change (a choice moves only the random state, saved with the next result).
    if (stateFile && entry.event !== 'choose' && !saving) {
      saving = true;
      queueMicrotask(() => {
        saving = false;
        try {
          writeJsonAtomically(stateFile, tuner.snapshot());
        } catch (err) {
          onProblem(`The tuning could not be saved: ${err instanceof Error ? err.message : String(err)}.`);
        }
      });
    }
  };
  const tuner = new Tuner(state, log, now);
  log({ event: 'load', at: now().toISOString(), state: tuner.snapshot() });
  return tuner;
}

function readState(file: string, onProblem: (message: string) => void): TunerState | undefined {
  const text = readIfPresent(file);
  if (!text) return undefined;
  try {
    const data = JSON.parse(text) as TunerState;
    if (data?.version !== 1 || typeof data.seed !== 'number' || typeof data.kinds !== 'object' || typeof data.pending !== 'object') throw new Error('unknown format');
    return data;
  } catch (err) {
    const aside = `${file}.unreadable-${Date.now()}`;
    try {
      renameSync(file, aside);
    } catch {
      /* leave it */
    }
    onProblem(`The tuning state could not be read (${err instanceof Error ? err.message : String(err)}); it was set aside as ${path.basename(aside)} and tuning starts afresh.`);
    return undefined;
  }
}

function statSizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}
