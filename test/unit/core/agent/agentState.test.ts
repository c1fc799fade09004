/**
 * The agent's state machine as a table: every state × every event, with the state it leads to;
 * then what each state allows and what it shows. A state kind, a pause reason, a hold cause or an
 * event added to agentState.ts without its row or column here fails the first test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allows, EVENT_TYPES, HOLD_CAUSES, hostStatusOf, IDLE_DETAIL, MODE_KINDS, PAUSE_REASONS, statusOf, transition, type AgentEvent, type AgentMode, type Hold, type HoldCause, type Pause, type PauseReason } from '../../../../src/core/agent/agentState';

const T = Date.parse('2026-11-21T12:00:00Z');
const PAUSES: Record<PauseReason, Pause> = {
  policy: { reason: 'policy', detail: 'The team policy cannot be used.' },
  ledger: { reason: 'ledger', detail: 'The ledger cannot be written.', action: 'showLog' },
  overcharge: { reason: 'overcharge', detail: 'It charged more than its price.', action: 'openSettings' },
  refusal: { reason: 'refusal', detail: 'The balance is used up.', action: 'showLog' },
  key: { reason: 'key', detail: 'The key was rejected.', action: 'setApiKey' },
  user: { reason: 'user', detail: 'Paused.' },
};
const HOLDS: Record<HoldCause, Hold> = {
  schedule: { kind: 'held', by: 'schedule', detail: 'Quiet hours until 13:00: 1 task(s) wait.', until: T + 3600_000 },
  budget: { kind: 'held', by: 'budget', detail: 'The daily cap is reached. Next try: tomorrow.', until: T + 12 * 3600_000 },
  backend: { kind: 'held', by: 'backend', detail: 'Server error (503). Trying again at 12:00:30.', action: 'showLog', until: T + 30_000 },
};

/** The states the table names: its rows, and a few that only appear as results. */
const STATES: Record<string, AgentMode> = {
  starting: { kind: 'starting' },
  needsSetup: { kind: 'needsSetup', detail: 'No key.', action: 'setApiKey' },
  idle: { kind: 'idle' },
  working: { kind: 'working', files: ['a.ts'] },
  workingB: { kind: 'working', files: ['b.ts'] },
  heldSchedule: HOLDS.schedule,
  heldBudget: HOLDS.budget,
  heldBackend: HOLDS.backend,
  error: { kind: 'error', detail: 'Boom.', action: 'showLog' },
  stopped: { kind: 'stopped' },
};

/** `P(key,user|budget)`: paused for those reasons, holding the budget's hold. */
function named(name: string): AgentMode {
  const m = /^P\(([a-z,]+)(?:\|([a-z]+))?\)$/.exec(name);
  if (!m) {
    assert.ok(STATES[name], `no state named ${name}`);
    return STATES[name];
  }
  const pauses = m[1].split(',').map((r) => PAUSES[r as PauseReason]);
  return { kind: 'paused', pauses, ...(m[2] ? { holding: HOLDS[m[2] as HoldCause] } : {}) };
}

const EVENTS: Record<string, AgentEvent> = {
  setupMissing: { type: 'setupMissing', detail: 'No key.', action: 'setApiKey' },
  setupFound: { type: 'setupFound' },
  setupUnknown: { type: 'setupUnknown' },
  started: { type: 'started', files: ['a.ts'] },
  endedSome: { type: 'ended', files: ['b.ts'] },
  endedAll: { type: 'ended', files: [] },
  ...Object.fromEntries(HOLD_CAUSES.map((by) => [`hold_${by}`, { type: 'hold', by, detail: HOLDS[by].detail, ...(HOLDS[by].action ? { action: HOLDS[by].action } : {}), until: HOLDS[by].until } as AgentEvent])),
  holdEnded: { type: 'holdEnded' },
  budgetChanged: { type: 'budgetChanged' },
  failed: { type: 'failed', detail: 'Boom.', action: 'showLog' },
  ...Object.fromEntries(PAUSE_REASONS.map((reason) => [`pause_${reason}`, { type: 'pause', ...PAUSES[reason] } as AgentEvent])),
  resume: { type: 'resume' },
  keyChanged: { type: 'keyChanged' },
  policyFixed: { type: 'policyFixed' },
  stop: { type: 'stop' },
};

type Row = Record<keyof typeof EVENTS, string>;
/** Work may go on from here: the same answer to every pause and hold. */
const onward = (over: Partial<Row>): Row => ({
  setupMissing: 'needsSetup',
  setupFound: '=',
  setupUnknown: '=',
  started: 'working',
  endedSome: '=',
  endedAll: '=',
  hold_schedule: 'heldSchedule',
  hold_budget: 'heldBudget',
  hold_backend: 'heldBackend',
  holdEnded: '=',
  budgetChanged: '=',
  failed: 'error',
  pause_policy: 'P(policy)',
  pause_ledger: 'P(ledger)',
  pause_overcharge: 'P(overcharge)',
  pause_refusal: 'P(refusal)',
  pause_key: 'P(key)',
  pause_user: 'P(user)',
  resume: '=',
  keyChanged: '=',
  policyFixed: '=',
  stop: 'stopped',
  ...over,
});
/** Paused for `reasons`: nothing moves it but another pause, a hold to come back to, a remedy or the stop. */
const paused = (reasons: PauseReason[], holding: HoldCause | '', over: Partial<Row>): Row => {
  const p = (rs: PauseReason[], h: string = holding) => `P(${[...new Set(rs)].sort((a, b) => PAUSE_REASONS.indexOf(a) - PAUSE_REASONS.indexOf(b)).join(',')}${h ? `|${h}` : ''})`;
  return {
    setupMissing: '=',
    setupFound: '=',
    setupUnknown: '=',
    started: '=',
    endedSome: '=',
    endedAll: '=',
    hold_schedule: p(reasons, 'schedule'),
    hold_budget: p(reasons, 'budget'),
    hold_backend: p(reasons, 'backend'),
    holdEnded: holding ? p(reasons, '') : '=',
    budgetChanged: '=',
    failed: '=',
    ...Object.fromEntries(PAUSE_REASONS.map((r) => [`pause_${r}`, reasons.includes(r) ? '=' : p([...reasons, r])])),
    resume: '=',
    keyChanged: '=',
    policyFixed: '=',
    stop: 'stopped',
    ...over,
  } as Row;
};
const unmoved: Row = Object.fromEntries(Object.keys(EVENTS).map((e) => [e, '='])) as Row;

/** Every state × every event: the state it leads to ('=': the same). */
const TABLE: Record<string, Row> = {
  starting: onward({ setupFound: 'idle', setupUnknown: 'idle' }),
  // Missing setup is put right first: only a pause, the setup found or the stop move it.
  needsSetup: { ...unmoved, setupFound: 'idle', ...Object.fromEntries(PAUSE_REASONS.map((r) => [`pause_${r}`, `P(${r})`])), stop: 'stopped' },
  idle: onward({}),
  working: onward({ started: '=', endedSome: 'workingB', endedAll: 'idle' }),
  'P(policy)': paused(['policy'], '', { policyFixed: 'idle' }),
  'P(ledger)': paused(['ledger'], '', { resume: 'idle' }),
  'P(overcharge)': paused(['overcharge'], '', { resume: 'idle' }),
  'P(refusal)': paused(['refusal'], '', { resume: 'idle' }),
  'P(key)': paused(['key'], '', { resume: 'idle', keyChanged: 'idle' }),
  'P(user)': paused(['user'], '', { resume: 'idle' }),
  'P(key,user)': paused(['key', 'user'], '', { resume: 'idle', keyChanged: 'P(user)' }),
  'P(policy,user)': paused(['policy', 'user'], '', { resume: 'P(policy)', policyFixed: 'P(user)' }),
  'P(user|budget)': paused(['user'], 'budget', { hold_budget: '=', budgetChanged: 'P(user)', resume: 'heldBudget' }),
  'P(user|backend)': paused(['user'], 'backend', { hold_backend: '=', resume: 'heldBackend' }),
  'P(policy,key|schedule)': paused(['policy', 'key'], 'schedule', { hold_schedule: '=', keyChanged: 'P(policy|schedule)', resume: 'P(policy|schedule)', policyFixed: 'P(key|schedule)' }),
  heldSchedule: onward({ hold_schedule: '=', holdEnded: 'idle', failed: '=', ...pausesHolding('schedule') }),
  heldBudget: onward({ started: '=', hold_budget: '=', holdEnded: 'idle', budgetChanged: 'idle', failed: '=', ...pausesHolding('budget') }),
  heldBackend: onward({ started: '=', hold_backend: '=', holdEnded: 'idle', failed: '=', ...pausesHolding('backend') }),
  error: onward({ failed: '=' }),
  stopped: unmoved,
};
function pausesHolding(cause: HoldCause): Partial<Row> {
  return Object.fromEntries(PAUSE_REASONS.map((r) => [`pause_${r}`, `P(${r}|${cause})`]));
}

/** What each state allows: S start queued work, R rung 0, I an idle sweep, C the setup check, K a new key resumes. */
const ALLOWS: Record<string, string> = {
  starting: 'SRIC-',
  needsSetup: '-RIC-',
  idle: 'SRIC-',
  working: 'SRI--',
  'P(policy)': '-----',
  'P(ledger)': '-----',
  'P(overcharge)': '-----',
  'P(refusal)': '-----',
  'P(key)': '----K',
  'P(user)': '-----',
  'P(key,user)': '-----',
  'P(policy,user)': '-----',
  'P(user|budget)': '-----',
  'P(user|backend)': '-----',
  'P(policy,key|schedule)': '-----',
  heldSchedule: 'SRIC-',
  heldBudget: '-RIC-',
  heldBackend: '-RI--',
  error: 'SRI--',
  stopped: '-----',
};

/** What every host shows for each state: [state, detail, action]. */
const SHOWN: Record<string, [string, string, string?]> = {
  starting: ['starting', 'Starting the agent…'],
  needsSetup: ['needsSetup', 'No key.', 'setApiKey'],
  idle: ['idle', IDLE_DETAIL],
  working: ['working', 'Working on a.ts…'],
  'P(policy)': ['paused', PAUSES.policy.detail],
  'P(ledger)': ['paused', PAUSES.ledger.detail, 'showLog'],
  'P(overcharge)': ['paused', PAUSES.overcharge.detail, 'openSettings'],
  'P(refusal)': ['paused', PAUSES.refusal.detail, 'showLog'],
  'P(key)': ['paused', PAUSES.key.detail, 'setApiKey'],
  'P(user)': ['paused', 'Paused.'],
  'P(key,user)': ['paused', PAUSES.key.detail, 'setApiKey'],
  'P(policy,user)': ['paused', PAUSES.policy.detail],
  'P(user|budget)': ['paused', 'Paused.'],
  'P(user|backend)': ['paused', 'Paused.'],
  'P(policy,key|schedule)': ['paused', PAUSES.policy.detail],
  heldSchedule: ['idle', HOLDS.schedule.detail],
  heldBudget: ['idle', HOLDS.budget.detail],
  heldBackend: ['error', HOLDS.backend.detail, 'showLog'],
  error: ['error', 'Boom.', 'showLog'],
  stopped: ['idle', 'Stopped.'],
};

describe('the agent state machine', () => {
  it('has a row for every state kind, pause reason and hold cause, and a column for every event', () => {
    const rows = Object.keys(TABLE).map(named);
    assert.deepEqual(new Set(rows.map((s) => s.kind)), new Set(MODE_KINDS), 'a state kind without a row');
    for (const r of PAUSE_REASONS) assert.ok(`P(${r})` in TABLE, `no row for a pause for ${r}`);
    for (const c of HOLD_CAUSES)
      assert.ok(
        rows.some((s) => s.kind === 'held' && s.by === c),
        `no row for a hold by ${c}`,
      );
    assert.deepEqual(new Set(Object.values(EVENTS).map((e) => e.type)), new Set(EVENT_TYPES), 'an event without a column');
    for (const [name, row] of Object.entries(TABLE)) assert.deepEqual(Object.keys(row).sort(), Object.keys(EVENTS).sort(), `row ${name}`);
    assert.deepEqual(Object.keys(ALLOWS).sort(), Object.keys(TABLE).sort());
    assert.deepEqual(Object.keys(SHOWN).sort(), Object.keys(TABLE).sort());
  });

  for (const [name, row] of Object.entries(TABLE)) {
    it(`from ${name}`, () => {
      const from = named(name);
      for (const [event, expected] of Object.entries(row)) {
        assert.deepStrictEqual(transition(from, EVENTS[event]), expected === '=' ? from : named(expected), `${name} + ${event} → ${expected}`);
      }
    });
  }

  it('allows in each state what the table says', () => {
    for (const [name, flags] of Object.entries(ALLOWS)) {
      const a = allows(named(name));
      const got = `${a.startWork ? 'S' : '-'}${a.rungZero ? 'R' : '-'}${a.idleSweep ? 'I' : '-'}${a.checkSetup ? 'C' : '-'}${a.resumeOnNewKey ? 'K' : '-'}`;
      assert.equal(got, flags, name);
    }
  });

  it('shows for each state what the table says', () => {
    for (const [name, [state, detail, action]] of Object.entries(SHOWN)) {
      const mode = named(name);
      // A hold says when its work is tried again (a scan waits out one that ends within the minute).
      const retryAt = mode.kind === 'held' ? mode.until : undefined;
      assert.deepStrictEqual(statusOf(mode), { state, detail, ...(action ? { action } : {}), ...(retryAt === undefined ? {} : { retryAt }) }, name);
    }
    assert.equal(statusOf({ kind: 'working', files: ['a.ts', 'b.ts'] }).detail, 'Working on 2 files: a.ts, b.ts…');
  });

  it('says what a host shows while no agent runs in it: starting as the state does, untrusted, or why it could not start', () => {
    assert.deepStrictEqual(hostStatusOf({ kind: 'starting' }), { ...statusOf({ kind: 'starting' }), spendTodayUsd: 0, queued: 0 });
    assert.equal(hostStatusOf({ kind: 'untrusted' }).state, 'untrusted');
    assert.match(hostStatusOf({ kind: 'untrusted' }).detail, /not trusted.*Trust the workspace to start it\.$/);
    assert.deepStrictEqual(hostStatusOf({ kind: 'failed', why: 'spawn ENOENT' }), { state: 'error', detail: 'The Nightshift agent could not start: spawn ENOENT', spendTodayUsd: 0, queued: 0 });
  });

  it('a new key resumes exactly where the state says it would', () => {
    for (const name of Object.keys(TABLE)) {
      const from = named(name);
      assert.equal(allows(from).resumeOnNewKey, from.kind === 'paused' && transition(from, EVENTS.keyChanged).kind !== 'paused', name);
    }
  });

  it('no event but policyFixed (or the stop) lifts a broken policy’s pause, from any state, after any other event', () => {
    for (const name of Object.keys(TABLE)) {
      const broken = transition(named(name), EVENTS.pause_policy);
      if (broken.kind === 'stopped') continue;
      for (const [event, e] of Object.entries(EVENTS)) {
        if (event === 'policyFixed' || event === 'stop') continue;
        const next = transition(broken, e);
        assert.ok(next.kind === 'paused' && next.pauses[0].reason === 'policy', `${name} + pause_policy + ${event}`);
      }
    }
  });

  it('work may start only in a state that shows it may: never while paused, held by the budget or a backend, missing setup or stopped', () => {
    for (const name of Object.keys(TABLE)) {
      const s = named(name);
      const shown = statusOf(s).state;
      if (allows(s).startWork) assert.ok(['starting', 'idle', 'working', 'error'].includes(shown), name);
      if (s.kind === 'paused' || s.kind === 'needsSetup' || s.kind === 'stopped') assert.equal(allows(s).startWork, false, name);
    }
  });
});
