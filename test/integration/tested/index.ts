/** Extension-host entry for the tested-check run: a window on two projects with real vitest and jest tests. */
import * as path from 'node:path';
import { runMocha } from '../mochaRun';

export function run(): Promise<void> {
  return runMocha([path.join(__dirname, 'tested.test.js')], 120_000);
}
