/**
 * The agent's side of escalation: the tasks the background model could not do wait here (the
 * "Needs a Stronger Model" list), each can be quoted before anything is spent, sent to the
 * escalation profile by the user — or by itself where the tuner says escalations of its kind pay —
 * and comes back on the list when its escalation could not run. Files that change drop their tasks.
 */
import type { EscalationQuote } from '../../shared/types';
import type { WorkspaceContext } from '../context/WorkspaceContext';
import type { AgentHost } from './agentHost';
import { quoteEscalation, type Escalations } from './escalations';
import type { TaskResult } from './runTask';
import type { Task } from './taskSources';
import type { AgentTuning } from './tuning';

interface DeskDeps {
  host: AgentHost;
  tuning: AgentTuning;
  workspaceOf(uri: string): WorkspaceContext | undefined;
  /** Queues a task taken off the list, ahead of background work. */
  queue(task: Task): void;
  stopping(): boolean;
}

export class EscalationDesk {
  constructor(
    private readonly list: Escalations,
    private readonly deps: DeskDeps,
  ) {}

  publish(): void {
    this.deps.host.onEscalations(this.list.list());
  }

  uris(): string[] {
    return this.list.uris();
  }

  /** The file now holds `text` (undefined: gone): tasks made on other content leave the list. */
  fileChanged(uri: string, text: string | undefined): void {
    if (this.list.dropFiles((u, t) => u === uri && t !== text)) this.publish();
  }

  /**
   * What escalating a waiting task would cost on the escalation profile — its first call, the
   * likely and the most — and what is left of the escalation share. Nothing is spent.
   */
  async quote(id: string): Promise<EscalationQuote> {
    const task = this.list.get(id);
    if (!task) return { ok: false, message: 'That task no longer waits for escalation (its file changed, or it was escalated).' };
    const { host } = this.deps;
    return quoteEscalation(task, {
      privacy: () => host.privacy(task.input.uri),
      resolveBackend: (o) => host.resolveBackend(o),
      spend: host.spend,
      workspace: this.deps.workspaceOf(task.input.uri),
      maxCompletionTokens: () => host.maxCompletionTokens(),
    });
  }

  /** Sends a waiting task to the escalation profile, ahead of background work. */
  escalate(id: string): { ok: boolean } {
    const task = this.list.take(id);
    if (!task) return { ok: false };
    this.publish();
    this.deps.host.log('info', `Escalating the ${task.kind} task for ${task.input.relativePath}.`);
    this.deps.queue(task);
    return { ok: true };
  }

  /**
   * A task's result, as far as escalation goes: an escalation that did not run goes back on the
   * list (returns true: nothing else is to be made of it); a background task that came to nothing
   * joins the list, and is escalated at once where that pays.
   */
  afterResult(task: Task, result: TaskResult): boolean {
    const { host } = this.deps;
    if (task.role === 'escalation' && (result.kind === 'setup' || result.kind === 'held' || result.kind === 'skipped' || result.kind === 'declined')) {
      // An escalation the user asked for does not stall background work: it goes back on the list.
      const why = result.kind === 'setup' ? result.message : result.reason;
      host.log('warn', `The escalation of the ${task.kind} task for ${task.input.relativePath} did not run: ${why}`);
      host.onUserMessage('warning', `The escalation did not run: ${why}`, result.kind === 'setup' ? result.action : undefined);
      this.list.restore(task, why, host.now());
      this.publish();
      return true;
    }
    if (result.kind === 'done' && result.outcome.kind === 'none' && this.list.add(task, result.outcome.reason, host.now())) {
      this.publish();
      const auto = this.deps.tuning.autoEscalation(task);
      if (auto.on && !this.deps.stopping()) {
        host.log('info', `Escalating the ${task.kind} task for ${task.input.relativePath} by itself: ${auto.why}.`);
        this.escalate(task.id);
      }
    }
    return false;
  }
}
