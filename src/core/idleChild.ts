/**
 * A helper process kept warm while it is asked things and ended after a spell without requests,
 * so that what it holds (a TypeScript program and its libraries: a few hundred MB) goes back to the
 * system — a host that runs all day must not keep it. The next request starts it cold. Requests
 * and answers are matched by id; a process that stops fails what it was asked, never leaves it
 * waiting.
 */
import { fork, type ChildProcess } from 'node:child_process';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/**
 * How long a checker that holds the project (the TypeScript checker, the headless host's
 * TypeScript diagnostics, ESLint) stays warm after the workspace was last worked on — a request,
 * or a save (`touch`). Long enough that saves minutes apart find it warm (at the old 2 minutes,
 * saves five minutes apart started both TypeScript processes cold every time: 17–29 s from a save
 * to a proposal on a real repository, where the model and the check needed under 1.5 s), short
 * enough that a workspace left alone gives its memory back within a quarter of an hour.
 */
export const WARM_WHILE_WORKED_ON_MS = 15 * 60_000;

/** NIGHTSHIFT_IDLE_SCALE: a factor on every helper's idle spell (a bench's shortened clock); 1 when unset or not a positive number. */
export function idleScale(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.NIGHTSHIFT_IDLE_SCALE);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

/** What a child sends back: the request's id and its result or error. */
export interface ChildAnswer {
  id: number;
  result?: unknown;
  error?: string;
}

export class IdleChild<Request extends object> {
  private child: ChildProcess | undefined;
  /** What the current process was asked and has not answered. */
  private current: Map<number, Pending> | undefined;
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly idleMs: number;

  constructor(
    /** The child's script (beside the bundle that starts it). */
    private readonly script: string,
    private readonly args: readonly string[],
    /** How long it stays after its last request or `touch` (times NIGHTSHIFT_IDLE_SCALE). */
    idleMs: number,
    /** Names the child in errors ("The TypeScript checker"). */
    private readonly name: string,
    /** The child's environment (default: the host's); one that runs the repository's code gets a check's clean one. */
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.idleMs = idleMs * idleScale();
  }

  /** The workspace is being worked on (a save): a warm child's idle spell starts again now. A cold one stays cold until asked. */
  touch(): void {
    if (this.child) this.armIdle();
  }

  /** Whether the child runs now. */
  warm(): boolean {
    return this.child !== undefined;
  }

  ask(req: Request): Promise<unknown> {
    clearTimeout(this.idleTimer);
    const { child, pending } = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      child.send({ ...req, id });
    }).finally(() => this.armIdle());
  }

  async dispose(): Promise<void> {
    clearTimeout(this.idleTimer);
    const child = this.child;
    this.child = undefined;
    this.current = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill();
    await exited;
  }

  private start(): { child: ChildProcess; pending: Map<number, Pending> } {
    if (this.child && this.current) return { child: this.child, pending: this.current };
    // Plain Node: the host's own executable, as it runs the host (VS Code's runs scripts as Node with ELECTRON_RUN_AS_NODE).
    const child = fork(this.script, [...this.args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'advanced', env: { ...this.env, ELECTRON_RUN_AS_NODE: '1' } });
    // Each process answers only what was sent to it: one that is ending fails its own requests, not its successor's.
    const pending = new Map<number, Pending>();
    child.on('message', (m: ChildAnswer) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(m.error));
      else p?.resolve(m.result);
    });
    const fail = (err: Error) => {
      if (this.child === child) {
        this.child = undefined;
        this.current = undefined;
      }
      for (const p of pending.values()) p.reject(err);
      pending.clear();
    };
    child.on('error', fail);
    child.on('exit', (code, signal) => fail(new Error(`${this.name} stopped (${signal ?? `exit ${code}`}).`)));
    this.child = child;
    this.current = pending;
    return { child, pending };
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (this.current && this.current.size > 0) return;
    this.idleTimer = setTimeout(() => void this.dispose(), this.idleMs);
    this.idleTimer.unref?.();
  }
}

/** The child's half: answers each request with `handle`'s result or its error, and ends with its host. */
export function serveRequests<Request extends { id: number }>(handle: (req: Request) => unknown | Promise<unknown>): void {
  process.on('message', (req: Request) => {
    void (async () => {
      try {
        process.send?.({ id: req.id, result: await handle(req) } satisfies ChildAnswer);
      } catch (err) {
        process.send?.({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies ChildAnswer);
      }
    })();
  });
  // The host went away: so does its helper.
  process.on('disconnect', () => process.exit(0));
}
