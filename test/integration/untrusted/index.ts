/** Extension-host entry for the untrusted-workspace run: a separate window, trust not granted. */
import * as path from 'node:path';
import { runMocha } from '../mochaRun';

export function run(): Promise<void> {
  return runMocha([path.join(__dirname, 'untrusted.test.js')], 60_000);
}
