import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetGovernor, DEFAULT_BUDGET, type BudgetSettings } from '../../../../src/core/budget/BudgetGovernor';
import { simulateYear } from '../../../harness/budgetSimulation';

const DAY = 86_400_000;
const Y2027 = Date.UTC(2027, 0, 1);

function governorAt(start: number, settings: Partial<BudgetSettings> = {}, hasLocal = false) {
  const clock = { now: start };
  const g = new BudgetGovernor(
    { ...DEFAULT_BUDGET, ...settings },
    () => clock.now,
    () => hasLocal,
  );
  return { g, clock };
}

describe('BudgetGovernor', () => {
  it('over a simulated year at 2× demand: never over budget, ≥ 97% used, no day over its allowance plus burst', async () => {
    const r = await simulateYear({ demandFactor: 2, taskSeconds: 600, highPriorityEvery: 10 });
    assert.equal(r.overBudgetUsd, 0);
    assert.ok(r.spentUsd <= r.budgetUsd, `${r.spentUsd} ≤ ${r.budgetUsd}`);
    assert.ok(r.spentUsd >= 0.97 * r.budgetUsd, `used ${((100 * r.spentUsd) / r.budgetUsd).toFixed(2)}%`);
    assert.ok(r.worstDayOverUsd <= 0, `worst day over by ${r.worstDayOverUsd}`);
    assert.ok(r.denied > 0);
  });

  it('at 0.5× demand throttles nothing', async () => {
    const r = await simulateYear({ demandFactor: 0.5, taskSeconds: 600 });
    assert.equal(r.denied, 0);
    assert.ok(r.spentUsd < 0.55 * r.budgetUsd);
  });

  it('reserves the worst case so concurrent calls cannot pass the cap', () => {
    const { g } = governorAt(Y2027 + 100 * DAY, { burstDays: 0 });
    const limit = 1600 * (100 / 365);
    const ids: number[] = [];
    for (;;) {
      const r = g.reserve({ role: 'background', worstCaseUsd: 10, priority: 'high', local: false });
      if (!r.ok) break;
      ids.push(r.id);
    }
    assert.equal(ids.length, Math.floor(limit / 10));
    for (const id of ids) g.settle(id, 10);
    assert.ok(g.status().spentYearUsd.background <= limit);
  });

  it('keeps the escalation share out of background reach, and paces nothing there', () => {
    const { g } = governorAt(Y2027);
    assert.equal(g.reserve({ role: 'background', worstCaseUsd: 100, priority: 'high', local: false }).ok, false);
    const esc = g.reserve({ role: 'escalation', worstCaseUsd: 100, priority: 'high', local: false });
    assert.ok(esc.ok);
    const over = g.reserve({ role: 'escalation', worstCaseUsd: 350, priority: 'high', local: false });
    assert.equal(over.ok, false);
    assert.match(!over.ok ? over.reason : '', /escalation share \(\$400\.00 a year\) has \$300\.00 left/);
  });

  it('lands softly: warns at 50% and 80%, throttles ahead of pace, then local-only or paused', () => {
    const mid = Y2027 + 182 * DAY;
    const { g } = governorAt(mid, {}, true);
    g.loadSpend({ '2027-03-01': { background: 700, escalation: 0 } });
    assert.deepEqual(
      g.takeNotices().map((n) => n.kind),
      [],
    );
    g.loadSpend({ '2027-03-01': { background: 806, escalation: 0 } }); // pace 797.8, burst 13.2
    const notices = g.takeNotices().map((n) => n.kind);
    assert.ok(notices.includes('warn50') && notices.includes('throttled'), notices.join());
    const normal = g.reserve({ role: 'background', worstCaseUsd: 1, priority: 'normal', local: false });
    assert.equal(normal.ok, false);
    assert.equal(!normal.ok && normal.step, 'throttled');
    assert.ok(g.reserve({ role: 'background', worstCaseUsd: 1, priority: 'high', local: false }).ok);
    g.loadSpend({ '2027-03-01': { background: 1000, escalation: 0 } });
    const capped = g.reserve({ role: 'background', worstCaseUsd: 1, priority: 'high', local: false });
    assert.equal(!capped.ok && capped.step, 'localOnly');
    assert.ok(!capped.ok && capped.retryAt !== undefined && capped.retryAt > mid);
    assert.ok(g.reserve({ role: 'background', worstCaseUsd: 1, priority: 'low', local: true }).ok, 'a local backend still runs');
    assert.ok(g.takeNotices().some((n) => n.kind === 'localOnly'));
  });

  it('holds a call above the "ask above" threshold for approval, and a daily cap until midnight', () => {
    const { g, clock } = governorAt(Y2027 + 50 * DAY + 3600_000, { askAboveUsd: 0.5, dailyCapUsd: 2 });
    const ask = g.reserve({ role: 'background', worstCaseUsd: 1, priority: 'normal', local: false });
    assert.ok(!ask.ok && ask.needsApproval);
    const approved = g.reserve({ role: 'background', worstCaseUsd: 1, priority: 'normal', local: false, approved: true });
    assert.ok(approved.ok);
    g.settle(approved.id, 1.5);
    const capped = g.reserve({ role: 'background', worstCaseUsd: 0.6, priority: 'normal', local: false, approved: true });
    assert.ok(!capped.ok);
    assert.equal(!capped.ok && capped.retryAt, Y2027 + 51 * DAY);
    clock.now = Y2027 + 51 * DAY;
    assert.ok(g.reserve({ role: 'background', worstCaseUsd: 0.4, priority: 'normal', local: false }).ok);
  });

  it('a clock that moves backwards never shrinks the allowance, and says so', () => {
    const { g, clock } = governorAt(Y2027 + 100 * DAY);
    const before = g.status().allowanceToDateUsd;
    clock.now = Y2027 + 10 * DAY;
    assert.equal(g.status().allowanceToDateUsd, before);
    assert.deepEqual(
      g.takeNotices().map((n) => n.kind),
      ['clockBack'],
    );
  });

  it('starts a new budget year at midnight of its first day, with the old spend left behind', () => {
    const { g, clock } = governorAt(Date.UTC(2027, 3, 30, 23, 59), { yearStartMonth: 5 });
    g.loadSpend({ '2027-04-30': { background: 1500, escalation: 0 } });
    assert.equal(g.status().spentYearUsd.background, 1500);
    clock.now = Date.UTC(2027, 4, 1, 0, 0);
    const s = g.status();
    assert.equal(s.spentYearUsd.background, 0);
    assert.equal(s.year.start, Date.UTC(2027, 4, 1));
    assert.equal(s.step, 'normal');
  });

  it('a budget lowered below what is already spent pauses background work and says why', () => {
    const { g } = governorAt(Y2027 + 300 * DAY);
    g.loadSpend({ '2027-06-01': { background: 900, escalation: 0 } });
    g.takeNotices();
    g.updateSettings({ ...DEFAULT_BUDGET, annualUsd: 1000 });
    const notices = g.takeNotices();
    assert.ok(
      notices.some((n) => n.kind === 'overspent' && /\$800\.00 this year.*\$900\.00/.test(n.message)),
      JSON.stringify(notices),
    );
    const r = g.reserve({ role: 'background', worstCaseUsd: 0.01, priority: 'high', local: false });
    assert.equal(!r.ok && r.step, 'paused');
  });

  describe('at every limit, exactly', () => {
    const at = Y2027 + 50 * DAY + 3600_000;
    const bg = (worstCaseUsd: number, over: Partial<{ priority: 'high' | 'normal' | 'low'; approved: boolean; local: boolean }> = {}) => ({ role: 'background' as const, worstCaseUsd, priority: 'high' as const, local: false, ...over });

    it('a daily cap lets spend reach it, not pass it, and counts calls still in flight', () => {
      const { g } = governorAt(at, { dailyCapUsd: 2 });
      const a = g.reserve(bg(1));
      const b = g.reserve(bg(1));
      assert.ok(a.ok && b.ok, 'up to the cap exactly');
      const c = g.reserve(bg(0.000000001));
      assert.equal(c.ok, false, 'in-flight reservations count against the cap');
      // Held by the calls under way, not spent: asked again in 30 s, not tomorrow (two watch processes stopped for the day at $0.67 booked: outside test).
      assert.match(!c.ok ? c.reason : '', /^The rest of the daily cap of \$2\.00 is held by calls under way \(\$2\.00 at their worst case\)\.$/);
      assert.equal(!c.ok && c.retryAt, at + 30_000);
      assert.equal(g.status().reservedUsd, 2);
      g.release(a.ok ? a.id : -1);
      assert.equal(g.status().reservedUsd, 1);
      assert.ok(g.reserve(bg(1)).ok, 'a released reservation frees its money');
    });

    it('settles the real cost, once, and forgets an unknown reservation', () => {
      const { g } = governorAt(at, { dailyCapUsd: 2 });
      const a = g.reserve(bg(1));
      assert.ok(a.ok);
      g.settle(a.id, 0.25);
      g.settle(a.id, 0.25);
      g.settle(999, 5);
      assert.equal(g.status().spentTodayUsd, 0.25);
      assert.equal(g.status().reservedUsd, 0);
      assert.ok(g.reserve(bg(1.75)).ok);
      const over = g.reserve(bg(0.01));
      assert.equal(over.ok, false);
      assert.match(!over.ok ? over.reason : '', /is held by calls under way/, 'the 1.75 in flight may settle for less');
    });

    it('the escalation share can be spent to the cent', () => {
      const { g } = governorAt(Y2027);
      const all = g.reserve({ role: 'escalation', worstCaseUsd: 400, priority: 'high', local: false });
      assert.ok(all.ok);
      assert.equal(g.reserve({ role: 'escalation', worstCaseUsd: 0.000000001, priority: 'high', local: false }).ok, false);
    });

    it('asks only above the threshold, not at it', () => {
      const { g } = governorAt(at, { askAboveUsd: 0.5 });
      assert.ok(g.reserve(bg(0.5, { priority: 'normal' })).ok);
      const above = g.reserve(bg(0.500000001, { priority: 'normal' }));
      assert.ok(!above.ok && above.needsApproval === true);
    });

    it('the background allowance to date can be reserved exactly, not a nano-dollar more', () => {
      const { g } = governorAt(Y2027 + 100 * DAY, { burstDays: 0 });
      const limit = Math.floor((1600 * 1e9 * 100) / 365) / 1e9;
      const whole = g.reserve(bg(limit));
      assert.ok(whole.ok, `reserve ${limit}`);
      const more = g.reserve(bg(0.000000001));
      assert.equal(more.ok, false);
    });

    it('counts what other processes hold, by role', () => {
      const { g } = governorAt(at, { dailyCapUsd: 2 });
      g.setOutsideReservations([
        { role: 'background', nano: 1.5e9 },
        { role: 'escalation', nano: 0.25e9 },
      ]);
      assert.equal(g.status().reservedUsd, 1.75);
      assert.equal(g.reserve(bg(0.3)).ok, false, '1.75 held elsewhere + 0.3 > 2');
      assert.ok(g.reserve(bg(0.25)).ok);
      const esc = governorAt(Y2027);
      esc.g.setOutsideReservations([
        { role: 'escalation', nano: 399e9 },
        { role: 'background', nano: 1e9 },
      ]);
      assert.equal(esc.g.reserve({ role: 'escalation', worstCaseUsd: 2, priority: 'high', local: false }).ok, false);
      assert.ok(esc.g.reserve({ role: 'escalation', worstCaseUsd: 1, priority: 'high', local: false }).ok);
      g.setOutsideReservations([]);
      assert.equal(g.status().reservedUsd, 0.25);
    });

    it('a local call reserves nothing and runs whatever the money says', () => {
      const { g } = governorAt(at, { dailyCapUsd: 0 });
      const r = g.reserve(bg(5, { local: true }));
      assert.ok(r.ok);
      assert.deepEqual(g.reservedAmount(r.id), { role: 'background', nano: 0 });
      assert.equal(g.reserve(bg(0.01)).ok, false);
      assert.equal(g.reservedAmount(12345), undefined);
    });

    it('warns at 80% too, once', () => {
      const { g } = governorAt(Y2027 + 364 * DAY);
      g.loadSpend({ '2027-06-01': { background: 1280, escalation: 0 } });
      const kinds = g.takeNotices().map((n) => n.kind);
      assert.ok(kinds.includes('warn50') && kinds.includes('warn80'), kinds.join());
      g.loadSpend({ '2027-06-01': { background: 1290, escalation: 0 } });
      assert.ok(!g.takeNotices().some((n) => n.kind === 'warn80'));
    });
  });
});
