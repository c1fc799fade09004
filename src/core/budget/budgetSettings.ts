/** Reads the budget settings (outside input) with defaults, reporting what it could not use; types and defaults from shared/settingsSchema.ts. */
import { checkSetting } from '../settingValues';
import { DEFAULT_BUDGET, type BudgetSettings } from './BudgetGovernor';

/** The budget settings, by their names under `budget.` (the governor's names too). */
const FIELDS = ['annualUsd', 'yearStartMonth', 'escalationShare', 'burstDays', 'dailyCapUsd', 'askAboveUsd'] as const;

export function parseBudgetSettings(raw: unknown): { settings: BudgetSettings; problems: string[] } {
  const given = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const settings: BudgetSettings = { ...DEFAULT_BUDGET };
  for (const name of FIELDS) {
    if (given[name] === undefined) continue;
    const checked = checkSetting(`budget.${name}`, given[name]);
    // One value that cannot be used makes the whole budget the default: half a user's limits is no budget they chose.
    if (!checked.ok) return { settings: DEFAULT_BUDGET, problems: [`nightshift.budget.${name} is invalid (${checked.problem.replace(/^"[^"]*" /, '')}); Nightshift uses the default budget until it is fixed.`] };
    (settings as unknown as Record<string, unknown>)[name] = checked.value;
  }
  return { settings, problems: [] };
}
