/**
 * Rung 0 in the agent: a background fix tries the compiler's own fixes first (`freeFix`), problem
 * by problem, before the tuner or the queue see it — it needs no backend, so it also runs before
 * one is set up. The log says why a problem got no free fix; the problems left go on to the model.
 * The attempts under way are listed as tasks, and a stop waits for them.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { evidenceKey, evidenceOf } from '../../shared/evidence';
import { insideFolder } from '../verify/trustReach';
import { sha256 } from '../hash';
import type { ProposalStore } from '../proposals/ProposalStore';
import type { TaskItem } from '../../shared/types';
import type { AgentHost } from './agentHost';
import { freeFix, problemLabel, type NotFixed } from './freeFix';
import { taskItem, type Task } from './taskSources';

interface RungZeroDeps {
  host: Pick<AgentHost, 'compilerFixes' | 'verifier' | 'newId' | 'now' | 'log' | 'spend' | 'privacy'>;
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

  /**
   * Tries the compiler's fixes; `then(rest)` gets the task for what is left to the model: the
   * whole task, the problems no free fix settled, or undefined (all settled, or the file moved on
   * meanwhile and its newer text brings its own task).
   */
  start(task: Task, then: (rest: Task | undefined) => void): void {
    const done = this.attempt(task).then((rest) => {
      this.runs.delete(task.key);
      then(rest);
    });
    this.runs.set(task.key, { task, done });
  }

  items(): TaskItem[] {
    return [...this.runs.values()].map(({ task }) => ({ ...taskItem(task, true), compilerFix: true }));
  }

  async settled(): Promise<void> {
    await Promise.allSettled([...this.runs.values()].map((r) => r.done));
  }

  private async attempt(task: Task): Promise<Task | undefined> {
    const { host } = this.deps;
    const root = this.deps.rootOf(task.input.uri);
    // Another file a compiler's fix edits is judged as the task's own was: inside the workspace, and read by the privacy rules.
    const unreadable = (file: string): string | undefined => {
      if (!root) return undefined;
      if (!insideFolder(root, file)) return 'it is outside the workspace';
      const read = host.privacy(pathToFileURL(file).href).check(path.relative(root, file).split(path.sep).join('/'), true);
      return read.allowed ? undefined : read.reason;
    };
    const deps = { fixer: host.compilerFixes!, verifier: host.verifier, root, newId: () => host.newId(), now: () => host.now(), unreadable };
    const result = await freeFix(task, deps).catch((err: unknown) => ({ kind: 'none' as const, reason: err instanceof Error ? err.message : String(err), notFixed: [] as NotFixed[] }));
    if (result.kind !== 'proposal') {
      if (!this.deps.stopping()) host.log('info', `No free fix for ${task.input.relativePath}: ${result.reason}.`);
      return task;
    }
    if (this.deps.stopping()) return task;
    // The file changed while the compiler worked: the newer text brings its own task.
    if (this.deps.latestHash(task.input.uri) !== sha256(task.input.text)) return undefined;
    const { proposal, tool, notFixed } = result;
    this.deps.proposals.add({ proposal, taskKey: task.key, taskId: task.id, taskKind: task.kind });
    this.deps.publish();
    host.log('info', `Proposal "${proposal.title}" for ${task.input.relativePath}: ${tool}'s own fix, ${evidenceOf(proposal.check)}, $0 (no model asked).`);
    await host.spend.recordFree({ taskId: task.id, taskKind: task.kind, backend: tool.split(' ')[0], model: tool, role: 'background', evidence: evidenceKey(proposal.check) }, proposal.id).catch((err: unknown) => host.log('error', err instanceof Error ? err.message : String(err)));
    if (notFixed.length === 0) return undefined;
    host.log('info', `No free fix for ${notFixed.map((n) => `${problemLabel(n.target)} (${n.reason})`).join(', ')} in ${task.input.relativePath}: left for the model.`);
    return { ...task, input: { ...task.input, diagnostics: notFixed.map((n) => n.target) } };
  }
}
