/** Extension-host entry for the attach run: a window opened on a workspace a daemon already works on. */
import * as path from 'node:path';
import { runMocha } from '../mochaRun';

export function run(): Promise<void> {
  return runMocha([path.join(__dirname, 'attach.test.js')], 90_000);
}
