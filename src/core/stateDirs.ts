/**
 * Where a user's Nightshift state lives, the same folder for every host: the spend ledger every
 * window and the headless host spend against, and each workspace's proposals and daemon socket.
 * `NIGHTSHIFT_STATE_DIR` overrides it; otherwise the platform's per-user state folder.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, statSync, type Stats } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function userStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.NIGHTSHIFT_STATE_DIR) return path.resolve(env.NIGHTSHIFT_STATE_DIR);
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Nightshift');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Nightshift');
  return path.join(env.XDG_STATE_HOME || path.join(home, '.local', 'state'), 'nightshift');
}

/**
 * Makes the user's state folder private at start: created 0700 when missing (its parents as before),
 * closed to 0700 when found wider open and owned by this user. It holds file contents (proposals)
 * and the ledger, and the files in it are written with the default mode, so the folder is what
 * keeps other local users out. Another user's folder is never chmodded: `warn` says so instead.
 * A folder that cannot be made is left to the first write, which names the problem.
 */
export function securePrivateStateDir(dir: string, warn: (message: string) => void, uid: number | undefined = process.getuid?.()): void {
  if (uid === undefined) return; // Windows: the folder under the user's profile is already theirs alone.
  const st = makePrivateFolder(dir);
  if (!st) return;
  if (st.uid !== uid) {
    warn(`Nightshift's state folder ${dir} belongs to another user (uid ${st.uid}), who can read your proposals and ledger in it; it was left as it is. Use a folder of your own (NIGHTSHIFT_STATE_DIR).`);
    return;
  }
  if ((st.mode & 0o077) === 0) return;
  try {
    chmodSync(dir, 0o700);
  } catch (err) {
    warn(`Nightshift's state folder ${dir} is open to other local users (mode ${(st.mode & 0o777).toString(8)}) and could not be closed to 0700 (${err instanceof Error ? err.message : String(err)}).`);
  }
}

/** Makes the folder 0700 if it is missing; what it is now (undefined: not there, or not a folder). */
function makePrivateFolder(dir: string): Stats | undefined {
  try {
    mkdirSync(path.dirname(dir), { recursive: true });
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
  }
  try {
    const st = statSync(dir);
    return st.isDirectory() ? st : undefined;
  } catch {
    return undefined;
  }
}

/** A workspace's own state folder (proposals, escalations, the daemon's socket and lock), by its first folder's real path. */
export function workspaceStateDir(stateDir: string, folder: string): string {
  const id = createHash('sha256').update(path.resolve(folder)).digest('hex').slice(0, 16);
  return path.join(
    stateDir,
    'workspaces',
    `${path
      .basename(path.resolve(folder))
      .replace(/[^\w.-]/g, '_')
      .slice(0, 40)}-${id}`,
  );
}
