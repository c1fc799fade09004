/**
 * The agent's waiting tasks: bounded and ordered by priority (high first, then by arrival). A full
 * queue gives up its lowest-priority, oldest task — never paid for, so a later signal brings it back.
 */
import type { Task } from './taskSources';

/** Tasks waiting at most; beyond it the lowest-priority, oldest one is dropped (it was never paid for). */
export const MAX_QUEUE = 100;

const RANK = { high: 0, normal: 1, low: 2 } as const;

export class TaskQueue {
  private readonly tasks: Task[] = [];

  constructor(private readonly capacity = MAX_QUEUE) {}

  get length(): number {
    return this.tasks.length;
  }

  /** Queues a task in priority order; returns the task dropped to make room, if the queue was full. */
  push(task: Task): Task | undefined {
    const at = this.tasks.findIndex((t) => RANK[t.priority] > RANK[task.priority]);
    this.tasks.splice(at < 0 ? this.tasks.length : at, 0, task);
    if (this.tasks.length <= this.capacity) return undefined;
    const worst = Math.max(...this.tasks.map((t) => RANK[t.priority]));
    return this.tasks.splice(
      this.tasks.findIndex((t) => RANK[t.priority] === worst),
      1,
    )[0];
  }

  /** Puts a task back at the head: it ran and must wait (a hold, a pause). */
  unshift(task: Task): void {
    this.tasks.unshift(task);
  }

  shift(): Task | undefined {
    return this.tasks.shift();
  }

  /** Removes the tasks that match and returns them. */
  remove(match: (task: Task) => boolean): Task[] {
    const removed: Task[] = [];
    for (let i = this.tasks.length - 1; i >= 0; i--) if (match(this.tasks[i])) removed.push(...this.tasks.splice(i, 1));
    return removed;
  }

  /** The waiting tasks, in the order they will run. */
  list(): readonly Task[] {
    return this.tasks;
  }

  /** The files the waiting tasks are about. */
  uris(): string[] {
    return this.tasks.map((t) => t.input.uri);
  }

  clear(): void {
    this.tasks.length = 0;
  }
}
