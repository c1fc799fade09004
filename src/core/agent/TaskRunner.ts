/**
 * The agent's run loop: the queue, the tasks running (at most `concurrency` at once, each with its
 * abort), and the hold a backend or the budget asked for (a timer starts the queue again). It
 * decides nothing about what a task is worth or what the agent's state says: the agent tells it
 * when work may not start and hears when tasks start and end.
 */
import type { AgentHost } from './agentHost';
import { TaskQueue } from './TaskQueue';
import type { Task } from './taskSources';

/** Timers are capped so a far-off retry time is re-checked now and then (a day at most). */
const MAX_TIMER_MS = 24 * 3600_000;

export interface RunnerHooks {
  host: Pick<AgentHost, 'settings' | 'setTimer'>;
  /** Paused, or setup missing: nothing starts. */
  blocked(): boolean;
  /** Quiet hours and the like: true when the queue waits now (the agent says why). */
  heldBySchedule(): boolean;
  run(task: Task, signal: AbortSignal): Promise<void>;
  /** Tasks were started; `running()` holds them. */
  started(): void;
  /** A task ended, done or not. */
  ended(task: Task): void;
  /** Nothing started this time (held, all slots busy, nothing queued). */
  unchanged(): void;
  /** The hold ran out; the queue is tried next. */
  holdEnded(): void;
  /** A queued task went without running (dropped, or pushed out of a full queue): never paid for. */
  forgotten(task: Task, why: 'dropped' | 'full'): void;
}

export class TaskRunner {
  readonly queue = new TaskQueue();
  private readonly active = new Map<string, { task: Task; abort: AbortController; done: Promise<void> }>();
  private cancelHold: (() => void) | undefined;

  constructor(private readonly hooks: RunnerHooks) {}

  /** Whether a hold (a backend's retry time, the budget) keeps the queue waiting. */
  get holding(): boolean {
    return this.cancelHold !== undefined;
  }

  running(): Task[] {
    return [...this.active.values()].map((r) => r.task);
  }

  /** Whether anything is queued or running. */
  busy(): boolean {
    return this.queue.length > 0 || this.active.size > 0;
  }

  enqueue(task: Task): void {
    const dropped = this.queue.push(task);
    if (dropped) this.hooks.forgotten(dropped, 'full');
  }

  /** Drops queued tasks; they were never paid for, so a later signal may queue them again. */
  drop(match: (t: Task) => boolean): void {
    for (const task of this.queue.remove(match)) this.hooks.forgotten(task, 'dropped');
  }

  /** Cancels the running tasks that match (what they used is booked by their own run). */
  abort(match: (t: Task) => boolean = () => true): void {
    for (const { task, abort } of this.active.values()) if (match(task)) abort.abort();
  }

  /** Moves a waiting task to the front of the queue, at high priority. */
  runNow(key: string): boolean {
    const [task] = this.queue.remove((t) => t.key === key);
    if (!task) return false;
    this.queue.unshift({ ...task, priority: 'high' });
    this.pump();
    return true;
  }

  /** Drops a waiting task, or stops a running one. */
  cancel(key: string): boolean {
    const running = this.active.get(key);
    if (running) {
      running.abort.abort();
      return true;
    }
    const before = this.queue.length;
    this.drop((t) => t.key === key);
    return this.queue.length < before;
  }

  /** Starts what may start now. */
  pump(): void {
    const limit = Math.max(1, Math.floor(this.hooks.host.settings().concurrency));
    if (this.active.size >= limit || this.hooks.blocked() || this.holding || this.queue.length === 0) return this.hooks.unchanged();
    if (this.hooks.heldBySchedule()) return;
    while (this.active.size < limit && this.queue.length > 0) {
      const task = this.queue.shift()!;
      const abort = new AbortController();
      const done = this.hooks.run(task, abort.signal).finally(() => {
        this.active.delete(task.key);
        this.hooks.ended(task);
        this.pump();
      });
      this.active.set(task.key, { task, abort, done });
    }
    this.hooks.started();
  }

  /** Keeps the queue waiting for `waitMs`, then tries it again. */
  holdUntil(waitMs: number): void {
    this.cancelHold?.();
    this.cancelHold = this.hooks.host.setTimer(Math.min(waitMs, MAX_TIMER_MS), () => {
      this.cancelHold = undefined;
      this.hooks.holdEnded();
      this.pump();
    });
  }

  /** Lifts a hold early; whether there was one. */
  endHold(): boolean {
    if (!this.cancelHold) return false;
    this.cancelHold();
    this.cancelHold = undefined;
    return true;
  }

  /** Stops: the queue is emptied, the hold lifted, running tasks cancelled; resolves once each has ended. */
  async stop(): Promise<void> {
    this.queue.clear();
    this.endHold();
    this.abort();
    await Promise.allSettled([...this.active.values()].map((r) => r.done));
  }
}
