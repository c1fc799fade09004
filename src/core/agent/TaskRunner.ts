/**
 * The agent's run loop: the queue, the tasks running (at most `concurrency` at once, each with its
 * abort), and the agent's state (agentState.ts), which says whether work may start. Events reach
 * the state through `send` only, which carries out what a change means: a hold's timer, the calls
 * under way stopped on a pause, the queue started when work may start again. It decides nothing
 * about what a task is worth: the agent queues, runs each task and hears when one ends.
 */
import type { AgentHost } from './agentHost';
import { allows, holdOf, STARTING, transition, waitingFor, type AgentEvent, type AgentMode } from './agentState';
import { scheduleHold } from './quietHours';
import { TaskQueue } from './TaskQueue';
import { describeFocus, taskItem, type Task } from './taskSources';
import type { TaskItem } from '../../shared/types';

/** Timers are capped so a far-off retry time is re-checked now and then (a day at most). */
const MAX_TIMER_MS = 24 * 3600_000;

export interface RunnerHooks {
  host: Pick<AgentHost, 'settings' | 'setTimer' | 'now' | 'log'>;
  run(task: Task, signal: AbortSignal): Promise<void>;
  /** The state changed, tasks started or ended, or nothing could start: the status is due. */
  changed(): void;
  /** A task ended, done or not (before the state hears of it). */
  ended(task: Task): void;
  /** A queued task went without running (dropped, or pushed out of a full queue): never paid for. */
  forgotten(task: Task, why: 'dropped' | 'full'): void;
}

export class TaskRunner {
  readonly queue = new TaskQueue();
  private readonly active = new Map<string, { task: Task; abort: AbortController; done: Promise<void> }>();
  private cancelHold: (() => void) | undefined;
  private mode: AgentMode = STARTING;
  /** What queued work was last logged as waiting for, so it is said once, not a line per file per save. */
  private saidWaiting: string | undefined;
  /** Whether the user is at the editor (typing, moving about); a host without one never is. */
  private userActive = false;

  constructor(private readonly hooks: RunnerHooks) {}

  get state(): AgentMode {
    return this.mode;
  }

  running(): Task[] {
    return [...this.active.values()].map((r) => r.task);
  }

  /** The tasks running, then those waiting, as the Activity view lists them. */
  items(tokensSoFar: (key: string) => number | undefined): TaskItem[] {
    const running = this.running().map((task) => {
      const tokens = tokensSoFar(task.key);
      return tokens === undefined ? taskItem(task, true) : { ...taskItem(task, true), tokensSoFar: tokens };
    });
    return [...running, ...this.queue.list().map((task) => taskItem(task, false))];
  }

  /** Whether anything is queued or running. */
  busy(): boolean {
    return this.queue.length > 0 || this.active.size > 0;
  }

  /** Queues a task; `announce`: logged as queued, or once per wait what it waits for. */
  enqueue(task: Task, announce = false): void {
    const dropped = this.queue.push(task);
    if (dropped) this.hooks.forgotten(dropped, 'full');
    const waiting = waitingFor(this.mode);
    if (!announce || (waiting && waiting === this.saidWaiting)) return;
    this.saidWaiting = waiting;
    this.hooks.host.log('info', waiting ? `Work waits: ${waiting} Tasks queue until then (${this.queue.length} now).` : `Queued a ${task.kind} task for ${describeFocus(task.input)} in ${task.input.relativePath}.`);
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

  /** The user is at the editor, or has stepped away (a team policy may hold work until they have). */
  setUserActive(active: boolean): void {
    if (this.userActive === active) return;
    this.userActive = active;
    if (!active) this.pump();
  }

  /** Starts what may start now. */
  pump(): void {
    const limit = Math.max(1, Math.floor(this.hooks.host.settings().concurrency));
    if (this.active.size >= limit || this.queue.length === 0 || !this.mayStart()) return this.hooks.changed();
    while (this.active.size < limit && this.queue.length > 0) {
      const task = this.queue.shift()!;
      const abort = new AbortController();
      const done = this.hooks.run(task, abort.signal).finally(() => {
        this.active.delete(task.key);
        this.hooks.ended(task);
        this.send({ type: 'ended', files: this.files() });
        this.pump();
      });
      this.active.set(task.key, { task, abort, done });
    }
    this.send({ type: 'started', files: this.files() });
  }

  /**
   * The one place the agent's state changes: the next state is the table's (agentState.ts); what
   * the change means is carried out here — a hold's timer set or cancelled, the calls under way
   * stopped on a pause (whoever paused), missing setup said once, the queue started when work may
   * start again.
   */
  send(event: AgentEvent): void {
    const before = this.mode;
    const after = transition(before, event);
    this.mode = after;
    const [was, is] = [holdOf(before)?.until, holdOf(after)?.until];
    if (was !== is) this.holdUntil(is);
    if (after.kind === 'paused' && before.kind !== 'paused') this.abort();
    if (after.kind === 'needsSetup' && (before.kind !== 'needsSetup' || before.detail !== after.detail)) this.hooks.host.log('warn', `Nothing runs yet: ${after.detail}`);
    if (!waitingFor(after)) this.saidWaiting = undefined;
    this.hooks.changed();
    if (allows(after).startWork && !allows(before).startWork) this.pump();
  }

  /** Stops: the queue is emptied, running tasks cancelled; resolves once each has ended. */
  async stop(): Promise<void> {
    this.send({ type: 'stop' });
    this.queue.clear();
    this.abort();
    await Promise.allSettled([...this.active.values()].map((r) => r.done));
  }

  /** Whether queued work may start now: the state allows it, and no schedule (quiet hours, working hours, a user at the keyboard under an only-when-idle policy) holds it. */
  private mayStart(): boolean {
    if (!allows(this.mode).startWork) return false;
    const { host } = this.hooks;
    const hold = scheduleHold(host.settings(), host.now(), this.userActive);
    if (!hold) return true;
    this.send({ type: 'hold', by: 'schedule', detail: `${hold.why}: ${this.queue.length} task(s) wait.`, ...(hold.until ? { until: hold.until.getTime() } : {}) });
    return false;
  }

  /** The files of the tasks running. */
  private files(): string[] {
    return [...new Set(this.running().map((t) => t.input.relativePath))];
  }

  /** Sets the hold's timer to `until` (none: cancels it); when it fires, the state hears and the queue is tried. */
  private holdUntil(until: number | undefined): void {
    this.cancelHold?.();
    this.cancelHold = undefined;
    if (until === undefined) return;
    const { host } = this.hooks;
    this.cancelHold = host.setTimer(Math.min(until - host.now().getTime(), MAX_TIMER_MS), () => {
      this.cancelHold = undefined;
      this.send({ type: 'holdEnded' });
      this.pump();
    });
  }
}
