/** The extension-host side of the main window's integration suite: every *.test.js here. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runMocha } from './mochaRun';

export function run(): Promise<void> {
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(__dirname, f));
  return runMocha(files, 120_000);
}
