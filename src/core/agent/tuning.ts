/**
 * The agent's side of the tuner: asks it which arm a new task gets (silence skips the task),
 * tells it what each task cost and gave, what the developer did with each proposal — accepted,
 * in part, rejected, left open for a week (ignored), or undone within a day (reverted) — and
 * whether a kind's failed tasks may go to the escalation profile by themselves.
 */
import type { StoredProposal } from '../proposals/ProposalStore';
import { revertWatches } from '../tuner/reverts';
import type { Tuner } from '../tuner/Tuner';
import type { AgentHost } from './agentHost';
import type { TaskResult } from './runTask';
import type { Task } from './taskSources';

/** A proposal still open this long after it was shown counts as ignored. */
export const IGNORED_AFTER_MS = 7 * 24 * 3600_000;
/** An accepted change undone within this long counts as reverted. */
export const REVERT_WINDOW_MS = 24 * 3600_000;

export class AgentTuning {
  /** Kinds whose silence was last logged, so it is said once a day, not per save. */
  private readonly saidSilent = new Map<string, number>();

  constructor(
    readonly tuner: Tuner,
    private readonly host: Pick<AgentHost, 'log' | 'now' | 'settings'>,
  ) {}

  /** Whether a new background task runs; if so it carries the arm it runs with. */
  admit(task: Task): boolean {
    if (task.role === 'escalation') return true;
    const choice = this.tuner.choose(task.kind, this.host.settings().alwaysTrigger.includes(task.kind));
    if (choice.arm === 'silent') {
      const now = this.host.now().getTime();
      if ((this.saidSilent.get(task.kind) ?? 0) < now - 24 * 3600_000) {
        this.saidSilent.set(task.kind, now);
        this.host.log('info', `The tuner keeps ${task.kind} tasks quiet (${choice.why}); skipped ${task.input.relativePath}. See Tuning in the Budget view; nightshift.alwaysTrigger overrides it.`);
      }
      return false;
    }
    task.arm = choice.arm;
    task.exploring = choice.exploring;
    return true;
  }

  /** A task's run ended: what it cost, and whether it gave a proposal. Runs that never reached the model teach nothing. */
  ran(task: Task, result: TaskResult): void {
    if (result.kind !== 'done') return;
    const arm = task.role === 'escalation' ? 'escalation' : (task.arm ?? 'standard');
    this.tuner.recordRun(task.kind, task.key, arm, result.usage.costUsd ?? 0, result.outcome.kind === 'proposal', task.exploring);
  }

  /** The developer decided: `accepted` of `of` hunks (of 0: nothing was left to decide). */
  decided(entry: StoredProposal, accepted: number, of: number): void {
    const kept = of > 0 ? accepted / of : accepted > 0 ? 1 : 0;
    this.tuner.recordFate(entry.taskKey, kept === 0 ? 'rejected' : kept < 1 ? 'partial' : 'accepted', kept);
    if (kept > 0) this.tuner.watchForRevert(entry.taskKey, revertWatches(entry.proposal.files), new Date(this.host.now().getTime() + REVERT_WINDOW_MS));
  }

  /** A file changed: an accepted proposal it undoes counts against its kind. */
  fileChanged(uri: string, text: string | undefined): void {
    for (const key of this.tuner.checkReverts(uri, text)) this.host.log('info', `An accepted proposal (task ${key.slice(0, 8)}) was undone within a day; the tuner counts it as rejected.`);
  }

  /** Open proposals a week old count as ignored; shown ones no longer open and never decided are forgotten. */
  sweep(open: readonly StoredProposal[]): void {
    const now = this.host.now().getTime();
    for (const e of open) if (now - Date.parse(e.proposal.createdAt) > IGNORED_AFTER_MS) this.tuner.recordFate(e.taskKey, 'ignored', 0);
    this.tuner.prune(new Set(open.map((e) => e.taskKey)));
  }

  /** Whether this failed task goes to the escalation profile by itself: allowed by settings and policy, and paid for before. */
  autoEscalation(task: Task): { on: boolean; why: string } {
    if (!this.host.settings().autoEscalate) return { on: false, why: 'not allowed by your settings or the team policy' };
    return this.tuner.autoEscalation(task.kind);
  }
}
