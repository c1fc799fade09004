/** Small JSON state files the engine keeps between sessions: written whole, atomically (a crash leaves the old file or the new one). */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { naming } from './stateFolderError';

/** Writes the file whole; a failure (a full disk: "ENOSPC … write") names the file, and leaves no half-written copy behind. */
export function writeJsonAtomically(file: string, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  naming(file, () => {
    try {
      writeFileSync(tmp, JSON.stringify(data));
      renameSync(tmp, file);
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
  });
}

/** The file's text, or undefined when there is none yet (or it cannot be read). */
export function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
