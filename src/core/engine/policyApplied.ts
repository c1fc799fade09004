/**
 * The effective policy applied to the user's own settings, for the engine: the user's values of
 * the rules a policy can tighten (with who set each), the budget the governor enforces, why the
 * project's tests may not run, and what each setting and rule reaches in the running engine (the
 * privacy gate, the checks, the tests, the agent's schedule). Pure: no I/O, nothing kept.
 */
import { SETTING_SOURCES } from '../../shared/settingRules';
import type { AgentSettings } from '../agent/agentHost';
import { DEFAULT_BUDGET, type BudgetSettings } from '../budget/BudgetGovernor';
import type { PrivacySettings } from '../privacy/folderPrivacy';
import type { CommandSettings } from '../verify/CommandVerifier';
import type { TestSettings } from '../verify/tests/TestVerifier';
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

/** Where the engine runs: whether it may run the workspace's code, and which host it serves. */
export interface EngineSite {
  trusted: boolean;
  host: 'editor' | 'daemon' | 'oneShot';
}

/** What the settings and the policy in force reach in the running engine. */
export interface RulesReach {
  privacy: PrivacySettings;
  /** The check commands, none where the policy lets no command run. */
  checks: CommandSettings;
  tests: TestSettings;
  /** A proposal counts as checked only when its tests ran and passed (the policy's checks.requireTests). */
  testsRequired: boolean;
  /** The agent's settings with the policy's schedule and escalation rules in them. */
  agent: AgentSettings;
}

/** What each setting and rule reaches, from the settings as read and the policy merged over them. */
export function reachOf(settings: ServerSettings, policy: EffectivePolicy, site: EngineSite): RulesReach {
  const ruled = (rules: Array<{ value: string[]; source: Source }>) => rules.map((r) => ({ globs: r.value, setBy: describeSource(r.source) }));
  return {
    privacy: {
      exclude: policy.neverRead.value,
      localOnly: policy.localOnly.value,
      alwaysRedact: policy.redactForLocalModels.value,
      setBy: { neverRead: ruled(policy.pathRules.neverRead), localOnly: ruled(policy.pathRules.localOnly) },
    },
    checks: { commands: policy.checkCommands.value ? settings.checkCommands : [], timeoutMs: settings.checkTimeoutMs, trusted: site.trusted },
    tests: { mode: settings.tests, timeoutMs: settings.testTimeoutMs, blocked: testsBlocked(site.trusted, policy) },
    testsRequired: policy.requireTests.value,
    agent: {
      ...settings.agent,
      quietHours: policy.quietHours.map((w) => w.value),
      // Only the headless host keeps the policy's headless hours; the editor and a one-shot run work when asked.
      workHours: site.host === 'daemon' ? policy.headlessHours.map((w) => w.value) : [],
      onlyWhenIdle: policy.onlyWhenIdle.value,
      // By itself only where the user allows it (a layer of the merge) and the policy allows escalating without a confirmation.
      autoEscalate: policy.automaticEscalation.value && policy.escalationAllowed.value && !policy.escalationConfirm.value,
    },
  };
}
