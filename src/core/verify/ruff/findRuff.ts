/**
 * Which ruff a workspace folder uses, found as its Python environment or a shell would find it:
 * beside the folder's interpreter (a virtual environment's bin holds the ruff installed into it),
 * then `ruff` on PATH, then the editor's Ruff extension's own (as that extension falls back to it). A ruff inside the folder is the repository's own program: never run where the
 * repository is not trusted. Whether the folder uses Ruff: a ruff.toml, .ruff.toml or a
 * `[tool.ruff…]` table in the pyproject.toml at its top. Reads files only; runs nothing.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isExecutable, onPath, pathOutside, type PythonInterpreter } from '../python/pythonEnv';
import { insideFolder } from '../trustReach';

export interface FoundRuff {
  /** Absolute path of the ruff program. */
  path: string;
  /** What found it, for people: "beside .venv's Python", "PATH". */
  from: string;
}

const EXE = process.platform === 'win32' ? 'ruff.exe' : 'ruff';

export function findRuff(root: string, interpreter: PythonInterpreter | undefined, options: { trusted: boolean; pathEnv?: string; bundled?: string }): FoundRuff | undefined {
  const usable = (p: string) => isExecutable(p) && (options.trusted || !insideFolder(root, p));
  if (interpreter) {
    const beside = path.join(path.dirname(interpreter.path), EXE);
    if (usable(beside)) return { path: beside, from: `beside the ${interpreter.from} Python` };
  }
  const pathEnv = options.pathEnv ?? process.env.PATH ?? '';
  const found = onPath('ruff', options.trusted ? pathEnv : pathOutside(root, pathEnv));
  if (found && usable(found)) return { path: found, from: 'PATH' };
  return options.bundled && usable(options.bundled) ? { path: options.bundled, from: 'the Ruff extension' } : undefined;
}

/** Whether the folder configures Ruff at its top (a Ruff config beside the code, as `ruff check` finds it from there). */
export function usesRuff(root: string): boolean {
  for (const name of ['ruff.toml', '.ruff.toml']) {
    try {
      readFileSync(path.join(root, name));
      return true;
    } catch {
      /* not this one */
    }
  }
  try {
    return /^\s*\[+\s*tool\.ruff\b/m.test(readFileSync(path.join(root, 'pyproject.toml'), 'utf8'));
  } catch {
    return false;
  }
}
