/**
 * The budget year and its pacing arithmetic, in UTC: a year that starts on the first day of a
 * chosen month, and an allowance that grows linearly through it, plus a burst of a few days.
 */
const DAY_MS = 86_400_000;

export interface BudgetYear {
  start: number;
  end: number;
}

/** The budget year holding `now`; `yearStartMonth` is 1–12 (1: calendar year). */
export function budgetYearAt(now: number, yearStartMonth: number): BudgetYear {
  const d = new Date(now);
  const m0 = Math.min(12, Math.max(1, Math.floor(yearStartMonth))) - 1;
  const year = d.getUTCMonth() >= m0 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
  return { start: Date.UTC(year, m0, 1), end: Date.UTC(year + 1, m0, 1) };
}

export function dayKey(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

export function nextUtcMidnight(t: number): number {
  return (Math.floor(t / DAY_MS) + 1) * DAY_MS;
}

export function nextUtcMonth(t: number): number {
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Money allowed by time `t`: the linear share of the year, plus the burst, capped at the budget. */
export function allowanceAt(t: number, year: BudgetYear, budgetUsd: number, burstDays: number): number {
  const length = year.end - year.start;
  const elapsed = Math.min(length, Math.max(0, t - year.start));
  const burst = budgetUsd * Math.max(0, burstDays) * (DAY_MS / length);
  return Math.min(budgetUsd, (budgetUsd * elapsed) / length + burst);
}

/** The first time at which the allowance reaches `usd`; undefined if it never does this year. */
export function timeAllowanceReaches(usd: number, year: BudgetYear, budgetUsd: number, burstDays: number): number | undefined {
  if (usd > budgetUsd) return undefined;
  const length = year.end - year.start;
  const burst = budgetUsd * Math.max(0, burstDays) * (DAY_MS / length);
  if (usd <= burst) return year.start;
  return year.start + Math.ceil(((usd - burst) / budgetUsd) * length);
}

export { DAY_MS };
