/**
 * The background agent: takes settled-diagnostic signals, turns them into fix tasks (one per
 * file content and problem set, never paid for twice), runs them one at a time, and keeps the
 * open proposals. Host-neutral: the LSP server and the CLI wire it to their world through the
 * callbacks in AgentHost. It never polls: with no signal it does nothing.
 */
import type { DecideProposalParams, SettledDiagnosticsParams } from '../../shared/agentProtocol';
import type { AgentState, AgentStatus, Proposal, UserAction } from '../../shared/types';
import { formatUsd } from '../../shared/format';
import { sha256 } from '../hash';
import { ModelError, type ModelBackend } from '../providers/modelBackend';
import { ProposalStore } from '../proposals/ProposalStore';
import { runFixTask } from './fixTask';
import type { FixInput } from './fixPrompt';

export type BackendResolution = { backend: ModelBackend } | { missingKey: string };

export interface AgentHost {
  resolveBackend(): Promise<BackendResolution>;
  maxCompletionTokens(): Promise<number>;
  onStatus(status: AgentStatus): void;
  onProposals(proposals: Proposal[]): void;
  onUserMessage(level: 'info' | 'warning' | 'error', message: string, action?: UserAction): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  now(): Date;
  newId(): string;
}

interface Task {
  key: string;
  input: FixInput;
}

/** Files larger than this are not sent to the model. */
export const MAX_FILE_CHARS = 512 * 1024;

export class BackgroundAgent {
  private readonly proposals = new ProposalStore();
  /** Task keys that were worked on, proposed or decided: never paid for again. */
  private readonly seen = new Set<string>();
  private readonly queue: Task[] = [];
  private running: { task: Task; abort: AbortController } | undefined;
  private paused = false;
  /** Paused by a rejected key: a new key resumes the agent by itself. */
  private stoppedForAuth = false;
  private state: AgentState = 'idle';
  private detail = 'Waiting for problems to settle after a save.';
  private spendDay = '';
  private spendTodayUsd = 0;

  constructor(private readonly host: AgentHost) {}

  status(): AgentStatus {
    this.rollSpendDay();
    return { state: this.state, detail: this.detail, spendTodayUsd: this.spendTodayUsd, queued: this.queue.length };
  }

  onSettledDiagnostics(params: SettledDiagnosticsParams): void {
    const contentHash = sha256(params.text);
    if (this.proposals.dropStale(params.uri, contentHash) > 0) this.publishProposals();
    // Work queued or running for an older version of this file is out of date.
    this.dropQueued((t) => t.input.uri === params.uri);
    if (this.running && this.running.task.input.uri === params.uri && sha256(this.running.task.input.text) !== contentHash) {
      this.running.abort.abort();
    }
    const errors = params.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length === 0) return this.publishStatus();
    if (params.text.length > MAX_FILE_CHARS || params.text.includes('\u0000')) {
      this.host.log('info', `Skipped ${params.relativePath}: the file is too large or binary.`);
      return;
    }
    const problems = errors.map((d) => `${d.range.startLine}:${d.range.startCharacter}:${d.code ?? ''}:${d.message}`).sort();
    const key = sha256([params.relativePath, contentHash, ...problems].join('\u0000'));
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.queue.push({ key, input: { ...params, diagnostics: errors } });
    this.host.log('info', `Queued a fix for ${errors.length} problem(s) in ${params.relativePath}.`);
    this.pump();
  }

  setPaused(paused: boolean): AgentStatus {
    this.paused = paused;
    if (paused) this.setState('paused', 'Paused. Resume to let Nightshift work on new problems.');
    else {
      this.setState('idle', 'Waiting for problems to settle after a save.');
      this.pump();
    }
    return this.status();
  }

  /** The key or the backend settings may have changed: try again if the agent stopped for want of a key. */
  onCredentialsChanged(): void {
    if (this.state === 'needsKey' || (this.paused && this.stoppedForAuth)) {
      this.stoppedForAuth = false;
      this.setPaused(false);
    }
  }

  decide(params: DecideProposalParams): { ok: boolean } {
    const proposal = this.proposals.get(params.id);
    if (!proposal) return { ok: false };
    const key = this.proposals.remove(params.id);
    if (key) this.seen.add(key);
    const verb = params.decision === 'accept' ? (params.applied === false ? 'could not be applied' : 'accepted') : 'rejected';
    this.host.log('info', `Proposal "${proposal.title}" ${verb}.`);
    this.publishProposals();
    return { ok: true };
  }

  dispose(): void {
    this.queue.length = 0;
    this.running?.abort.abort();
  }

  /** Drops queued tasks; they were never paid for, so a later signal may queue them again. */
  private dropQueued(match: (t: Task) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (match(this.queue[i])) this.seen.delete(this.queue.splice(i, 1)[0].key);
    }
  }

  private pump(): void {
    if (this.running || this.paused || this.state === 'needsKey' || this.queue.length === 0) return this.publishStatus();
    const task = this.queue.shift()!;
    const abort = new AbortController();
    this.running = { task, abort };
    void this.run(task, abort.signal).finally(() => {
      this.running = undefined;
      if (this.state === 'working') this.setState('idle', 'Waiting for problems to settle after a save.');
      this.pump();
    });
  }

  private async run(task: Task, signal: AbortSignal): Promise<void> {
    const resolved = await this.host.resolveBackend();
    if ('missingKey' in resolved) {
      this.queue.unshift(task);
      this.setState('needsKey', resolved.missingKey);
      return;
    }
    const { backend } = resolved;
    this.setState('working', `Working on ${task.input.relativePath} with ${backend.model}…`);
    try {
      const outcome = await runFixTask(task.input, backend, {
        maxCompletionTokens: await this.host.maxCompletionTokens(),
        signal,
        newId: () => this.host.newId(),
        now: () => this.host.now(),
      });
      this.addSpend(outcome.costUsd);
      const u = outcome.result.usage;
      const cost = outcome.costUsd === null ? 'cost unknown' : formatUsd(outcome.costUsd);
      const tokens = `${u.inputTokens} in / ${u.outputTokens} out${outcome.result.usageReported ? '' : ' (estimated)'}`;
      if (outcome.kind === 'none') {
        this.host.log('warn', `No proposal for ${task.input.relativePath}: ${outcome.reason}. ${outcome.result.model}, ${tokens}, ${cost}.`);
        return;
      }
      this.proposals.add(outcome.proposal, task.key);
      this.host.log('info', `Proposal "${outcome.proposal.title}" for ${task.input.relativePath}. ${outcome.result.model}, ${tokens}, ${cost}.`);
      this.publishProposals();
    } catch (err) {
      this.onTaskError(task, err);
    }
  }

  private onTaskError(task: Task, err: unknown): void {
    if (!(err instanceof ModelError)) {
      this.seen.delete(task.key);
      this.host.log('error', `Fix task for ${task.input.relativePath} failed: ${err instanceof Error ? err.message : String(err)}`);
      this.setState('error', 'Something went wrong; see the Nightshift log.');
      return;
    }
    if (err.kind === 'aborted') {
      this.seen.delete(task.key);
      this.host.log('info', `Stopped work on ${task.input.relativePath}: the file changed.`);
      return;
    }
    this.host.log('error', err.message);
    if (err.kind === 'auth' || err.kind === 'balance') {
      // Keep the task: it runs once the user has fixed the key or the balance and resumed.
      this.queue.unshift(task);
      this.paused = true;
      this.stoppedForAuth = err.kind === 'auth';
      this.setState('paused', err.message);
      this.host.onUserMessage('error', err.message, err.kind === 'auth' ? 'setApiKey' : undefined);
      return;
    }
    // Rate limits, server and network faults, unreadable replies: a later signal may try again.
    this.seen.delete(task.key);
    this.setState('error', err.message);
  }

  private rollSpendDay(): void {
    const day = this.host.now().toDateString();
    if (day !== this.spendDay) {
      this.spendDay = day;
      this.spendTodayUsd = 0;
    }
  }

  private addSpend(cost: number | null): void {
    this.rollSpendDay();
    if (cost !== null) this.spendTodayUsd += cost;
  }

  private setState(state: AgentState, detail: string): void {
    this.state = state;
    this.detail = detail;
    this.publishStatus();
  }

  private publishStatus(): void {
    this.host.onStatus(this.status());
  }

  private publishProposals(): void {
    this.host.onProposals(this.proposals.list());
  }
}
