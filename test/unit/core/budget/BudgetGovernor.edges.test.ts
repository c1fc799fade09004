/** The governor at its edges: each limit at equality, each refusal's words, each notice once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetGovernor, DEFAULT_BUDGET, type BudgetSettings, type ReserveRequest } from '../../../../src/core/budget/BudgetGovernor';
import { allowanceAt, budgetYearAt } from '../../../../src/core/budget/budgetYear';

const DAY = 86_400_000;
/** Mid-year, so the pace is well away from zero. */
const T = Date.UTC(2027, 5, 1, 12);
const year = budgetYearAt(T, 1);

function gov(settings: Partial<BudgetSettings> = {}, hasLocal = false, clock = { now: T }) {
  return {
    g: new BudgetGovernor(
      { ...DEFAULT_BUDGET, ...settings },
      () => clock.now,
      () => hasLocal,
    ),
    clock,
  };
}
const bg = (worstCaseUsd: number, extra: Partial<ReserveRequest> = {}): ReserveRequest => ({ role: 'background', worstCaseUsd, priority: 'normal', local: false, ...extra });
const esc = (worstCaseUsd: number): ReserveRequest => ({ role: 'escalation', worstCaseUsd, priority: 'normal', local: false });
const reason = (r: ReturnType<BudgetGovernor['reserve']>) => (r.ok ? 'ok' : r.reason);
/** The background allowance (with burst) at T, in USD, for the default $2,000 less 20%. */
const limitUsd = allowanceAt(T, year, 1600 * 1e9, DEFAULT_BUDGET.burstDays) / 1e9;

describe('BudgetGovernor at its edges', () => {
  it('pauses when spend plus reservations reach the allowance exactly, not a nano-dollar before', () => {
    const under = gov().g;
    const limitNano = Math.floor(limitUsd * 1e9);
    under.loadSpend({ '2027-06-01': { background: (limitNano - 1) / 1e9, escalation: 0 } });
    assert.notEqual(under.status().step, 'paused');
    const at = gov().g;
    at.loadSpend({ '2027-06-01': { background: limitNano / 1e9, escalation: 0 } });
    assert.equal(at.status().step, 'paused');
    assert.equal(reason(at.reserve(bg(0.001))), 'The background allowance to date is used up: background work is paused until it grows again.');
    const local = gov({}, true).g;
    local.loadSpend({ '2027-06-01': { background: limitNano / 1e9, escalation: 0 } });
    assert.equal(local.status().step, 'localOnly');
    assert.equal(reason(local.reserve(bg(0.001))), 'The background allowance to date is used up: only local backends run until it grows again.');
    assert.equal(local.reserve(bg(0.001, { local: true })).ok, true, 'a local call still runs');
  });

  it('counts reservations, its own and other processes’, toward the pause; other roles not', () => {
    const { g } = gov();
    g.loadSpend({ '2027-06-01': { background: limitUsd - 1, escalation: 0 } });
    g.setOutsideReservations([{ role: 'escalation', nano: 5e9 }]);
    assert.equal(g.status().step, 'throttled');
    g.setOutsideReservations([{ role: 'background', nano: 1e9 }]);
    assert.equal(g.status().step, 'paused');
    assert.equal(g.status().reservedUsd, 1);
  });

  it('throttles past half the burst: only high-priority work runs, and it says so', () => {
    const { g } = gov();
    const half = allowanceAt(T, year, 1600 * 1e9, DEFAULT_BUDGET.burstDays / 2) / 1e9;
    g.loadSpend({ '2027-06-01': { background: half + 0.01, escalation: 0 } });
    assert.equal(g.status().step, 'throttled');
    assert.equal(reason(g.reserve(bg(0.001))), 'Spending is ahead of pace: only high-priority work runs until it is back on pace.');
    assert.equal(g.reserve(bg(0.001, { priority: 'high' })).ok, true);
    const on = gov().g;
    on.loadSpend({ '2027-06-01': { background: Math.floor(half * 1e9) / 1e9, escalation: 0 } });
    assert.equal(on.status().step, 'normal', 'at exactly half the burst it is still on pace');
  });

  it('refuses a call that would pass today’s allowance, with its worst case in the words', () => {
    const { g } = gov();
    g.loadSpend({ '2027-06-01': { background: limitUsd - 0.5, escalation: 0 } });
    assert.equal(reason(g.reserve(bg(1, { priority: 'high' }))), "This call (up to $1.00) would go past today's allowance.");
  });

  it('holds escalation to its share, saying what is left', () => {
    const { g } = gov();
    g.loadSpend({ '2027-06-01': { background: 0, escalation: 399 } });
    assert.equal(reason(g.reserve(esc(2))), 'The escalation share ($400.00 a year) has $1.00 left; this call may cost up to $2.00.');
    assert.equal(g.reserve(esc(1)).ok, true, 'exactly what is left fits');
  });

  it('holds the daily cap with calls in flight, at equality', () => {
    const { g } = gov({ dailyCapUsd: 1 });
    g.loadSpend({ '2027-06-01': { background: 0.25, escalation: 0.25 } });
    assert.equal(g.reserve(bg(0.25)).ok, true);
    assert.equal(reason(g.reserve(bg(0.26))), 'The rest of the daily cap of $1.00 is held by calls under way ($0.25 at their worst case).');
    assert.equal(reason(g.reserve(bg(0.51))), 'The daily cap of $1.00 is reached.', 'spent and asked for pass it whatever the calls under way settle for');
    assert.equal(g.reserve(bg(0.25)).ok, true, 'exactly up to the cap');
  });

  it('asks above the threshold unless approved, and not at it', () => {
    const { g } = gov({ askAboveUsd: 0.5 });
    const asked = g.reserve(bg(0.6));
    assert.ok(!asked.ok && asked.needsApproval === true);
    assert.equal(asked.reason, 'This call may cost up to $0.60, above your "ask above" threshold of $0.50.');
    assert.equal(g.reserve(bg(0.6, { approved: true })).ok, true);
    assert.equal(g.reserve(bg(0.5)).ok, true);
  });

  it('gives every reservation its own id and frees only the one released', () => {
    const { g } = gov({ dailyCapUsd: 1 });
    const a = g.reserve(bg(0.4));
    const b = g.reserve(bg(0.4));
    assert.ok(a.ok && b.ok && a.id !== b.id);
    g.release(a.id);
    assert.equal(g.status().reservedUsd, 0.4);
    assert.deepEqual(g.reservedAmount(b.id), { role: 'background', nano: 0.4e9 });
    assert.equal(g.reservedAmount(a.id), undefined);
  });

  it('counts only this budget year’s days, and keeps the count as calls settle', () => {
    const { g } = gov({ annualUsd: 1000 });
    g.loadSpend({ '2026-12-31': { background: 50, escalation: 0 }, '2027-01-01': { background: 3, escalation: 1 }, '2028-01-01': { background: 70, escalation: 0 } });
    assert.deepEqual(g.status().spentYearUsd, { background: 3, escalation: 1 });
    const r = g.reserve(bg(0.5));
    assert.ok(r.ok);
    g.settle(r.id, 0.25);
    assert.deepEqual(g.status().spentYearUsd, { background: 3.25, escalation: 1 });
    assert.equal(g.status().spentTodayUsd, 0.25);
    g.settle(r.id, 5);
    assert.equal(g.status().spentTodayUsd, 0.25, 'a reservation settles once');
  });

  it('warns at 50% and 80% of the year’s background budget, each once, and on each change of step', () => {
    const { g } = gov({ annualUsd: 100, escalationShare: 0 });
    g.loadSpend({ '2027-06-01': { background: 10, escalation: 0 } });
    assert.deepEqual(g.takeNotices(), []);
    g.loadSpend({ '2027-06-01': { background: 49.99, escalation: 0 } });
    assert.deepEqual(
      g
        .takeNotices()
        .map((n) => n.kind)
        .filter((k) => k.startsWith('warn')),
      [],
    );
    g.loadSpend({ '2027-06-01': { background: 10, escalation: 0 } });
    g.takeNotices();
    g.loadSpend({ '2027-06-01': { background: 50, escalation: 0 } });
    const fifty = g.takeNotices();
    assert.deepEqual(
      fifty.filter((n) => n.kind.startsWith('warn')).map((n) => n.message),
      ["Nightshift has spent 50% of this year's background budget ($50.00 of $100.00)."],
    );
    assert.ok(fifty.some((n) => n.kind === 'paused' && n.message.includes('paused until it grows again')));
    g.loadSpend({ '2027-06-01': { background: 80, escalation: 0 } });
    assert.deepEqual(
      g.takeNotices().map((n) => n.kind),
      ['warn80'],
      'paused is not said again while it lasts',
    );
    g.loadSpend({ '2027-06-01': { background: 90, escalation: 0 } });
    assert.deepEqual(g.takeNotices(), []);
  });

  it('says when spending gets ahead of pace, once per change', () => {
    const { g } = gov();
    const half = allowanceAt(T, year, 1600 * 1e9, DEFAULT_BUDGET.burstDays / 2) / 1e9;
    g.loadSpend({ '2027-06-01': { background: half + 0.01, escalation: 0 } });
    assert.deepEqual(
      g
        .takeNotices()
        .filter((n) => n.kind === 'throttled')
        .map((n) => n.message),
      ['Spending is ahead of pace: Nightshift now triggers only high-priority work until it is back on pace.'],
    );
    assert.deepEqual(g.takeNotices(), []);
  });

  it('says when the budget was lowered below what was spent, and not for an empty budget never spent', () => {
    const { g } = gov({ annualUsd: 100, escalationShare: 0 });
    g.loadSpend({ '2027-06-01': { background: 60, escalation: 0 } });
    g.takeNotices();
    g.updateSettings({ ...DEFAULT_BUDGET, annualUsd: 50, escalationShare: 0 });
    const over = g.takeNotices().find((n) => n.kind === 'overspent');
    assert.equal(over?.message, 'The background budget ($50.00 this year) is at or below what was already spent ($60.00): background work stays paused, or local-only, until the budget is raised or the next budget year starts.');
    const zero = gov({ annualUsd: 0 }).g;
    zero.loadSpend({});
    assert.equal(
      zero.takeNotices().some((n) => n.kind === 'overspent'),
      false,
    );
  });

  it('keeps pacing from the latest time when the clock moves back more than a minute, and says so once', () => {
    const clock = { now: T };
    const { g } = gov({}, false, clock);
    g.status();
    clock.now = T - 60_000;
    g.status();
    assert.equal(
      g.takeNotices().some((n) => n.kind === 'clockBack'),
      false,
      'a minute is within drift',
    );
    clock.now = T - 2 * DAY;
    const before = g.status().allowanceToDateUsd;
    assert.equal(before, gov().g.status().allowanceToDateUsd, 'the allowance never shrinks');
    assert.deepEqual(
      g
        .takeNotices()
        .filter((n) => n.kind === 'clockBack')
        .map((n) => n.message),
      ['The system clock moved backwards; Nightshift keeps pacing from the latest time it saw, so the allowance never shrinks.'],
    );
  });

  it('clamps the escalation share to 0..1 and a negative budget to zero', () => {
    assert.deepEqual([gov({ escalationShare: 1.5 }).g.status().escalationBudgetUsd, gov({ escalationShare: -1 }).g.status().escalationBudgetUsd], [2000, 0]);
    assert.equal(gov({ annualUsd: -5 }).g.status().backgroundBudgetUsd, 0);
  });
  it('holds escalated calls to the monthly limit: booked this UTC month, in flight here and elsewhere; last month not', () => {
    const { g, clock } = gov({ maxEscalationsPerMonth: 3, setBy: { maxEscalationsPerMonth: '.nightshift/policy.json:9 (escalation.maxPerMonth, repository policy)' } });
    g.loadSpend({ '2027-05-31': { background: 0, escalation: 1, escalationCalls: 9 }, '2027-06-01': { background: 0, escalation: 0.1, escalationCalls: 1 } });
    const first = g.reserve(esc(0.01));
    assert.equal(first.ok, true);
    g.setOutsideReservations([
      { role: 'escalation', nano: 1e7 },
      { role: 'background', nano: 1e7 },
    ]);
    const refused = g.reserve(esc(0.01));
    assert.equal(reason(refused), '3 escalated call(s) this month: the limit is 3 a month. The limit is set by .nightshift/policy.json:9 (escalation.maxPerMonth, repository policy).');
    assert.equal(!refused.ok && refused.retryAt, Date.UTC(2027, 6, 1), 'it can try again when the next month starts');
    assert.equal(g.reserve(bg(0.01)).ok, true, 'background work is not counted');
    g.setOutsideReservations([]);
    if (first.ok) g.settle(first.id, 0.01);
    assert.equal(g.reserve(esc(0.01)).ok, true, 'the third: 2 booked (one settled here), none held elsewhere');
    assert.equal(g.reserve(esc(0.01)).ok, false, 'the fourth: 2 booked, 1 held');
    clock.now = Date.UTC(2027, 6, 1, 0, 0, 1);
    assert.equal(g.reserve(esc(0.01)).ok, true, 'a new month starts from zero');
    const none = gov({ maxEscalationsPerMonth: 0 }).g;
    assert.match(reason(none.reserve({ ...esc(0), local: true })), /limit is 0 a month/, 'a local escalation counts too');
    assert.equal(gov({ maxEscalationsPerMonth: null }).g.reserve(esc(0.01)).ok, true);
  });
});
