/**
 * What the agent does about a task's result: keep or drop the task, pause, wait, what to show
 * and what to log. Pure — the agent applies it — so every outcome is one readable table.
 */
import { formatUsd } from '../../shared/format';
import type { AgentState, Proposal, UserAction } from '../../shared/types';
import type { ModelError } from '../providers/modelBackend';
import type { TaskResult } from './runTask';

export type LogLevel = 'info' | 'warn' | 'error';

export interface Reaction {
  /** Put the task back at the head of the queue. */
  requeue?: boolean;
  /** Forget the task was tried, so a later signal may try it again (nothing was paid for it). */
  forget?: boolean;
  /** Pause the agent; `forAuth` lets a new key resume it. */
  pause?: { forAuth: boolean };
  /** Hold the queue for this long. */
  holdMs?: number;
  state?: { state: AgentState; detail: string; action?: UserAction };
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
      return { requeue: true, state: { state: 'needsSetup', detail: result.message, action: result.action }, logs: [] };
    case 'held': {
      const wait = result.retryAt === undefined ? DEFAULT_RETRY_DELAY_MS : Math.max(1000, result.retryAt - now.getTime());
      const at = new Date(now.getTime() + wait).toLocaleString();
      return {
        requeue: true,
        holdMs: wait,
        state: { state: 'idle', detail: `${result.reason} Next try: ${at}.` },
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
      return { proposal, pause: { forAuth: false }, state: { state: 'paused', detail: message, action: 'showLog' }, logs: [['error', message]], notify: { message, action: 'showLog' } };
    }
    case 'overcharged': {
      const who = result.backend.charAt(0).toUpperCase() + result.backend.slice(1);
      const message = `${who} charged ${formatUsd(result.costUsd)} for one call, ${formatUsd(result.overUsd)} more than the most it could cost by its price. Background work is paused: check the profile's price (a gateway's fees?), then resume.`;
      const proposal = result.outcome?.kind === 'proposal' ? result.outcome.proposal : undefined;
      return { proposal, pause: { forAuth: false }, state: { state: 'paused', detail: message, action: 'openSettings' }, logs: [['error', message]], notify: { message, action: 'openSettings' } };
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
      return paused
        ? { requeue: true, logs: [...logs, ['info', `Paused work on ${where}; it goes on when the agent resumes.`]] }
        : { forget: true, logs: [...logs, ['info', `Stopped work on ${where}: the file changed.`]] };
    case 'auth':
    case 'balance':
    case 'keyLimit':
    case 'budget': {
      // Keep the task: it runs once the user has fixed the cause and resumed.
      const action: UserAction = err.kind === 'auth' ? 'setApiKey' : 'showLog';
      return {
        requeue: true,
        pause: { forAuth: err.kind === 'auth' },
        state: { state: 'paused', detail: err.message, action },
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
        holdMs: wait,
        state: { state: 'error', detail: `${err.message} Trying again at ${at}.`, action: 'showLog' },
        logs: [...logs, ['warn', `${err.message} The task for ${where} waits until ${at}.`]],
      };
    }
    case 'badResponse':
      return { forget: true, state: { state: 'error', detail: err.message, action: 'showLog' }, logs: [...logs, ['error', err.message]] };
  }
}
