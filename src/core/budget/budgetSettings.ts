/** Reads the budget settings (outside input) with defaults, reporting what it could not use. */
import { z } from 'zod';
import { DEFAULT_BUDGET, type BudgetSettings } from './BudgetGovernor';

const schema = z.object({
  annualUsd: z.number().min(0).max(1_000_000).optional(),
  yearStartMonth: z.number().int().min(1).max(12).optional(),
  escalationShare: z.number().min(0).max(1).optional(),
  burstDays: z.number().min(0).max(60).optional(),
  dailyCapUsd: z.number().min(0).nullable().optional(),
  askAboveUsd: z.number().min(0).nullable().optional(),
});

export function parseBudgetSettings(raw: unknown): { settings: BudgetSettings; problems: string[] } {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      settings: DEFAULT_BUDGET,
      problems: [`nightshift.budget.${issue.path.join('.')} is invalid (${issue.message}); Nightshift uses the default budget until it is fixed.`],
    };
  }
  const b = parsed.data;
  return {
    settings: {
      annualUsd: b.annualUsd ?? DEFAULT_BUDGET.annualUsd,
      startMonth: b.yearStartMonth ?? DEFAULT_BUDGET.startMonth,
      escalationShare: b.escalationShare ?? DEFAULT_BUDGET.escalationShare,
      burstDays: b.burstDays ?? DEFAULT_BUDGET.burstDays,
      dailyCapUsd: b.dailyCapUsd ?? null,
      askAboveUsd: b.askAboveUsd ?? null,
    },
    problems: [],
  };
}
