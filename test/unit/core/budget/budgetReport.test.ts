import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetGovernor, DEFAULT_BUDGET } from '../../../../src/core/budget/BudgetGovernor';
import { budgetReport } from '../../../../src/core/budget/budgetReport';
import { addCall, addDecision, emptyAggregate } from '../../../../src/core/budget/ledgerAggregate';
import { ledgerToCsv } from '../../../../src/core/budget/ledgerExport';
import { priceFor } from '../../../../src/core/providers/pricing';
import { entry } from './ledgerFixtures';

const NOW = Date.UTC(2027, 0, 11, 12); // day 11 of the year

describe('budgetReport', () => {
  const agg = emptyAggregate();
  for (let d = 1; d <= 10; d++) {
    addCall(agg, entry({ at: `2027-01-${String(d).padStart(2, '0')}T10:00:00.000Z`, costUsd: 2, inputTokens: 1_000_000, outputTokens: 1_000_000, cachedInputTokens: 0 }));
  }
  addCall(agg, entry({ at: '2027-01-11T10:00:00.000Z', costUsd: 1, taskKind: 'review', model: 'gpt-5.4', backend: 'OpenAI', role: 'escalation' }));
  addDecision(agg, { v: 1, at: '2027-01-05T00:00:00.000Z', kind: 'decision', taskId: 't', taskKind: 'fix', proposalId: 'p', decision: 'accepted' });
  addDecision(agg, { v: 1, at: '2027-01-06T00:00:00.000Z', kind: 'decision', taskId: 't2', taskKind: 'fix', proposalId: 'p2', decision: 'accepted' });
  const governor = new BudgetGovernor(DEFAULT_BUDGET, () => NOW);
  governor.loadSpend(agg.days);
  const report = budgetReport(agg, governor.status(), NOW, { model: 'gpt-5.4', price: priceFor('gpt-5.4')! });

  it('puts this week beside last week: cost per accepted proposal, and the share of fixes the compiler settled free', () => {
    const w = emptyAggregate();
    for (let d = 1; d <= 10; d++) addCall(w, entry({ at: `2027-01-${String(d).padStart(2, '0')}T10:00:00.000Z`, costUsd: 2 }));
    addCall(w, entry({ at: '2027-01-11T09:00:00.000Z', costUsd: 0, costSource: 'compiler', backend: 'TypeScript' }));
    addCall(w, entry({ at: '2027-01-11T10:00:00.000Z', costUsd: 1, taskKind: 'review' }));
    for (const at of ['2027-01-03', '2027-01-05', '2027-01-06']) addDecision(w, { v: 1, at: `${at}T00:00:00.000Z`, kind: 'decision', taskId: 't', taskKind: 'fix', proposalId: at, decision: 'accepted' });
    addDecision(w, { v: 1, at: '2027-01-07T00:00:00.000Z', kind: 'decision', taskId: 't', taskKind: 'fix', proposalId: 'r', decision: 'rejected' });
    const g = new BudgetGovernor(DEFAULT_BUDGET, () => NOW);
    g.loadSpend(w.days);
    const { weekly } = budgetReport(w, g.status(), NOW, { model: 'gpt-5.4', price: priceFor('gpt-5.4')! });
    // This week is 5–11 January: $13 for 2 accepted; 6 fixes by the model, 1 free. Last week (29 Dec–4 Jan): $8 for 1.
    assert.deepEqual(weekly?.thisWeek, { spentUsd: 13, accepted: 2, costPerAcceptedUsd: 6.5, freeFixes: 1, fixProposals: 6, freeShare: 1 / 7 });
    assert.deepEqual(weekly?.lastWeek, { spentUsd: 8, accepted: 1, costPerAcceptedUsd: 8, freeFixes: 0, fixProposals: 4, freeShare: 0 });
  });

  it('adds up today, the month and the year by role', () => {
    assert.equal(report.spentTodayUsd, 1);
    assert.equal(report.spentMonthUsd, 21);
    assert.equal(report.backgroundSpentUsd, 20);
    assert.equal(report.escalationSpentUsd, 1);
  });

  it('projects the year from the last seven days and finds the runway', () => {
    // Days 5–11: 6 × $2 background + $1 escalation = $13 over 7 days.
    assert.equal(report.burnPerDayUsd, 13 / 7);
    const daysLeft = (Date.UTC(2028, 0, 1) - NOW) / 86_400_000;
    assert.equal(report.projectedYearEndUsd, 21 + (13 / 7) * daysLeft);
    assert.equal(report.runwayDate, null, '$1,979 left at $1.86 a day lasts the year');
    const heavy = emptyAggregate();
    for (let d = 5; d <= 11; d++) addCall(heavy, entry({ at: `2027-01-${String(d).padStart(2, '0')}T10:00:00.000Z`, costUsd: 20 }));
    const g = new BudgetGovernor(DEFAULT_BUDGET, () => NOW);
    g.loadSpend(heavy.days);
    const r = budgetReport(heavy, g.status(), NOW, { model: 'gpt-5.4', price: priceFor('gpt-5.4')! });
    const runwayDays = (Date.parse(r.runwayDate!) - NOW) / 86_400_000;
    assert.ok(Math.abs(runwayDays - (2000 - 140) / 20) < 1e-6, String(runwayDays));
  });

  it('splits by model, backend and kind, with cost per accepted proposal', () => {
    assert.deepEqual(
      report.byModel.map((m) => [m.name, m.usd, m.calls]),
      [
        ['MiniMax-M2.7', 20, 10],
        ['gpt-5.4', 1, 1],
      ],
    );
    const fix = report.byKind.find((k) => k.name === 'fix')!;
    assert.deepEqual([fix.accepted, fix.costPerAcceptedUsd], [2, 10]);
    assert.equal(report.byKind.find((k) => k.name === 'review')!.costPerAcceptedUsd, null);
  });

  it('says what the same tokens would have cost on the frontier model', () => {
    // 10M input + 10M output on GPT-5.4 = $25 + $150, plus the review call's tokens; less $21 spent.
    const reviewOnFrontier = (1000 * 2.5 + 200 * 15) / 1e6;
    assert.ok(Math.abs(report.savedVsFrontierUsd - (175 + reviewOnFrontier - 21)) < 1e-9);
  });

  it('draws the burn chart from the year start to today', () => {
    assert.equal(report.burn.length, 11);
    assert.deepEqual(report.burn[0], { day: '2027-01-01', spentUsd: 2, allowanceUsd: 1600 / 365 });
    assert.equal(report.burn[10].spentUsd, 20);
  });
});

describe('ledgerToCsv', () => {
  it('writes one row per call and decision, quoting and neutralising formulas', () => {
    const csv = ledgerToCsv([entry({ workspace: '=HYPERLINK("x")', model: 'a,b' })], [{ v: 1, at: '2026-11-21T13:00:00.000Z', kind: 'decision', taskId: 't1', taskKind: 'fix', proposalId: 'p', decision: 'rejected' }]);
    const rows = csv.trim().split('\n');
    assert.equal(rows.length, 3);
    assert.ok(rows[0].startsWith('at,kind,workspace,taskId'));
    assert.ok(rows[1].includes(`"'=HYPERLINK(""x"")"`), rows[1]);
    assert.ok(rows[1].includes('"a,b"'));
    assert.ok(rows[2].includes(',decision,') && rows[2].endsWith(',p,rejected,'));
  });
});
