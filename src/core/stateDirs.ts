/**
 * Where a user's Nightshift state lives, the same folder for every host: the spend ledger every
 * window and the headless host spend against, and each workspace's proposals and daemon socket.
 * `NIGHTSHIFT_STATE_DIR` overrides it; otherwise the platform's per-user state folder.
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';

export function userStateDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.NIGHTSHIFT_STATE_DIR) return path.resolve(env.NIGHTSHIFT_STATE_DIR);
  if (platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Nightshift');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Nightshift');
  return path.join(env.XDG_STATE_HOME || path.join(home, '.local', 'state'), 'nightshift');
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
