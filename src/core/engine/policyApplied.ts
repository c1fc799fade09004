/**
 * The effective policy applied to the user's own settings, for the engine: the user's values of
 * the rules a policy can tighten (with who set each), the budget the governor enforces, and why
 * the project's tests may not run. Pure: no I/O, nothing kept.
 */
import { SETTING_SOURCES } from '../../shared/settingRules';
import { DEFAULT_BUDGET, type BudgetSettings } from '../budget/BudgetGovernor';
import { settingDefault } from '../../shared/settingsSchema';
import { describeSource, type EffectivePolicy, type Source, type UserValues } from '../policy/effectivePolicy';
import type { ServerSettings } from './backendConfig';

/** The setting each user value is read from, to say who set it. */
const SETTING_OF: Record<Exclude<keyof UserValues, 'from'>, string> = {
  annualUsd: 'budget.annualUsd',
  yearStartMonth: 'budget.yearStartMonth',
  escalationShare: 'budget.escalationShare',
  dailyCapUsd: 'budget.dailyCapUsd',
  askAboveUsd: 'budget.askAboveUsd',
  exclude: 'exclude',
  localOnly: 'localOnly',
  quietHours: 'quietHours',
  autoEscalate: 'autoEscalate',
};

/** Who set each setting (dotted name → "your config file (…)"), when the host's settings say (`$sources`). */
export function sourcesIn(raw: unknown): Record<string, string> | undefined {
  const v = (raw as Record<string, unknown> | undefined)?.[SETTING_SOURCES];
  return v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string')) : undefined;
}

/** The user's own values of the rules a policy can tighten, with who set each when the host says. */
export function userValues(settings: ServerSettings | undefined, sources?: Readonly<Record<string, string>>): UserValues {
  const b = settings?.budget;
  return {
    ...(sources ? { from: Object.fromEntries(Object.entries(SETTING_OF).flatMap(([k, name]) => (sources[name] ? [[k, sources[name]]] : []))) } : {}),
    annualUsd: b?.annualUsd ?? DEFAULT_BUDGET.annualUsd,
    yearStartMonth: b?.yearStartMonth ?? DEFAULT_BUDGET.yearStartMonth,
    escalationShare: b?.escalationShare ?? DEFAULT_BUDGET.escalationShare,
    dailyCapUsd: b ? b.dailyCapUsd : DEFAULT_BUDGET.dailyCapUsd,
    askAboveUsd: b ? b.askAboveUsd : DEFAULT_BUDGET.askAboveUsd,
    exclude: settings?.exclude ?? [],
    localOnly: settings?.localOnly ?? [],
    quietHours: typeof settings?.agent.quietHours === 'string' ? settings.agent.quietHours : settingDefault('quietHours'),
    autoEscalate: settings?.agent.autoEscalate === true,
  };
}

/** The budget the governor enforces: the user's, tightened by the policy, with who set each limit. */
export function budgetUnder(own: BudgetSettings, p: EffectivePolicy): BudgetSettings {
  // Who set a limit, when it is known: a policy file, or the setting's own source (a repository's config file that tightened it, a flag, the user's file).
  const by = (r: { source: Source }) => (r.source.layer === 'organisation' || r.source.layer === 'repository' || r.source.setting ? describeSource(r.source) : undefined);
  const setBy = Object.fromEntries(
    (
      [
        ['annualUsd', p.annualUsd],
        ['escalationShare', p.escalationShare],
        ['dailyCapUsd', p.dailyCapUsd],
        ['askAboveUsd', p.askAboveUsd],
        ['maxEscalationsPerMonth', p.escalationMaxPerMonth],
      ] as const
    ).flatMap(([k, rule]) => {
      const who = by(rule);
      return who ? [[k, who]] : [];
    }),
  );
  return { ...own, annualUsd: p.annualUsd.value, yearStartMonth: p.yearStartMonth.value, escalationShare: p.escalationShare.value, dailyCapUsd: p.dailyCapUsd.value, askAboveUsd: p.askAboveUsd.value, maxEscalationsPerMonth: p.escalationMaxPerMonth.value, setBy };
}

/** Why the project's tests may not run here, if they may not. */
export function testsBlocked(trusted: boolean, policy: EffectivePolicy): string | undefined {
  if (!trusted) return 'the repository is not trusted to run its code: trust it with nightshift trust <folder>, or run with --trust';
  if (!policy.checkCommands.value) return `the team policy lets no command run (${describeSource(policy.checkCommands.source)})`;
  return undefined;
}
