/**
 * The background agent: takes settled-diagnostic signals, turns them into fix tasks (one per
 * file content and problem set, never paid for twice), runs them one at a time, and keeps the
 * open proposals. Host-neutral: the LSP server and the CLI wire it to their world through the
 * callbacks in AgentHost. It never polls: with no signal it does nothing.
 */
import type { DecideProposalParams, SettledDiagnosticsParams } from '../../shared/agentProtocol';
import type { AgentState, AgentStatus, BackendHealthSummary, Proposal, UserAction } from '../../shared/types';
import { formatUsd } from '../../shared/format';
import { sha256 } from '../hash';
import { ModelError, type ModelBackend } from '../providers/modelBackend';
import { ProposalStore } from '../proposals/ProposalStore';
import { runFixTask } from './fixTask';
import type { FixInput } from './fixPrompt';

/** A backend to call, or what the user must set up first (a key, a price, a valid URL). */
export type BackendResolution = { backend: ModelBackend } | { setupNeeded: string; action?: UserAction };

export interface AgentHost {
  resolveBackend(): Promise<BackendResolution>;
  maxCompletionTokens(): Promise<number>;
  onStatus(status: AgentStatus): void;
  onProposals(proposals: Proposal[]): void;
  onUserMessage(level: 'info' | 'warning' | 'error', message: string, action?: UserAction): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  now(): Date;
  newId(): string;
  /** Runs `fn` once after `ms`; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
  /** Health of the backends over the last hour, for the status. */
  health(): BackendHealthSummary[];
}

interface Task {
  key: string;
  input: FixInput;
}

const IDLE_DETAIL = 'Waiting for problems to settle after a save.';
/** How long a task waits after a fault that named no time of its own. */
const DEFAULT_RETRY_DELAY_MS = 60_000;

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
  private detail = IDLE_DETAIL;
  private action: UserAction | undefined;
  /** Set while the backend asked us to wait: queued tasks stay queued until the timer fires. */
  private cancelRetryTimer: (() => void) | undefined;
  private spendDay = '';
  private spendTodayUsd = 0;

  constructor(private readonly host: AgentHost) {}

  status(): AgentStatus {
    this.rollSpendDay();
    return {
      state: this.state,
      detail: this.detail,
      spendTodayUsd: this.spendTodayUsd,
      queued: this.queue.length,
      ...(this.action ? { action: this.action } : {}),
      backends: this.host.health(),
    };
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

  /** Pausing cancels the call under way (its partial usage is still charged); its task resumes later. */
  setPaused(paused: boolean): AgentStatus {
    this.paused = paused;
    if (paused) {
      this.running?.abort.abort();
      this.setState('paused', 'Paused. Resume to let Nightshift work on new problems.');
    }
    else {
      this.setState('idle', IDLE_DETAIL);
      this.pump();
    }
    return this.status();
  }

  /** The key or the backend settings may have changed: try again if the agent stopped for want of a key. */
  onCredentialsChanged(): void {
    if (this.state === 'needsSetup' || (this.paused && this.stoppedForAuth)) {
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
    this.cancelRetryTimer?.();
    this.running?.abort.abort();
  }

  /** Drops queued tasks; they were never paid for, so a later signal may queue them again. */
  private dropQueued(match: (t: Task) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (match(this.queue[i])) this.seen.delete(this.queue.splice(i, 1)[0].key);
    }
  }

  private pump(): void {
    const held = this.paused || this.state === 'needsSetup' || this.cancelRetryTimer !== undefined;
    if (this.running || held || this.queue.length === 0) return this.publishStatus();
    const task = this.queue.shift()!;
    const abort = new AbortController();
    this.running = { task, abort };
    void this.run(task, abort.signal).finally(() => {
      this.running = undefined;
      if (this.state === 'working') this.setState('idle', IDLE_DETAIL);
      this.pump();
    });
  }

  private async run(task: Task, signal: AbortSignal): Promise<void> {
    const resolved = await this.host.resolveBackend();
    if ('setupNeeded' in resolved) {
      this.queue.unshift(task);
      this.setState('needsSetup', resolved.setupNeeded, resolved.action);
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
      this.addSpend(outcome.result.usage.costUsd);
      const u = outcome.result.usage;
      const cost = u.costUsd === null ? 'cost unknown' : `${formatUsd(u.costUsd)} (${u.costSource})`;
      const tokens = `${u.inputTokens} in / ${u.outputTokens} out, ${Math.round(u.latencyMs)} ms`;
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
    const where = task.input.relativePath;
    if (!(err instanceof ModelError)) {
      this.seen.delete(task.key);
      this.host.log('error', `Fix task for ${where} failed: ${err instanceof Error ? err.message : String(err)}`);
      this.setState('error', 'Something went wrong; see the Nightshift log.', 'showLog');
      return;
    }
    if (err.partial) {
      // The part of the reply that arrived was generated and is billed: counted once, here.
      this.addSpend(err.partial.costUsd);
      const cost = err.partial.costUsd === null ? 'cost unknown' : formatUsd(err.partial.costUsd);
      this.host.log('warn', `The call for ${where} ended early; ${err.partial.outputTokens} output tokens arrived (${cost}, ${err.partial.costSource}).`);
    }
    switch (err.kind) {
      case 'aborted':
        if (this.paused) {
          this.queue.unshift(task);
          this.host.log('info', `Paused work on ${where}; it goes on when the agent resumes.`);
        } else {
          this.seen.delete(task.key);
          this.host.log('info', `Stopped work on ${where}: the file changed.`);
        }
        return;
      case 'auth':
      case 'balance':
      case 'keyLimit':
      case 'budget': {
        // Keep the task: it runs once the user has fixed the cause and resumed.
        this.host.log('error', err.message);
        this.queue.unshift(task);
        this.paused = true;
        this.stoppedForAuth = err.kind === 'auth';
        const action = err.kind === 'auth' ? 'setApiKey' : 'showLog';
        this.setState('paused', err.message, action);
        this.host.onUserMessage('error', err.message, action);
        return;
      }
      case 'rateLimit':
      case 'server':
      case 'network':
      case 'unavailable': {
        // Delayed, not lost: the task waits at the head of the queue until the backend may be called again.
        this.queue.unshift(task);
        const waitMs = Math.max(1000, err.retryAfterMs ?? DEFAULT_RETRY_DELAY_MS);
        const at = new Date(this.host.now().getTime() + waitMs);
        this.host.log('warn', `${err.message} The task for ${where} waits until ${at.toLocaleTimeString()}.`);
        this.holdUntil(waitMs);
        this.setState('error', `${err.message} Trying again at ${at.toLocaleTimeString()}.`, 'showLog');
        return;
      }
      case 'badResponse':
        this.seen.delete(task.key);
        this.host.log('error', err.message);
        this.setState('error', err.message, 'showLog');
        return;
    }
  }

  private holdUntil(waitMs: number): void {
    this.cancelRetryTimer?.();
    this.cancelRetryTimer = this.host.setTimer(waitMs, () => {
      this.cancelRetryTimer = undefined;
      if (this.state === 'error') this.setState('idle', IDLE_DETAIL);
      this.pump();
    });
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

  private setState(state: AgentState, detail: string, action?: UserAction): void {
    this.state = state;
    this.detail = detail;
    this.action = action;
    this.publishStatus();
  }

  private publishStatus(): void {
    this.host.onStatus(this.status());
  }

  private publishProposals(): void {
    this.host.onProposals(this.proposals.list());
  }
}
