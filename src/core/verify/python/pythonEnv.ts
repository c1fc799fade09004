/**
 * Which Python a workspace folder uses, found the way the editor's Python extension would: the
 * configured interpreter (`python.defaultInterpreterPath`), then a virtual environment in the folder
 * (`.venv`, `venv`, `env`), then `python3` / `python` on PATH. An interpreter inside the folder is
 * the repository's own program: where the repository is not trusted it is never used (pyright runs
 * the interpreter to learn its search paths), and PATH's stands in. Also where our pyright is.
 * Must never guess: a folder with no Python found says so.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { pythonFiles } from './pythonImports';
import { insideFolder } from '../trustReach';

export interface PythonInterpreter {
  /** Absolute path of the interpreter. */
  path: string;
  /** What found it, for people: "python.defaultInterpreterPath", ".venv", "PATH". */
  from: string;
}

export interface InterpreterOptions {
  /** The configured interpreter for the folder, if set: the editor's `python.defaultInterpreterPath`, the headless host's `pythonInterpreter`. */
  configured?: string;
  /** The setting `configured` comes from, for people (default: python.defaultInterpreterPath). */
  configuredFrom?: string;
  /** Whether the repository may run its own programs (an interpreter inside it is one). */
  trusted: boolean;
  /** PATH to search (default: this process's). */
  pathEnv?: string;
}

const VENV_DIRS = ['.venv', 'venv', 'env'];
const BIN = process.platform === 'win32' ? ['Scripts', 'python.exe'] : ['bin', 'python'];

/** The folder's interpreter, or undefined when there is none to use. */
export function findInterpreter(root: string, options: InterpreterOptions): PythonInterpreter | undefined {
  const usable = (p: string) => isExecutable(p) && (options.trusted || !insideFolder(root, p));
  const configured = options.configured?.trim();
  // The Python extension's default ("python") names no interpreter: PATH decides.
  if (configured && configured !== 'python' && configured !== 'python3') {
    const expanded = configured.replace(/\$\{workspaceFolder\}/g, root).replace(/^~(?=$|[\\/])/, process.env.HOME ?? '~');
    const abs = path.isAbsolute(expanded) ? expanded : path.resolve(root, expanded);
    if (usable(abs)) return { path: abs, from: options.configuredFrom ?? 'python.defaultInterpreterPath' };
  }
  for (const dir of VENV_DIRS) {
    const candidate = path.join(root, dir, ...BIN);
    if (existsSync(path.join(root, dir, 'pyvenv.cfg')) && usable(candidate)) return { path: candidate, from: dir };
  }
  // Untrusted, PATH's folders inside the repository (an activated .venv) are passed over, not only their first find.
  const pathEnv = options.trusted ? (options.pathEnv ?? process.env.PATH ?? '') : pathOutside(root, options.pathEnv ?? process.env.PATH ?? '');
  for (const name of ['python3', 'python']) {
    const found = onPath(name, pathEnv);
    if (found && usable(found)) return { path: found, from: 'PATH' };
  }
  return undefined;
}

/** PATH without its folders inside `root`: what a program the checks start (pyright looks for Python there) may find in an untrusted repository. */
export function pathOutside(root: string, pathEnv: string): string {
  return pathEnv
    .split(path.delimiter)
    .filter((dir) => dir && !insideFolder(root, dir))
    .join(path.delimiter);
}

/** The first executable `name` on a PATH. */
export function onPath(name: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? `${name}.exe` : name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export function isExecutable(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether a folder holds Python code worth checking: a config, or a .py file at its top or one level down. */
export function looksLikePython(root: string): boolean {
  if (['pyrightconfig.json', 'pyproject.toml', 'setup.py', 'setup.cfg'].some((f) => existsSync(path.join(root, f)))) return true;
  return pythonFiles(root, 2).length > 0;
}

/** Our pyright: its version and its scripts (the language server and the command line). */
export interface PyrightPackage {
  version: string;
  langserver: string;
  cli: string;
}

let pyright: PyrightPackage | undefined | null = null;

/**
 * The pyright we ship: beside the bundle (dist/pyright, copied there at build time) or, running
 * from source, the one in node_modules. undefined when neither is there.
 */
export function pyrightPackage(): PyrightPackage | undefined {
  if (pyright !== null) return pyright;
  const candidates = [path.join(__dirname, 'pyright'), ...resolvedPackage()];
  pyright = undefined;
  for (const dir of candidates) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string };
      const langserver = path.join(dir, 'langserver.index.js');
      const cli = path.join(dir, 'index.js');
      if (manifest.version && existsSync(langserver) && existsSync(cli)) {
        pyright = { version: manifest.version, langserver, cli };
        break;
      }
    } catch {
      /* not here */
    }
  }
  return pyright;
}

function resolvedPackage(): string[] {
  try {
    return [path.dirname(require.resolve('pyright/package.json'))];
  } catch {
    return [];
  }
}
