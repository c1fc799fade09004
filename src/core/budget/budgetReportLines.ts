/** The budget report as lines of text, the same in the editor's log and in `nightshift budget`. */
import { formatUsd, taskKindLabel } from '../../shared/format';
import type { BudgetReport, WeekNumbers } from '../../shared/types';

export function budgetReportLines(r: BudgetReport): string[] {
  const date = (iso: string) => iso.slice(0, 10);
  const money = (v: number | null) => (v === null ? 'not set' : formatUsd(v));
  const g = r.gateway;
  return [
    `Budget year ${date(r.yearStart)} to ${date(r.yearEnd)} (UTC days): ${r.step}.`,
    `  spent today ${formatUsd(r.spentTodayUsd)}, this month ${formatUsd(r.spentMonthUsd)}, this year ${formatUsd(r.spentYearUsd)}`,
    `  background ${formatUsd(r.backgroundSpentUsd)} of ${formatUsd(r.backgroundBudgetUsd)} (allowance to date ${formatUsd(r.allowanceToDateUsd)}); escalation ${formatUsd(r.escalationSpentUsd)} of ${formatUsd(r.escalationBudgetUsd)}`,
    `  burn ${formatUsd(r.burnPerDayUsd)}/day over the last 7 days; projected year end ${formatUsd(r.projectedYearEndUsd)}; runway ${r.runwayDate ? `until ${date(r.runwayDate)}` : 'the whole year'}`,
    `  saved vs ${r.frontierModel} list prices: ${formatUsd(r.savedVsFrontierUsd)}`,
    ...(r.weekly ? [`  ${weeklyLine(r.weekly)}`] : []),
    ...(g ? [`  team gateway ${g.label}: spent ${money(g.spentUsd)}, limit ${money(g.limitUsd)}, left ${money(g.remainingUsd)} (read ${g.readAt.slice(0, 16).replace('T', ' ')} UTC${g.stale ? `; the last read failed: ${g.stale}` : ''})`, ...(g.gapNote ? [`  ${g.gapNote}`] : [])] : []),
    ...r.byKind.map((k) => `  ${taskKindLabel(k.name)}: ${formatUsd(k.usd)} over ${k.calls} calls, ${k.accepted} accepted${k.acceptedInPart ? ` (${k.acceptedInPart} in part)` : ''}${k.costPerAcceptedUsd === null ? '' : ` (${formatUsd(k.costPerAcceptedUsd)} each)`}`),
    ...r.byModel.map((m) => `  model ${m.name}: ${formatUsd(m.usd)} over ${m.calls} calls`),
    ...(r.tuning ?? []).map((t) => `  tuning ${t.kind}: ${t.setting}${t.frozen ? ' (frozen)' : ''} — ${t.why}${t.autoEscalate.on ? ' Escalates by itself.' : ''}`),
    ...(r.ledgerProblems > 0 ? [`  ${r.ledgerProblems} unreadable ledger line(s) were skipped; see the log.`] : []),
  ];
}

/** "This week $0.012 per accepted proposal (last week $0.020); 40% of fixes free by the compiler's own fixes." */
export function weeklyLine(w: NonNullable<BudgetReport['weekly']>): string {
  const per = (n: WeekNumbers) => (n.costPerAcceptedUsd === null ? 'nothing accepted' : `${formatUsd(n.costPerAcceptedUsd)} per accepted proposal`);
  const free = w.thisWeek.freeShare === null ? 'no fixes yet' : `${Math.round(w.thisWeek.freeShare * 100)}% of fixes free by the compiler's own fixes`;
  return `This week: ${per(w.thisWeek)} (last week: ${per(w.lastWeek)}); ${free}.`;
}
