/**
 * What the agent does about a task's result: keep or drop the task, what it does to the agent's
 * state (pause, hold, missing setup, failure: an event of agentState.ts), what to say and log.
 * Pure — the agent applies it — so every outcome is one readable table.
 */
import { formatUsd } from '../../shared/format';
import type { Proposal, UserAction } from '../../shared/types';
import type { ModelError } from '../providers/modelBackend';
import type { AgentEvent } from './agentState';
import type { TaskResult } from './runTask';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Reaction {
  /** Put the task back at the head of the queue. */
  requeue?: boolean;
  /** Forget the task was tried, so a later signal may try it again (nothing was paid for it). */
  forget?: boolean;
  /** What it does to the agent's state. */
  event?: AgentEvent;
  logs: Array<[LogLevel, string]>;
  notify?: { message: string; action?: UserAction };
  proposal?: Proposal;
}

/** How long a task waits after a fault that named no time of its own. */
export const DEFAULT_RETRY_DELAY_MS = 60_000;

/** `kind` is the task's kind ("fix", "review", …) and `where` its file, for the log. */
export function reactTo(result: TaskResult, kind: string, where: string, now: Date, paused: boolean, stopping = false): Reaction {
  switch (result.kind) {
    case 'setup':
      return { requeue: true, event: { type: 'setupMissing', detail: result.message, ...(result.action ? { action: result.action } : {}) }, logs: [] };
    case 'held': {
      const wait = result.retryAt === undefined ? DEFAULT_RETRY_DELAY_MS : Math.max(1000, result.retryAt - now.getTime());
      const at = new Date(now.getTime() + wait).toLocaleString();
      return {
        requeue: true,
        event: { type: 'hold', by: 'budget', detail: `${result.reason} Next try: ${at}.`, until: now.getTime() + wait },
        logs: [['info', `Budget: ${result.reason} The ${kind} task for ${where} waits until ${at}.`]],
      };
    }
    case 'skipped':
      return { logs: [['info', `Skipped the ${kind} task: ${result.reason}.`]] };
    case 'declined':
      return { logs: [['info', `Skipped the ${kind} task for ${where}: ${result.reason} You declined the call.`]] };
    case 'ledgerFailed': {
      const message = result.error.message;
      const proposal = result.outcome?.kind === 'proposal' ? result.outcome.proposal : undefined;
      return { proposal, event: { type: 'pause', reason: 'ledger', detail: message, action: 'showLog' }, logs: [['error', message]], notify: { message, action: 'showLog' } };
    }
    case 'overcharged': {
      const who = result.backend.charAt(0).toUpperCase() + result.backend.slice(1);
      const message = `${who} charged ${formatUsd(result.costUsd)} for one call, ${formatUsd(result.overUsd)} more than the most it could cost by its price. Background work is paused: check the profile's price (a gateway's fees?), then resume.`;
      const proposal = result.outcome?.kind === 'proposal' ? result.outcome.proposal : undefined;
      return { proposal, event: { type: 'pause', reason: 'overcharge', detail: message, action: 'openSettings' }, logs: [['error', message]], notify: { message, action: 'openSettings' } };
    }
    case 'failed':
      return reactToModelError(result.error, where, now, paused, stopping);
    case 'done': {
      const u = result.usage;
      const cost = u.costUsd === null ? 'cost unknown' : `${formatUsd(u.costUsd)} (${u.costSource})`;
      const calls = result.calls > 1 ? `${result.calls} calls, ` : '';
      const facts = `${result.model}, ${calls}${u.inputTokens} in / ${u.outputTokens} out, ${Math.round(u.latencyMs)} ms, ${cost}`;
      if (result.outcome.kind === 'none') return { logs: [['warn', `No proposal for ${where}: ${result.outcome.reason}. ${facts}.`]] };
      return { proposal: result.outcome.proposal, logs: [['info', `Proposal "${result.outcome.proposal.title}" for ${where}. ${facts}.`]] };
    }
  }
}

function reactToModelError(err: ModelError, where: string, now: Date, paused: boolean, stopping: boolean): Reaction {
  const logs: Reaction['logs'] = [];
  if (err.partial) {
    const cost = err.partial.costUsd === null ? 'cost unknown' : formatUsd(err.partial.costUsd);
    logs.push(['warn', `The call for ${where} ended early; ${err.partial.outputTokens} output tokens arrived (${cost}, ${err.partial.costSource}).`]);
  }
  switch (err.kind) {
    case 'aborted':
      if (stopping) return { forget: true, logs: [...logs, ['info', `Stopped work on ${where}: Nightshift is stopping; the problem is taken up again when it is next seen.`]] };
      return paused ? { requeue: true, logs: [...logs, ['info', `Paused work on ${where}; it goes on when the agent resumes.`]] } : { forget: true, logs: [...logs, ['info', `Stopped work on ${where}: the file changed.`]] };
    case 'auth':
    case 'balance':
    case 'keyLimit':
    case 'budget': {
      // Keep the task: it runs once the user has fixed the cause and resumed.
      const action: UserAction = err.kind === 'auth' ? 'setApiKey' : 'showLog';
      return {
        requeue: true,
        event: { type: 'pause', reason: err.kind === 'auth' ? 'key' : 'refusal', detail: err.message, action },
        logs: [...logs, ['error', err.message]],
        notify: { message: err.message, action },
      };
    }
    case 'rateLimit':
    case 'server':
    case 'network':
    case 'unavailable': {
      // Delayed, not lost: the task waits at the head of the queue until the backend may be called again.
      const wait = Math.max(1000, err.retryAfterMs ?? DEFAULT_RETRY_DELAY_MS);
      const at = new Date(now.getTime() + wait).toLocaleTimeString();
      return {
        requeue: true,
        event: { type: 'hold', by: 'backend', detail: `${err.message} Trying again at ${at}.`, action: 'showLog', until: now.getTime() + wait },
        logs: [...logs, ['warn', `${err.message} The task for ${where} waits until ${at}.`]],
      };
    }
    case 'badResponse':
      return { forget: true, event: { type: 'failed', detail: err.message, action: 'showLog' }, logs: [...logs, ['error', err.message]] };
  }
}
