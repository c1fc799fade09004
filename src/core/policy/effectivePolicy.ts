/**
 * The effective policy: the organisation's policy, the repository's and the user's settings
 * merged rule by rule, the most restrictive value winning (a user can tighten, never loosen), each
 * value with the layer, file and line that set it. A layer that could not be read makes the policy
 * `broken`: the engine then pauses background work rather than run with no policy.
 */
import { isLoopbackUrl } from '../providers/backends';
import type { ParsedPolicy } from './policyFile';
import type { Policy } from './policySchema';
import type { PolicyRow } from '../../shared/types';

export type Layer = 'organisation' | 'repository' | 'user' | 'default';

export interface Source {
  layer: Layer;
  file?: string;
  line?: number;
  column?: number;
  /** The rule's dotted name in the policy file. */
  rule?: string;
  /** Where a setting of the user layer came from, when the host knows: "your config file (…)", "the flag --budget.dailyCapUsd", "the repository's .nightshift/config.json (…), tighter than yours". */
  setting?: string;
}

export interface Ruled<T> {
  value: T;
  source: Source;
}

/** What the user's own settings say, the loosest layer. */
export interface UserValues {
  annualUsd: number;
  yearStartMonth: number;
  escalationShare: number;
  dailyCapUsd: number | null;
  askAboveUsd: number | null;
  exclude: string[];
  localOnly: string[];
  quietHours: string;
  /** nightshift.autoEscalate: the user lets Nightshift escalate by itself. */
  autoEscalate: boolean;
  /**
   * Who set each of these values, when the host knows (a value with none is the default). Without
   * it every value is "your settings".
   */
  from?: Partial<Record<Exclude<keyof UserValues, 'from'>, string>>;
}

export interface TeamGateway {
  kind: 'litellm' | 'openrouter';
  baseUrl: string;
  /** Every remote call must go through it. */
  required: boolean;
}

export interface EffectivePolicy {
  annualUsd: Ruled<number>;
  yearStartMonth: Ruled<number>;
  escalationShare: Ruled<number>;
  dailyCapUsd: Ruled<number | null>;
  askAboveUsd: Ruled<number | null>;
  /** Every allow list set; a model must match each of them. */
  modelAllow: Array<Ruled<string[]>>;
  backgroundProfile: Ruled<string> | undefined;
  escalationProfile: Ruled<string> | undefined;
  localModels: Ruled<'allowed' | 'forbidden'>;
  escalationAllowed: Ruled<boolean>;
  escalationConfirm: Ruled<boolean>;
  escalationMaxPerMonth: Ruled<number | null>;
  automaticEscalation: Ruled<boolean>;
  neverRead: Ruled<string[]>;
  localOnly: Ruled<string[]>;
  /** The policy layers' own path lists, each with who set it (for the privacy gate's refusals). */
  /** The path rules by who set them: each policy layer's, and your own settings' (`exclude`, `localOnly`). */
  pathRules: { neverRead: Array<Ruled<string[]>>; localOnly: Array<Ruled<string[]>>; yours: { neverRead: Ruled<string[]>; localOnly: Ruled<string[]> } };
  redactForLocalModels: Ruled<boolean>;
  checkCommands: Ruled<boolean>;
  /** Only a tested proposal counts as checked. */
  requireTests: Ruled<boolean>;
  /** Every quiet window that holds (each layer's, the user's too): no work inside any of them. */
  quietHours: Array<Ruled<string>>;
  onlyWhenIdle: Ruled<boolean>;
  /** The headless host's working windows: it works only where every one of them allows; none: any time. */
  headlessHours: Array<Ruled<string>>;
  /** The team's gateway, whose budget is the shared counter (the organisation's, else the repository's). */
  gateway: Ruled<TeamGateway> | undefined;
  /** file:line:col sentences about layers that could not be used. */
  problems: string[];
  /** One sentence per rule a repository's policy set but may not (REPOSITORY_MAY_NOT): the rule, where, why; it is ignored, nothing pauses. */
  refused: string[];
  broken: boolean;
}

export interface PolicyLayer {
  /** Several repository layers in a multi-root workspace: one per folder with a policy file. */
  layer: 'organisation' | 'repository';
  parsed: ParsedPolicy;
}

/** Where a rule was set, for people: ".nightshift/policy.json:7:5 (budget.dailyCapUsd, repository policy)". */
export function describeSource(s: Source): string {
  if (s.layer === 'user') return s.setting ?? 'your settings';
  if (s.layer === 'default') return 'the default';
  return `${s.file}${s.line ? `:${s.line}${s.column ? `:${s.column}` : ''}` : ''} (${s.rule}, ${s.layer} policy)`;
}

type Getter<T> = (p: Policy) => T | undefined;

/**
 * Rules a repository's own policy (a file that came with the clone) may not set, and why: they are
 * no restriction but a choice of what the user's key pays for, or of when a fresh budget year opens.
 * The organisation's policy (which the user chose to bind) and the user's settings still set them;
 * a repository restricts models with `models.allow`.
 */
export const REPOSITORY_MAY_NOT: Readonly<Record<string, { why: string; instead: string }>> = {
  'models.backgroundProfile': { why: 'it would choose what your key pays for', instead: 'your own backgroundProfile setting chooses; a repository restricts models with "models.allow"' },
  'models.escalationProfile': { why: 'it would choose what your key pays for', instead: 'your own escalationProfile setting chooses; a repository restricts models with "models.allow"' },
  'budget.yearStartMonth': { why: "moving the year's start would open a fresh budget year", instead: "your own budget.yearStartMonth setting, or your organisation's policy, sets it" },
};

/** Where a rule sits in a layer's file: "file:line:col". */
function placeOf(l: PolicyLayer, rule: string): string {
  const at = l.parsed.lineOf(rule);
  return `${l.parsed.file}${at ? `:${at.line}:${at.col}` : ''}`;
}

export function effectivePolicy(layers: readonly PolicyLayer[], user: UserValues): EffectivePolicy {
  const usable = layers.filter((l) => l.parsed.policy);
  const setBy = <T>(rule: string, get: Getter<T>) =>
    usable.flatMap((l) => {
      if (l.layer === 'repository' && rule in REPOSITORY_MAY_NOT) return [];
      const value = get(l.parsed.policy!);
      const at = l.parsed.lineOf(rule);
      return value === undefined ? [] : [{ value, source: { layer: l.layer, file: l.parsed.file, line: at?.line, column: at?.col, rule } as Source }];
    });
  const dflt = <T>(value: T): Ruled<T> => ({ value, source: { layer: 'default' } });
  /** The user layer's value, with where it came from when the host said; a value the host gave no source for is the default. */
  const mine = <T>(value: T, key?: Exclude<keyof UserValues, 'from'>): Ruled<T> => {
    if (!user.from || !key) return { value, source: { layer: 'user' } };
    const setting = user.from[key];
    return setting ? { value, source: { layer: 'user', setting } } : dflt(value);
  };
  /** The smallest; the user's value first, so a policy wins only where it is stricter. */
  const least = (rule: string, get: Getter<number>, own: number | null, key: Exclude<keyof UserValues, 'from'> | undefined): Ruled<number | null> => {
    let best: Ruled<number | null> = own === null ? dflt(null) : mine(own, key);
    for (const r of setBy(rule, get)) if (best.value === null || r.value < best.value) best = r;
    return best;
  };
  /** False wins (for "may"). */
  const all = (rule: string, get: Getter<boolean>): Ruled<boolean> => setBy(rule, get).find((r) => !r.value) ?? setBy(rule, get)[0] ?? dflt(true);
  /** True wins (for "must"). */
  const any = (rule: string, get: Getter<boolean>): Ruled<boolean> => setBy(rule, get).find((r) => r.value) ?? setBy(rule, get)[0] ?? dflt(false);
  /** The organisation's, else the repository's, else the user's. */
  const first = <T>(rule: string, get: Getter<T>, own: T | undefined, key?: Exclude<keyof UserValues, 'from'>): Ruled<T> | undefined => setBy(rule, get)[0] ?? (own === undefined ? undefined : mine(own, key));
  const union = (rule: string, get: Getter<string[]>, own: string[], key: Exclude<keyof UserValues, 'from'>): Ruled<string[]> => {
    const set = setBy(rule, get);
    return { value: [...new Set([...own, ...set.flatMap((r) => r.value)])], source: set[0]?.source ?? mine(own, key).source };
  };
  const problems = layers.flatMap((l) => l.parsed.problems);
  const refused = usable.flatMap((l) =>
    l.layer !== 'repository'
      ? []
      : Object.entries(REPOSITORY_MAY_NOT).flatMap(([rule, { why, instead }]) =>
          rule.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown> | undefined)?.[k], l.parsed.policy) !== undefined ? [`${placeOf(l, rule)} sets "${rule}" (repository policy), which a repository may not set: ${why}. It is ignored; ${instead}.`] : [],
        ),
  );
  return {
    annualUsd: least('budget.annualUsdPerDeveloper', (p) => p.budget?.annualUsdPerDeveloper, user.annualUsd, 'annualUsd') as Ruled<number>,
    yearStartMonth: first('budget.yearStartMonth', (p) => p.budget?.yearStartMonth, user.yearStartMonth, 'yearStartMonth')!,
    escalationShare: least('budget.escalationShare', (p) => p.budget?.escalationShare, user.escalationShare, 'escalationShare') as Ruled<number>,
    dailyCapUsd: least('budget.dailyCapUsd', (p) => p.budget?.dailyCapUsd, user.dailyCapUsd, 'dailyCapUsd'),
    askAboveUsd: least('budget.askAboveUsd', (p) => p.budget?.askAboveUsd, user.askAboveUsd, 'askAboveUsd'),
    modelAllow: setBy('models.allow', (p) => p.models?.allow),
    backgroundProfile: first('models.backgroundProfile', (p) => p.models?.backgroundProfile, undefined),
    escalationProfile: first('models.escalationProfile', (p) => p.models?.escalationProfile, undefined),
    localModels: setBy('models.localModels', (p) => p.models?.localModels).find((r) => r.value === 'forbidden') ?? dflt('allowed' as const),
    escalationAllowed: all('escalation.allowed', (p) => p.escalation?.allowed),
    escalationConfirm: any('escalation.confirm', (p) => p.escalation?.confirm),
    escalationMaxPerMonth: least('escalation.maxPerMonth', (p) => p.escalation?.maxPerMonth, null, undefined),
    // The user's own switch is a layer too: off in the settings is off, whatever a policy allows.
    automaticEscalation: user.autoEscalate ? all('escalation.automaticAfterFailedChecks', (p) => p.escalation?.automaticAfterFailedChecks) : mine(false, 'autoEscalate'),
    neverRead: union('privacy.neverRead', (p) => p.privacy?.neverRead, user.exclude, 'exclude'),
    localOnly: union('privacy.localOnly', (p) => p.privacy?.localOnly, user.localOnly, 'localOnly'),
    pathRules: {
      neverRead: setBy('privacy.neverRead', (p) => p.privacy?.neverRead),
      localOnly: setBy('privacy.localOnly', (p) => p.privacy?.localOnly),
      yours: { neverRead: mine(user.exclude, 'exclude'), localOnly: mine(user.localOnly, 'localOnly') },
    },
    redactForLocalModels: any('privacy.redactForLocalModels', (p) => p.privacy?.redactForLocalModels),
    checkCommands: all('privacy.checkCommands', (p) => p.privacy?.checkCommands),
    requireTests: any('checks.requireTests', (p) => p.checks?.requireTests),
    quietHours: [...setBy('schedule.quietHours', (p) => p.schedule?.quietHours), ...(user.quietHours ? [mine(user.quietHours, 'quietHours')] : [])],
    onlyWhenIdle: any('schedule.onlyWhenIdle', (p) => p.schedule?.onlyWhenIdle),
    headlessHours: setBy('schedule.headlessHours', (p) => p.schedule?.headlessHours),
    gateway: setBy('gateway', (p) => p.gateway && { kind: p.gateway.kind, baseUrl: p.gateway.baseUrl, required: p.gateway.required ?? true })[0],
    problems,
    refused,
    broken: problems.length > 0,
  };
}

/** A name glob: `*` any run of characters (slashes too: "openrouter:*" covers "anthropic/claude-…"), `?` one; case-insensitive. */
function nameGlob(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
}

/** Whether the policy lets a backend's model be called; else the refusal, naming the rule. */
export function modelRefusal(policy: EffectivePolicy, backend: string, model: string, local: boolean): string | undefined {
  if (local && policy.localModels.value === 'forbidden') return `The team policy forbids local model servers (${describeSource(policy.localModels.source)}).`;
  for (const allow of policy.modelAllow) {
    const ok = allow.value.some((glob) => {
      const [b, m] = glob.includes(':') ? [glob.slice(0, glob.indexOf(':')), glob.slice(glob.indexOf(':') + 1)] : ['*', glob];
      return nameGlob(b).test(backend) && nameGlob(m).test(model);
    });
    if (!ok) return `The team policy does not allow ${backend}:${model} (${describeSource(allow.source)}: ${allow.value.join(', ')}).`;
  }
  return undefined;
}

/** Whether a base URL is the gateway's or below it: same origin, and the gateway's path a whole-segment prefix ("/v1" aside). */
export function throughGateway(baseUrl: string, gatewayUrl: string): boolean {
  try {
    const [a, b] = [new URL(baseUrl), new URL(gatewayUrl)];
    const trim = (p: string) => p.replace(/\/+$/, '').replace(/\/v1$/, '');
    const [pa, pb] = [trim(a.pathname), trim(b.pathname)];
    return a.origin === b.origin && a.username === '' && (pa === pb || pa.startsWith(`${pb}/`));
  } catch {
    return false;
  }
}

/**
 * Whether the team's gateway lets a profile's calls go: a remote profile must point at it when the
 * policy requires that. Only a server on this machine is exempt — a profile that calls itself local
 * but sits elsewhere is not (a user setting cannot route round the team's counter).
 */
export function gatewayRefusal(policy: EffectivePolicy, profile: { name: string; baseUrl: string; displayName: string; local: boolean }): string | undefined {
  const gw = policy.gateway;
  if (!gw?.value.required || (profile.local && isLoopbackUrl(profile.baseUrl)) || throughGateway(profile.baseUrl, gw.value.baseUrl)) return undefined;
  return `The team policy sends every call to a remote model through its gateway ${gw.value.baseUrl} (${describeSource(gw.source)}); the profile "${profile.name}" calls ${profile.displayName} directly. Point its baseUrl at the gateway.`;
}

/** One row per set of path rules (yours, then each policy's), or one saying there is none. */
function pathRows(rule: string, yours: Ruled<string[]>, set: Array<Ruled<string[]>>): Array<[string, Ruled<unknown>]> {
  const rows = [...(yours.value.length > 0 ? [yours] : []), ...set.filter((r) => r.value.length > 0)];
  return rows.length ? rows.map((r) => [rule, r]) : [[rule, { value: [], source: { layer: 'default' } }]];
}

/** One row per window, or one saying there is none. */
function windows(rule: string, set: Array<Ruled<string>>): Array<[string, Ruled<unknown>]> {
  return set.length ? set.map((r) => [rule, r]) : [[rule, { value: 'none', source: { layer: 'default' } }]];
}

/** One line per rule: its value and who set it (for `nightshift policy` and the editor's log). */
export function describePolicy(p: EffectivePolicy): PolicyRow[] {
  const show = (v: unknown) => (v === null ? 'none' : Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : String(v));
  const rows: Array<[string, Ruled<unknown> | undefined]> = [
    ['budget: annual USD', p.annualUsd],
    ['budget: year starts in month', p.yearStartMonth],
    ['budget: escalation share', p.escalationShare],
    ['budget: daily cap USD', p.dailyCapUsd],
    ['budget: ask above USD', p.askAboveUsd],
    ...p.modelAllow.map((r, i): [string, Ruled<unknown>] => [`models: allowed (list ${i + 1})`, r]),
    ['models: background profile', p.backgroundProfile],
    ['models: escalation profile', p.escalationProfile],
    ['models: local model servers', p.localModels],
    ['escalation: allowed', p.escalationAllowed],
    ['escalation: always confirm', p.escalationConfirm],
    ['escalation: most per month', p.escalationMaxPerMonth],
    ['escalation: automatic after failed checks', p.automaticEscalation],
    // Each set of path rules with who set it: your own entries are never credited to a policy (outside test).
    ...pathRows('privacy: never read', p.pathRules.yours.neverRead, p.pathRules.neverRead),
    ...pathRows('privacy: local models only', p.pathRules.yours.localOnly, p.pathRules.localOnly),
    ['privacy: redact for local models', p.redactForLocalModels],
    ['privacy: check commands may run', p.checkCommands],
    ['checks: only tested proposals count as checked', p.requireTests],
    ...windows('schedule: quiet hours', p.quietHours),
    ['schedule: only while the user is idle', p.onlyWhenIdle],
    ...windows('schedule: headless host works in', p.headlessHours),
    ["gateway: the team's budget is read from", p.gateway && { ...p.gateway, value: `${p.gateway.value.baseUrl} (${p.gateway.value.kind})` }],
    ['gateway: every remote call goes through it', p.gateway && { ...p.gateway, value: p.gateway.value.required }],
  ];
  return rows.filter((r): r is [string, Ruled<unknown>] => r[1] !== undefined).map(([rule, r]) => ({ rule, value: show(r.value) || 'none', setBy: describeSource(r.source), layer: r.source.layer }));
}
