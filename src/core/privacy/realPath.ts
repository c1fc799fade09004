/**
 * Where a workspace path really leads: symbolic links followed (in any folder of the path), so the
 * privacy rules judge the file that would be read, not the name it was reached by.
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The real file's path relative to the real workspace root (with `/`); `null` when it leads out
 * of the workspace; undefined when it does not exist (there is nothing to read).
 */
export function realRelative(root: string, relativePath: string): string | null | undefined {
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync.native(root);
    real = realpathSync.native(path.join(root, relativePath));
  } catch {
    return undefined;
  }
  if (real === realRoot) return '';
  if (!real.startsWith(realRoot + path.sep)) return null;
  return path.relative(realRoot, real).split(path.sep).join('/');
}
