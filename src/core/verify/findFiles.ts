/**
 * A synchronous walk of a workspace folder for the files a checker wants (the tests that could
 * reach a change, the Python modules), never entering dot folders or the folders `skip` names.
 * An unreadable folder is passed over, never an error.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

export interface FindOptions {
  /** Folders never entered (by name), besides every dot folder. */
  skip: ReadonlySet<string>;
  /** Folders entered below `root` at most (default: no limit). */
  maxDepth?: number;
  /** Whether to leave out a folder by its absolute path too (a virtual environment holding pyvenv.cfg). */
  skipFolder?: (full: string) => boolean;
}

/** The files under `root` (absolute, sorted) that `wanted` keeps. */
export function findFiles(root: string, wanted: (full: string) => boolean, options: FindOptions): string[] {
  const found: string[] = [];
  const maxDepth = options.maxDepth ?? Infinity;
  const walk = (dir: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < maxDepth && !options.skip.has(e.name) && !e.name.startsWith('.') && !options.skipFolder?.(full)) walk(full, depth + 1);
      } else if (e.isFile() && wanted(full)) {
        found.push(full);
      }
    }
  };
  walk(path.resolve(root), 1);
  return found.sort();
}
