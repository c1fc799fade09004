/**
 * One engine per workspace: whichever host works on a workspace (an editor window's server, a
 * `nightshift watch` daemon, a `scan`) holds its lock, so no two ever write its proposal store.
 * The holder is named in `engine.json` beside the lock (its pid, its kind, the daemon's socket),
 * so another host can say who has it, or attach to it. A holder that died leaves a lock that goes
 * stale within half a minute; a live one keeps it fresh.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import lockfile from 'proper-lockfile';
import { processAlive } from '../processAlive';
import { writeJsonAtomically } from '../stateFile';

export interface EngineHolder {
  pid: number;
  host: 'editor' | 'watch' | 'scan';
  startedAt: string;
  /** Where a daemon serves the nightshift/* protocol (a Unix socket or a Windows pipe). */
  socket?: string;
}

export type Claim = { ok: true; release(): Promise<void>; /** Names where this holder can be reached. */ announce(socket: string): void } | { ok: false; holder: EngineHolder | undefined };

const STALE_MS = 30_000;

/** Who holds the workspace now, if anyone (a holder whose process is gone holds nothing). */
export function engineHolder(dir: string): EngineHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(path.join(dir, 'engine.json'), 'utf8')) as EngineHolder;
    if (typeof holder.pid !== 'number' || !processAlive(holder.pid)) return undefined;
    if (!lockfile.checkSync(path.join(dir, 'engine'), { realpath: false, lockfilePath: path.join(dir, 'engine.lock'), stale: STALE_MS })) return undefined;
    return holder;
  } catch {
    return undefined;
  }
}

/** Whether engine.json names a process that no longer runs (no file: the holder is still starting). */
function holderIsGone(dir: string): boolean {
  try {
    const holder = JSON.parse(readFileSync(path.join(dir, 'engine.json'), 'utf8')) as Partial<EngineHolder>;
    return typeof holder.pid === 'number' && !processAlive(holder.pid);
  } catch {
    return false;
  }
}

/** Takes the workspace for this process; refused, with the holder, when another engine has it. */
export async function claimWorkspace(dir: string, holder: Omit<EngineHolder, 'pid' | 'startedAt'>, onLost: (message: string) => void): Promise<Claim> {
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, 'engine');
  const take = () =>
    lockfile.lock(target, {
      realpath: false,
      lockfilePath: path.join(dir, 'engine.lock'),
      stale: STALE_MS,
      update: STALE_MS / 3,
      // A window being reloaded lets go a moment after its successor starts.
      retries: { retries: 4, minTimeout: 150, maxTimeout: 500 },
      onCompromised: (err) => onLost(`Nightshift lost its hold on this workspace's state (${err.message}).`),
    });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    const holder = engineHolder(dir);
    if (holder || !holderIsGone(dir)) return { ok: false, holder };
    // Its holder died without letting go (a killed process): the lock is taken over at once.
    rmSync(path.join(dir, 'engine.lock'), { recursive: true, force: true });
    try {
      release = await take();
    } catch {
      return { ok: false, holder: engineHolder(dir) };
    }
  }
  const me: EngineHolder = { ...holder, pid: process.pid, startedAt: new Date().toISOString() };
  writeJsonAtomically(path.join(dir, 'engine.json'), me);
  return {
    ok: true,
    announce(socket) {
      writeJsonAtomically(path.join(dir, 'engine.json'), { ...me, socket });
    },
    async release() {
      rmSync(path.join(dir, 'engine.json'), { force: true });
      await release().catch(() => undefined);
    },
  };
}

export function describeHolder(holder: EngineHolder | undefined): string {
  if (!holder) return 'another Nightshift process (it is starting or stopping)';
  const what = holder.host === 'editor' ? 'a VS Code window' : `nightshift ${holder.host}`;
  return `${what} (pid ${holder.pid}, since ${holder.startedAt.slice(0, 16).replace('T', ' ')} UTC)`;
}
