/**
 * Reservations visible to every process that spends against one ledger (several VS Code windows,
 * each with its own agent server, and a headless host): a lock in the ledger folder around
 * "read what the others spent and hold, then reserve" and around "book, then free", and a small
 * file listing the reservations not yet settled. So together they never pass a cap. A process
 * that died mid-call (a kill -9, a crash) leaves its reservation behind, and the backend may well
 * have billed that call: once its pid is gone (or names a process started later: a reused pid) it is a leftover, counted like any reservation until
 * the next process books it at its worst case (SpendAccountant), never dropped unbooked. A
 * reservation of a live pid older than STALE_MS is dropped: its owner books its own call.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import lockfile from 'proper-lockfile';
import { processAlive, processStart } from '../processAlive';
import { readIfPresent, writeJsonAtomically } from '../stateFile';
import type { CallRole } from './ledgerEntry';

/** This process's start (processStart), written beside its pid. */
const STARTED = processStart(process.pid);

/** A reservation older than this is a leftover (no call runs this long): it is dropped. */
export const STALE_MS = 30 * 60_000;

/** Who a reservation's call was for: what its ledger entry says if the process dies mid-call. */
export interface HeldCall {
  workspace: string;
  taskId: string;
  taskKind: string;
  backend: string;
  model: string;
}

export interface SharedHold {
  owner: string;
  pid: number;
  /** When that pid's process started (processStart; Linux only): a pid reused by another process is not the holder. */
  started?: string;
  id: number;
  role: CallRole;
  nano: number;
  /** Epoch ms it was made. */
  at: number;
  call?: HeldCall;
}

export class SharedReservations {
  /** This process's name in the file (a pid can be reused; this cannot). */
  private readonly owner = randomUUID();
  private readonly file: string;
  private readonly lockTarget: string;

  constructor(
    dir: string,
    private readonly now: () => number = Date.now,
  ) {
    this.file = path.join(dir, 'reservations.json');
    this.lockTarget = path.join(dir, 'budget');
  }

  /** Runs `fn` holding the folder's lock (waits for another process's turn; a lock left by a crash goes stale). */
  async locked<T>(fn: (state: SharedState) => T | Promise<T>): Promise<T> {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const release = await lockfile.lock(this.lockTarget, {
      realpath: false,
      lockfilePath: `${this.lockTarget}.lock`,
      stale: 10_000,
      retries: { retries: 200, factor: 1.2, minTimeout: 5, maxTimeout: 100 },
    });
    try {
      const state = new SharedState(this.read(), this.owner, this.now);
      const result = await fn(state);
      if (state.changed) writeJsonAtomically(this.file, { version: 1, held: state.held });
      return result;
    } finally {
      await release();
    }
  }

  private read(): SharedHold[] {
    const text = readIfPresent(this.file);
    if (!text) return [];
    try {
      const data = JSON.parse(text) as { version?: number; held?: unknown };
      if (data.version !== 1 || !Array.isArray(data.held)) return [];
      return data.held.filter(isHold);
    } catch {
      // A torn or foreign file holds nothing we can trust; it is rewritten on the next change.
      return [];
    }
  }
}

/** The reservations as read under the lock; changes are written back when the lock is let go. */
export class SharedState {
  changed = false;

  constructor(
    public held: SharedHold[],
    private readonly owner: string,
    now: () => number,
  ) {
    const t = now();
    const kept = held.filter((h) => {
      if (h.owner === owner) return true;
      if (!processAlive(h.pid, h.started)) {
        this.leftovers.push(h);
        return true;
      }
      return t - h.at < STALE_MS;
    });
    if (kept.length !== held.length) this.changed = true;
    this.held = kept;
    this.at = t;
  }

  private readonly at: number;
  private readonly leftovers: SharedHold[] = [];

  /** Reservations of processes that died before booking their call: book each, then `settle` it. */
  deadOwners(): readonly SharedHold[] {
    return this.leftovers;
  }

  /** A leftover is booked: it holds nothing any more. */
  settle(hold: SharedHold): void {
    const before = this.held.length;
    this.held = this.held.filter((h) => !(h.owner === hold.owner && h.id === hold.id));
    if (this.held.length !== before) this.changed = true;
  }

  /** What the other processes hold. */
  others(): Array<{ role: CallRole; nano: number }> {
    return this.held.filter((h) => h.owner !== this.owner).map(({ role, nano }) => ({ role, nano }));
  }

  add(id: number, role: CallRole, nano: number, call?: HeldCall): void {
    this.held.push({ owner: this.owner, pid: process.pid, ...(STARTED ? { started: STARTED } : {}), id, role, nano, at: this.at, ...(call ? { call } : {}) });
    this.changed = true;
  }

  remove(id: number): void {
    const before = this.held.length;
    this.held = this.held.filter((h) => !(h.owner === this.owner && h.id === id));
    if (this.held.length !== before) this.changed = true;
  }
}

function isHold(h: unknown): h is SharedHold {
  const x = h as SharedHold;
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof x.owner === 'string' &&
    Number.isInteger(x.pid) &&
    Number.isInteger(x.id) &&
    (x.role === 'background' || x.role === 'escalation') &&
    Number.isFinite(x.nano) &&
    x.nano >= 0 &&
    Number.isFinite(x.at) &&
    (x.started === undefined || typeof x.started === 'string') &&
    (x.call === undefined || isCall(x.call))
  );
}

function isCall(c: unknown): c is HeldCall {
  const x = c as HeldCall;
  return typeof x === 'object' && x !== null && [x.workspace, x.taskId, x.taskKind, x.backend, x.model].every((v) => typeof v === 'string');
}
