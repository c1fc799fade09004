/**
 * `npm run replay-tuning -- <tuner-log.jsonl>`: replays a workspace's tuning log offline (from
 * its first snapshot) through the real tuner and prints whether every choice came out as logged,
 * and each kind's setting at the end. The log is in the workspace's state folder.
 */
import * as fs from 'node:fs';
import { replayTuner, Tuner, type TunerLogEntry } from '../src/core/tuner/Tuner';

function main(file: string | undefined): number {
  if (!file) {
    console.error('Usage: npm run replay-tuning -- <path to tuner-log.jsonl>');
    return 2;
  }
  const entries: TunerLogEntry[] = [];
  let bad = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      entries.push(JSON.parse(line) as TunerLogEntry);
    } catch {
      bad++;
    }
  }
  const { state, mismatches, choices } = replayTuner(entries);
  if (!state) {
    console.error(`${file} holds no snapshot to start from (${entries.length} entries).`);
    return 1;
  }
  console.log(`${entries.length} entries (${bad} unreadable lines skipped), ${choices} choices replayed, ${mismatches} came out otherwise.`);
  for (const v of new Tuner(state).view([], false)) console.log(`${v.kind}: ${v.setting}${v.frozen ? ' (frozen)' : ''} — ${v.why}`);
  return mismatches === 0 ? 0 : 1;
}

process.exitCode = main(process.argv[2]);
