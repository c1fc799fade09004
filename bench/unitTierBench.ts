/**
 * The inner loop: how long `npm run test:unit`'s tests take (the compiled test/unit tier, run as
 * the script runs it, after the bench's own compile), and the processor time they used — on a
 * machine others share, the wall time moves with their load and the processor time much less.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../test/harness/testEnv';
import type { Measured } from './providerBench';

/** What `npm run test:unit` must stay under on this 2-core machine (issue 26). */
export const UNIT_TIER_TARGET_S = 30;

/** Processor seconds used by this process's finished children (Linux); undefined elsewhere. */
function childCpuSeconds(): number | undefined {
  try {
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // Fields 16 and 17 of stat (cutime, cstime), counted from the state field (3): clock ticks.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

/** `dir`: the compiled unit tier (the bench's own compile by default). */
export function unitTierRows(dir = path.join(REPO_ROOT, 'out', 'test', 'unit')): Measured[] {
  const before = childCpuSeconds();
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(path.join(REPO_ROOT, 'test', 'harness', 'noChildProcess.mjs')).href, '--test', '--test-concurrency=2', '--test-reporter=spec', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (Date.now() - started) / 1000;
  const after = childCpuSeconds();
  const count = (name: string) => Number(new RegExp(`^ℹ ${name} (\\d+)$`, 'm').exec(run.stdout)?.[1] ?? NaN);
  if (run.status !== 0) console.error(`The unit tier failed (${count('fail')} failing): its time is still shown.`);
  const rows: Measured[] = [{ metric: `npm run test:unit: the unit tier's ${count('tests')} tests (wall)`, measured: seconds, unit: 's', target: UNIT_TIER_TARGET_S, kind: 'max' }];
  if (before !== undefined && after !== undefined) rows.push({ metric: "the unit tier's processor time (user + system, all its processes)", measured: after - before, unit: 's', target: Infinity, kind: 'max' });
  return rows;
}
