/**
 * The numbers behind the Budget view, the status bar tooltip and the report command: spend by
 * period, pace, runway, projection, where the money went, and what the same tokens would have
 * cost on a frontier model. Pure: from the ledger's sums and the governor's status.
 */
import type { BudgetReport, SpendLine, WeekNumbers } from '../../shared/types';
import { costUsd, type ModelPrice } from '../providers/pricing';
import { allowanceAt, DAY_MS, dayKey } from './budgetYear';
import type { BudgetStatus } from './BudgetGovernor';
import type { LedgerAggregate, SpendBucket } from './ledgerAggregate';

const BURN_WINDOW_DAYS = 7;

function lines(map: Record<string, SpendBucket>): SpendLine[] {
  return Object.entries(map)
    .map(([name, b]) => ({ name, usd: b.usd, calls: b.calls }))
    .sort((a, b) => b.usd - a.usd);
}

export function budgetReport(agg: LedgerAggregate, status: BudgetStatus, now: number, frontier: { model: string; price: ModelPrice }, ledgerProblems = 0): BudgetReport {
  const { year } = status;
  const today = dayKey(now);
  const month = today.slice(0, 7);
  let spentMonthUsd = 0;
  let recent = 0;
  const recentFrom = dayKey(now - (BURN_WINDOW_DAYS - 1) * DAY_MS);
  for (const [day, s] of Object.entries(agg.days)) {
    if (day.startsWith(month)) spentMonthUsd += s.background + s.escalation;
    if (day >= recentFrom && day <= today) recent += s.background + s.escalation;
  }
  const elapsedDays = Math.max(1, Math.min(BURN_WINDOW_DAYS, Math.ceil((now - year.start) / DAY_MS)));
  const burnPerDayUsd = recent / elapsedDays;
  const spentYearUsd = status.spentYearUsd.background + status.spentYearUsd.escalation;
  const left = Math.max(0, status.backgroundBudgetUsd + status.escalationBudgetUsd - spentYearUsd);
  const daysLeft = (year.end - now) / DAY_MS;
  const runwayDays = burnPerDayUsd > 0 ? left / burnPerDayUsd : Number.POSITIVE_INFINITY;

  // Sums hide each call's prompt length, so the frontier's base tier is used (a lower bound).
  const basePrice: ModelPrice = { ...frontier.price, longContext: undefined };
  let frontierCost = 0;
  let actual = 0;
  for (const b of Object.values(agg.byModel)) {
    frontierCost += costUsd({ inputTokens: b.inputTokens, cachedInputTokens: b.cachedInputTokens, outputTokens: b.outputTokens, reasoningTokens: 0 }, basePrice);
    actual += b.usd;
  }

  const burn: BudgetReport['burn'] = [];
  let cumulative = 0;
  const days = Object.keys(agg.days).sort();
  let i = 0;
  for (let t = year.start; t <= now && t < year.end; t += DAY_MS) {
    const key = dayKey(t);
    while (i < days.length && days[i] <= key) {
      if (days[i] >= dayKey(year.start)) cumulative += agg.days[days[i]].background;
      i++;
    }
    burn.push({ day: key, spentUsd: cumulative, allowanceUsd: allowanceAt(Math.min(t + DAY_MS, year.end), year, status.backgroundBudgetUsd, 0) });
  }

  return {
    at: new Date(now).toISOString(),
    step: status.step,
    yearStart: new Date(year.start).toISOString(),
    yearEnd: new Date(year.end).toISOString(),
    spentTodayUsd: status.spentTodayUsd,
    spentMonthUsd,
    spentYearUsd,
    backgroundSpentUsd: status.spentYearUsd.background,
    escalationSpentUsd: status.spentYearUsd.escalation,
    backgroundBudgetUsd: status.backgroundBudgetUsd,
    escalationBudgetUsd: status.escalationBudgetUsd,
    allowanceToDateUsd: status.allowanceToDateUsd,
    burnPerDayUsd,
    runwayDate: runwayDays < daysLeft ? new Date(now + runwayDays * DAY_MS).toISOString() : null,
    projectedYearEndUsd: spentYearUsd + burnPerDayUsd * daysLeft,
    byModel: lines(agg.byModel),
    byBackend: lines(agg.byBackend),
    byKind: lines(agg.byKind).map((l) => {
      const accepted = agg.accepted[l.name] ?? 0;
      return { ...l, accepted, acceptedInPart: agg.partial?.[l.name] ?? 0, rejected: agg.rejected[l.name] ?? 0, costPerAcceptedUsd: accepted > 0 ? l.usd / accepted : null };
    }),
    frontierModel: frontier.model,
    savedVsFrontierUsd: frontierCost - actual,
    burn,
    ledgerProblems,
    weekly: { thisWeek: week(agg, now - 6 * DAY_MS, now), lastWeek: week(agg, now - 13 * DAY_MS, now - 7 * DAY_MS) },
  };
}

/** The sums of the UTC days from `from` to `to` (inclusive). */
function week(agg: LedgerAggregate, from: number, to: number): WeekNumbers {
  const first = dayKey(from);
  const last = dayKey(to);
  const w = { spentUsd: 0, accepted: 0, freeFixes: 0, fixProposals: 0 };
  for (const [day, s] of Object.entries(agg.days)) {
    if (day < first || day > last) continue;
    w.spentUsd += s.background + s.escalation;
    w.accepted += s.accepted ?? 0;
    w.freeFixes += s.freeFixes ?? 0;
    w.fixProposals += s.fixProposals ?? 0;
  }
  const fixes = w.freeFixes + w.fixProposals;
  return { ...w, costPerAcceptedUsd: w.accepted > 0 ? w.spentUsd / w.accepted : null, freeShare: fixes > 0 ? w.freeFixes / fixes : null };
}
