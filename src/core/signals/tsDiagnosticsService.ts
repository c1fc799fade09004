/**
 * TypeScript diagnostics for a host that runs all day: the language service lives in a child
 * process, warm while files change, which ends after a spell without requests, handing its memory
 * (a program and its libraries: a few hundred MB) back to the system. The next change starts it cold.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../shared/agentProtocol';
import type { FileDiagnostics } from './tsDiagnostics';
import type { WorkerRequest } from './tsDiagnosticsWorker';

const WORKER_FILE = path.join(__dirname, 'tsDiagnosticsWorker.js');
/** How long the warm checker waits for the next change before it lets its memory go. */
export const TS_IDLE_MS = 120_000;

type Request = { op: 'all' } | { op: 'file'; file: string } | { op: 'unavailable' };
type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

export class TsDiagnosticsService {
  private worker: ChildProcess | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly root: string,
    private readonly idleMs = TS_IDLE_MS,
  ) {}

  all(): Promise<FileDiagnostics[]> {
    return this.ask({ op: 'all' }) as Promise<FileDiagnostics[]>;
  }

  file(file: string): Promise<DiagnosticInfo[] | undefined> {
    return this.ask({ op: 'file', file }) as Promise<DiagnosticInfo[] | undefined>;
  }

  /** Why there are no TypeScript diagnostics here, or undefined when there are. */
  unavailable(): Promise<string | undefined> {
    return this.ask({ op: 'unavailable' }) as Promise<string | undefined>;
  }

  /** Whether the checker is warm (its thread running). */
  warm(): boolean {
    return this.worker !== undefined;
  }

  async dispose(): Promise<void> {
    clearTimeout(this.idleTimer);
    const w = this.worker;
    this.worker = undefined;
    if (!w || w.exitCode !== null) return;
    const exited = new Promise((r) => w.once('exit', r));
    w.kill();
    await exited;
  }

  private ask(req: Request): Promise<unknown> {
    clearTimeout(this.idleTimer);
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.send({ ...req, id } satisfies WorkerRequest);
    }).finally(() => this.armIdle());
  }

  private start(): ChildProcess {
    if (this.worker) return this.worker;
    // Plain Node: the host's own executable, as it runs the host (VS Code's runs scripts as Node with ELECTRON_RUN_AS_NODE).
    const worker = fork(WORKER_FILE, [this.root], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`The TypeScript diagnostics process stopped (exit ${code}).`)));
    this.worker = worker;
    return worker;
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (this.pending.size > 0) return;
    this.idleTimer = setTimeout(() => void this.dispose(), this.idleMs);
    this.idleTimer.unref?.();
  }
}
