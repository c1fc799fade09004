/**
 * Rung 0 in the agent: a background fix tries the compiler's own fixes first (`freeFix`), before
 * the tuner or the queue see it — it needs no backend, so it also runs before one is set up. The
 * attempts under way are listed as tasks, and a stop waits for them.
 */
import { evidenceKey, evidenceOf } from '../../shared/evidence';
import { sha256 } from '../hash';
import type { ProposalStore } from '../proposals/ProposalStore';
import type { TaskItem } from '../../shared/types';
import type { AgentHost } from './agentHost';
import { freeFix } from './freeFix';
import { taskItem, type Task } from './taskSources';

interface RungZeroDeps {
  host: Pick<AgentHost, 'compilerFixes' | 'verifier' | 'newId' | 'now' | 'log' | 'spend'>;
  proposals: ProposalStore;
  /** Publishes the proposals after a new one. */
  publish(): void;
  /** The content hash of the file's latest signal (a result for older text is dropped). */
  latestHash(uri: string): string | undefined;
  /** The workspace folder holding the file. */
  rootOf(uri: string): string | undefined;
  stopping(): boolean;
}

export class RungZero {
  private readonly runs = new Map<string, { task: Task; done: Promise<void> }>();

  constructor(private readonly deps: RungZeroDeps) {}

  /** A background fix, with a compiler to ask. */
  applies(task: Task): boolean {
    return task.kind === 'fix' && task.role !== 'escalation' && this.deps.host.compilerFixes !== undefined;
  }

  /** Tries the compiler's fixes; `then(free)` is told whether one became the proposal (or the file moved on meanwhile). */
  start(task: Task, then: (free: boolean) => void): void {
    const done = this.attempt(task).then((free) => {
      this.runs.delete(task.key);
      then(free);
    });
    this.runs.set(task.key, { task, done });
  }

  items(): TaskItem[] {
    return [...this.runs.values()].map(({ task }) => ({ ...taskItem(task, true), compilerFix: true }));
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.runs.values()].map((r) => r.done));
  }

  private async attempt(task: Task): Promise<boolean> {
    const { host } = this.deps;
    const deps = { fixer: host.compilerFixes!, verifier: host.verifier, root: this.deps.rootOf(task.input.uri), newId: () => host.newId(), now: () => host.now() };
    const result = await freeFix(task, deps).catch((err: unknown) => ({ kind: 'none' as const, reason: err instanceof Error ? err.message : String(err) }));
    if (result.kind !== 'proposal' || this.deps.stopping()) return false;
    // The file changed while the compiler worked: the newer text brings its own task.
    if (this.deps.latestHash(task.input.uri) !== sha256(task.input.text)) return true;
    const { proposal, tool } = result;
    this.deps.proposals.add({ proposal, taskKey: task.key, taskId: task.id, taskKind: task.kind });
    this.deps.publish();
    host.log('info', `Proposal "${proposal.title}" for ${task.input.relativePath}: ${tool}'s own fix, ${evidenceOf(proposal.check)}, $0 (no model asked).`);
    await host.spend
      .recordFree({ taskId: task.id, taskKind: task.kind, backend: tool.split(' ')[0], model: tool, role: 'background', evidence: evidenceKey(proposal.check) }, proposal.id)
      .catch((err: unknown) => host.log('error', err instanceof Error ? err.message : String(err)));
    return true;
  }
}
