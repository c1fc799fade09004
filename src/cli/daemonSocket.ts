/**
 * Where `nightshift watch` puts its socket, and the folder it sits in. Unix socket paths are
 * limited to about 100 bytes: a long state folder sends the socket to `$XDG_RUNTIME_DIR/nightshift`
 * (the user's own runtime folder), else to `nightshift-<uid>` in the temp folder, which every local
 * user can write to. Whoever created that folder first could move or replace the socket, so the
 * daemon uses a socket folder only if it is a real folder (no link) owned by this user, closed to
 * 0700 before use — else it refuses, naming the folder. It never chmods someone else's folder.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StateFolderError } from '../core/stateFolderError';

const MAX_SOCKET_BYTES = 100;

export function socketPathFor(workspaceStateDir: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const id = createHash('sha256').update(workspaceStateDir).digest('hex').slice(0, 16);
  if (platform === 'win32') return `\\\\.\\pipe\\nightshift-${id}`;
  const inState = path.join(workspaceStateDir, 'daemon.sock');
  if (Buffer.byteLength(inState) < MAX_SOCKET_BYTES) return inState;
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && path.isAbsolute(runtime)) {
    const inRuntime = path.join(runtime, 'nightshift', `${id}.sock`);
    if (Buffer.byteLength(inRuntime) < MAX_SOCKET_BYTES) return inRuntime;
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return path.join(os.tmpdir(), `nightshift-${uid}`, `${id}.sock`);
}

/**
 * Makes `dir` this user's private folder (created 0700 if missing), or throws a StateFolderError
 * saying why it will not be used: a link, not a folder, another user's, or writable by others.
 */
export function ensurePrivateFolder(dir: string, uid: number | undefined = process.getuid?.()): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // Its parent is missing (a fresh state folder): made as the user's, then this one 0700.
      mkdirSync(path.dirname(dir), { recursive: true, mode: 0o700 });
      return ensurePrivateFolder(dir, uid);
    }
    if (code !== 'EEXIST') throw err;
  }
  const st = lstatSync(dir);
  const refuse = (what: string, code: string) =>
    new StateFolderError(
      dir,
      code,
      `The daemon's socket folder ${dir} ${what}, so another local user could move or replace the socket; Nightshift will not serve editors from it. Remove ${dir}${code === 'owner' ? ' (as its owner or root)' : ''}, or set XDG_RUNTIME_DIR to your own runtime folder, then start again.`,
    );
  if (st.isSymbolicLink()) throw refuse('is a symbolic link', 'symlink');
  if (!st.isDirectory()) throw refuse('is not a folder', 'ENOTDIR');
  if (uid !== undefined && st.uid !== uid) throw refuse(`belongs to another user (uid ${st.uid})`, 'owner');
  // Ours (nobody else can make a folder ours), so ours to close; the socket left in it is removed before listening.
  if ((st.mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  const mode = lstatSync(dir).mode & 0o777;
  if (mode !== 0o700) throw refuse(`stays open to other users (mode ${mode.toString(8)} after chmod 700)`, 'mode');
}
