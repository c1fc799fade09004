/**
 * The ruff the Ruff extension (charliermarsh.ruff) ships in `bundled/libs/bin`, which that
 * extension runs itself when the environment has none: the user's own tool, so Nightshift may
 * check Ruff's problems with it too (after a ruff beside the folder's Python and PATH's).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

export function bundledRuff(): string | undefined {
  const ruff = vscode.extensions.getExtension('charliermarsh.ruff');
  return ruff ? path.join(ruff.extensionPath, 'bundled', 'libs', 'bin', process.platform === 'win32' ? 'ruff.exe' : 'ruff') : undefined;
}
