/**
 * A failure of the user's Nightshift state folder (the ledger, the workspaces' stores, locks, the
 * daemon's socket), told as what happened to which path and what to do about it — never a bare
 * `EISDIR`. The headless host ends with its own documented exit code on one (src/cli/help.ts).
 */
import * as path from 'node:path';

export class StateFolderError extends Error {
  constructor(
    /** The file or folder that could not be used. */
    readonly path: string,
    /** The system's error code (ENOSPC, EISDIR, …), or a word of ours ("owner"). */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StateFolderError';
  }
}

/** What happened to `file`, and the fix, for a system error code. */
export function stateFolderProblem(file: string, code: string): string {
  switch (code) {
    case 'EISDIR':
      return `${file} is a folder where Nightshift keeps a file. Move it out of the way (or delete it if it is not yours), then run again.`;
    case 'ENOTDIR':
      return `Part of ${file} is a file where Nightshift needs a folder. Move that file out of the way, then run again.`;
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk that holds ${file} is full (${code}). Free some space there, or point NIGHTSHIFT_STATE_DIR at a folder on another disk, then run again.`;
    case 'EACCES':
    case 'EPERM':
      return `Nightshift may not write ${file} (${code}). Make it yours (chown, chmod u+rwX), or point NIGHTSHIFT_STATE_DIR at a folder you own, then run again.`;
    case 'EROFS':
      return `${file} is on a read-only file system. Point NIGHTSHIFT_STATE_DIR at a writable folder, then run again.`;
    case 'ELOOP':
      return `${file} is a loop of symbolic links. Remove the link, then run again.`;
    default:
      return `Nightshift could not use ${file} (${code}). Check the folder, or point NIGHTSHIFT_STATE_DIR at another one, then run again.`;
  }
}

/**
 * Runs `fn`; a system error it throws that names no file (a read or a write on an open file says
 * only "EISDIR … read") is made to name `file`, in its `path` and its message.
 */
export function naming<T>(file: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw withPath(err, file);
  }
}

function withPath(err: unknown, file: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (!e || typeof e.code !== 'string' || typeof e.path === 'string') return err;
  e.path = file;
  e.message = `${e.message} '${file}'`;
  return e;
}

/**
 * The error as a state folder failure, when it is a system error in `stateDir` (its path, or
 * `where` for errors that name none, as a write on an open file does); undefined otherwise.
 */
export function asStateFolderError(err: unknown, stateDir: string, where?: string): StateFolderError | undefined {
  if (err instanceof StateFolderError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  if (!e || typeof e.code !== 'string' || !/^E[A-Z]+$/.test(e.code)) return undefined;
  const file = typeof e.path === 'string' ? path.resolve(e.path) : where;
  const root = path.resolve(stateDir);
  if (!file || (file !== root && !file.startsWith(root + path.sep))) return undefined;
  return new StateFolderError(file, e.code, stateFolderProblem(file, e.code));
}
