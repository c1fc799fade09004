/**
 * The background agent's state, in one place: what it can be in, the events that move it, what each
 * state allows and what every host shows for it (XState's idea, without the library). Pure: the
 * agent sends the events and carries out what a change means (stopping calls, timers, the log);
 * this module never reads the clock, does no I/O and knows nothing of tasks.
 */
import type { AgentState, UserAction } from '../../shared/types';

/** Why the agent is paused, most pressing first: a pause shows its first reason. */
export const PAUSE_REASONS = [
  'policy', // the team policy cannot be used: lifted only when it can (`policyFixed`), never by Resume
  'ledger', // the ledger cannot be written
  'overcharge', // a call cost more than its worst case
  'refusal', // the backend refused for money: the balance, a key's limit, a gateway's budget
  'key', // the backend rejected the key: a new key lifts it
  'user', // the user paused
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** What holds queued work back until a time or a change. */
export const HOLD_CAUSES = [
  'schedule', // quiet hours, working hours, a user at the keyboard under an only-when-idle policy: asked again before each start
  'budget', // the budget cannot pay yet: lifted by its time or a change of the budget
  'backend', // the backend asked to be called later (rate limit, server fault, network): only its time lifts it
] as const;
export type HoldCause = (typeof HOLD_CAUSES)[number];

export interface Pause {
  reason: PauseReason;
  detail: string;
  action?: UserAction;
}

export interface Hold {
  kind: 'held';
  by: HoldCause;
  detail: string;
  action?: UserAction;
  /** When it ends by itself (ms since the epoch); none: when something changes. */
  until?: number;
}

export type AgentMode =
  /** Until the first setup check (or the first work). */
  | { kind: 'starting' }
  /** No usable backend: queued work waits, the compiler's own fixes still run. */
  | { kind: 'needsSetup'; detail: string; action?: UserAction }
  | { kind: 'idle' }
  /** `files`: those of the tasks running. */
  | { kind: 'working'; files: string[] }
  /** Each reason is lifted by its own remedy; `holding`: the hold it came back to when the last goes. */
  | { kind: 'paused'; pauses: Pause[]; holding?: Hold }
  | Hold
  /** A task failed in a way to look at; the next task may run. */
  | { kind: 'error'; detail: string; action?: UserAction }
  /** Disposed: nothing moves it any more. */
  | { kind: 'stopped' };

export type AgentEvent =
  /** The setup check, or a task, found no usable backend. */
  | { type: 'setupMissing'; detail: string; action?: UserAction }
  | { type: 'setupFound' }
  /** The setup check could not tell (the backend could not be resolved). */
  | { type: 'setupUnknown' }
  /** Tasks were started; `files`: of all running now. */
  | { type: 'started'; files: string[] }
  /** A task ended; `files`: of those still running. */
  | { type: 'ended'; files: string[] }
  | { type: 'hold'; by: HoldCause; detail: string; action?: UserAction; until?: number }
  /** The hold's time came. */
  | { type: 'holdEnded' }
  | { type: 'budgetChanged' }
  | { type: 'failed'; detail: string; action?: UserAction }
  | { type: 'pause'; reason: PauseReason; detail: string; action?: UserAction }
  /** The user resumes: every pause but the policy's is lifted. */
  | { type: 'resume' }
  /** A new key or new backend settings: a rejected key's pause is lifted. */
  | { type: 'keyChanged' }
  | { type: 'policyFixed' }
  | { type: 'stop' };

// Records so that the compiler refuses a kind or an event left out (the table test walks these lists).
const KINDS: Record<AgentMode['kind'], true> = { starting: true, needsSetup: true, idle: true, working: true, paused: true, held: true, error: true, stopped: true };
const EVENTS: Record<AgentEvent['type'], true> = {
  setupMissing: true,
  setupFound: true,
  setupUnknown: true,
  started: true,
  ended: true,
  hold: true,
  holdEnded: true,
  budgetChanged: true,
  failed: true,
  pause: true,
  resume: true,
  keyChanged: true,
  policyFixed: true,
  stop: true,
};
export const MODE_KINDS = Object.keys(KINDS) as Array<AgentMode['kind']>;
export const EVENT_TYPES = Object.keys(EVENTS) as Array<AgentEvent['type']>;

export const STARTING: AgentMode = { kind: 'starting' };
export const IDLE_DETAIL = 'Waiting for problems to settle after a save.';

/** What a state lets the agent do. */
export interface Allowed {
  /** Start queued work (a schedule is still asked first). */
  startWork: boolean;
  /** Try the compiler's own fixes (free, no backend needed). */
  rungZero: boolean;
  /** Queue a refactor when the user is idle. */
  idleSweep: boolean;
  /** Ask whether a backend is set up (and move to or from needsSetup). */
  checkSetup: boolean;
  /** A new key alone lets work go on. */
  resumeOnNewKey: boolean;
}

export function allows(s: AgentMode): Allowed {
  const live = s.kind !== 'paused' && s.kind !== 'stopped';
  return {
    startWork: s.kind === 'starting' || s.kind === 'idle' || s.kind === 'working' || s.kind === 'error' || (s.kind === 'held' && s.by === 'schedule'),
    rungZero: live,
    idleSweep: live,
    checkSetup: s.kind === 'starting' || s.kind === 'idle' || s.kind === 'needsSetup' || (s.kind === 'held' && s.by !== 'backend'),
    resumeOnNewKey: s.kind === 'paused' && s.pauses.every((p) => p.reason === 'key'),
  };
}

export function transition(s: AgentMode, e: AgentEvent): AgentMode {
  if (s.kind === 'stopped') return s;
  switch (e.type) {
    case 'stop':
      return { kind: 'stopped' };
    case 'setupMissing':
      return s.kind === 'paused' ? s : { kind: 'needsSetup', detail: e.detail, ...actionOf(e) };
    case 'setupFound':
      return s.kind === 'starting' || s.kind === 'needsSetup' ? { kind: 'idle' } : s;
    case 'setupUnknown':
      return s.kind === 'starting' ? { kind: 'idle' } : s;
    case 'started':
      return allows(s).startWork ? { kind: 'working', files: e.files } : s;
    case 'ended':
      if (s.kind !== 'working') return s;
      return e.files.length > 0 ? { kind: 'working', files: e.files } : { kind: 'idle' };
    case 'hold': {
      const hold: Hold = { kind: 'held', by: e.by, detail: e.detail, ...actionOf(e), ...(e.until === undefined ? {} : { until: e.until }) };
      if (s.kind === 'paused') return { ...s, holding: hold };
      // Missing setup is the first thing to put right; the task finds any hold again later.
      return s.kind === 'needsSetup' ? s : hold;
    }
    case 'holdEnded':
      return endHold(s, () => true);
    case 'budgetChanged':
      return endHold(s, (h) => h.by === 'budget');
    case 'failed':
      return s.kind === 'starting' || s.kind === 'idle' || s.kind === 'working' || s.kind === 'error' ? { kind: 'error', detail: e.detail, ...actionOf(e) } : s;
    case 'pause': {
      const pause: Pause = { reason: e.reason, detail: e.detail, ...actionOf(e) };
      if (s.kind !== 'paused') return { kind: 'paused', pauses: [pause], ...(s.kind === 'held' ? { holding: s } : {}) };
      const pauses = [...s.pauses.filter((p) => p.reason !== e.reason), pause].sort((a, b) => PAUSE_REASONS.indexOf(a.reason) - PAUSE_REASONS.indexOf(b.reason));
      return { ...s, pauses };
    }
    case 'resume':
      return lift(s, (r) => r !== 'policy');
    case 'keyChanged':
      return lift(s, (r) => r === 'key');
    case 'policyFixed':
      return lift(s, (r) => r === 'policy');
  }
}

/** The hold a state keeps queued work under, paused or not (its timer runs either way). */
export function holdOf(s: AgentMode): Hold | undefined {
  return s.kind === 'held' ? s : s.kind === 'paused' ? s.holding : undefined;
}

/** What queued work waits for until the user acts (a pause, a missing setup), in a sentence; undefined: it runs, or waits for a time. */
export function waitingFor(s: AgentMode): string | undefined {
  return s.kind === 'paused' ? s.pauses[0].detail : s.kind === 'needsSetup' ? s.detail : undefined;
}

/** What every host shows. */
export function statusOf(s: AgentMode): { state: AgentState; detail: string; action?: UserAction; retryAt?: number } {
  switch (s.kind) {
    case 'starting':
      return { state: 'starting', detail: 'Starting the agent…' };
    case 'idle':
      return { state: 'idle', detail: IDLE_DETAIL };
    case 'working':
      return { state: 'working', detail: s.files.length === 1 ? `Working on ${s.files[0]}…` : `Working on ${s.files.length} files: ${s.files.join(', ')}…` };
    case 'paused':
      return { state: 'paused', detail: s.pauses[0].detail, ...actionOf(s.pauses[0]) };
    case 'held':
      // A backend's fault is shown as an error, with the time of the next try; the budget and the schedule simply wait.
      return { state: s.by === 'backend' ? 'error' : 'idle', detail: s.detail, ...actionOf(s), ...(s.until === undefined ? {} : { retryAt: s.until }) };
    case 'needsSetup':
    case 'error':
      return { state: s.kind, detail: s.detail, ...actionOf(s) };
    case 'stopped':
      return { state: 'idle', detail: 'Stopped.' };
  }
}

/**
 * What a host shows while no agent runs in it, beside `statusOf`, so that every status line comes
 * from this module: before its agent has started, a workspace the user does not trust (the agent
 * is not started at all), or an agent that could not start.
 */
export function hostStatusOf(h: { kind: 'starting' } | { kind: 'untrusted' } | { kind: 'failed'; why: string }): { state: AgentState; detail: string; spendTodayUsd: number; queued: number } {
  const none = { spendTodayUsd: 0, queued: 0 };
  if (h.kind === 'starting') return { ...statusOf({ kind: 'starting' }), ...none };
  if (h.kind === 'untrusted') return { state: 'untrusted', detail: "This workspace is not trusted, so Nightshift does not run here: it would send the workspace's code to a model. Trust the workspace to start it.", ...none };
  return { state: 'error', detail: `The Nightshift agent could not start: ${h.why}`, ...none };
}

function actionOf(x: { action?: UserAction }): { action?: UserAction } {
  return x.action ? { action: x.action } : {};
}

function endHold(s: AgentMode, which: (h: Hold) => boolean): AgentMode {
  if (s.kind === 'held') return which(s) ? { kind: 'idle' } : s;
  if (s.kind !== 'paused' || !s.holding || !which(s.holding)) return s;
  const { holding: _ended, ...rest } = s;
  return rest;
}

/** Lifts the pauses whose reason `which` names; with none left, back to the hold it interrupted, or idle. */
function lift(s: AgentMode, which: (r: PauseReason) => boolean): AgentMode {
  if (s.kind !== 'paused') return s;
  const pauses = s.pauses.filter((p) => !which(p.reason));
  if (pauses.length === s.pauses.length) return s;
  return pauses.length > 0 ? { ...s, pauses } : (s.holding ?? { kind: 'idle' });
}
