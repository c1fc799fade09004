/**
 * Who may set what: the user, or a repository too (its `.nightshift/config.json` headless, a
 * workspace's `.vscode/settings.json` in the editor) but only to tighten. One table for both hosts;
 * the manifest's scopes follow it (`user` settings are `application` or `machine`, a unit test keeps
 * the two equal) and `repositoryValues` applies it. A repository must never widen what is read or
 * spent, nor choose what the user's key pays for, nor run anything the user has not trusted.
 */

export type SettingRule =
  /** Only the user: where code and keys go, what the key pays for, which policy binds, what counts as checked, when the year starts. */
  | { may: 'user'; why: string }
  /** A repository may lower it, never raise it; `null` means "no limit" and never comes from a repository over a number. */
  | { may: 'lower'; default: number | null }
  /** A repository may turn it off, never on. */
  | { may: 'offOnly' }
  /** A repository adds to the user's list, never takes from it. */
  | { may: 'addOnly' }
  /** It names something to run: a repository's value applies only where the user trusts the repository. */
  | { may: 'whenTrusted' };

const WHERE = 'where code and keys go';
const PAYS = 'what your key pays for';

/** Settings not listed here a repository may set as it likes (what to work on, timings, display). */
export const SETTING_RULES: Readonly<Record<string, SettingRule>> = {
  baseUrl: { may: 'user', why: WHERE },
  profiles: { may: 'user', why: WHERE },
  organizationPolicy: { may: 'user', why: 'which policy binds' },
  typeCheckedCounts: { may: 'user', why: 'what counts as checked' },
  model: { may: 'user', why: PAYS },
  backgroundProfile: { may: 'user', why: PAYS },
  escalationProfile: { may: 'user', why: PAYS },
  // Moving the year's start would open a new year's budget.
  'budget.yearStartMonth': { may: 'user', why: 'when the budget year starts' },
  'budget.annualUsd': { may: 'lower', default: 2000 },
  'budget.dailyCapUsd': { may: 'lower', default: null },
  'budget.askAboveUsd': { may: 'lower', default: null },
  'budget.escalationShare': { may: 'lower', default: 0.2 },
  'budget.burstDays': { may: 'lower', default: 3 },
  concurrency: { may: 'lower', default: 2 },
  maxCompletionTokens: { may: 'lower', default: 4096 },
  autoEscalate: { may: 'offOnly' },
  exclude: { may: 'addOnly' },
  localOnly: { may: 'addOnly' },
  checkCommands: { may: 'whenTrusted' },
};

/** The settings only the user may set (scope `application` or `machine` in the manifest). */
export const USER_ONLY_SETTINGS: readonly string[] = Object.entries(SETTING_RULES).flatMap(([name, r]) => (r.may === 'user' ? [name] : []));

/** The key in a settings object that says who set each value (dotted name → a phrase such as "your config file (…)"). */
export const SETTING_SOURCES = '$sources';

export interface RepositoryValues {
  /** The repository's values that apply (dotted names), each tightening the user's or free to set. */
  taken: Record<string, unknown>;
  /** The dotted names of `taken` that tighten a limit of the user's (lower, off, added to). */
  tightened: string[];
  /** One sentence per value refused, naming the key and why. */
  refused: string[];
}

const shown = (v: unknown) => (v === null || v === undefined ? 'no limit' : typeof v === 'number' ? String(v) : JSON.stringify(v));

export interface RepositoryContext {
  /** The repository's file, for the sentences: ".nightshift/config.json". */
  where: string;
  /** The user's word that the repository may run what it names. */
  trusted: boolean;
  /** How the user trusts it here: "nightshift trust <folder>, or --trust". */
  howToTrust: string;
  /** Where the user sets a value for themself: "your own config file". */
  ownSettings: string;
}

/**
 * What of a repository's settings applies over the user's: both as flat objects of dotted names
 * ("budget.dailyCapUsd"), the user's being every layer of their own (file, flags) merged.
 */
export function repositoryValues(user: Readonly<Record<string, unknown>>, repository: Readonly<Record<string, unknown>>, context: RepositoryContext): RepositoryValues {
  const out: RepositoryValues = { taken: {}, tightened: [], refused: [] };
  const { where, trusted } = context;
  const own = `set it in ${context.ownSettings}`;
  for (const [name, value] of Object.entries(repository)) {
    const rule = SETTING_RULES[name];
    if (!rule) {
      out.taken[name] = value;
      continue;
    }
    switch (rule.may) {
      case 'user':
        out.refused.push(`${where} sets "${name}", which only you may set (${rule.why}); it is ignored. ${own[0].toUpperCase()}${own.slice(1)}.`);
        break;
      case 'lower': {
        const mine = name in user ? user[name] : rule.default;
        const limit = typeof mine === 'number' ? mine : null;
        if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
          out.refused.push(`${where} sets "${name}" to ${shown(value)}, which is not a number; it is ignored.`);
        } else if (value !== null && (limit === null || value < limit)) {
          out.taken[name] = value;
          out.tightened.push(name);
        } else if (value !== limit) {
          const what = name.startsWith('budget.') ? 'a repository may tighten the budget, not raise it' : 'a repository may lower it, not raise it';
          out.refused.push(`${where} sets "${name}" to ${shown(value)}, above yours (${shown(limit)}); it is ignored: ${what}; ${own}.`);
        }
        break;
      }
      case 'offOnly':
        if (value === false) {
          out.taken[name] = false;
          out.tightened.push(name);
        } else if (value === true && user[name] !== true) {
          out.refused.push(`${where} sets "${name}" to true; it is ignored: a repository may turn it off, not on; ${own}.`);
        }
        break;
      case 'addOnly': {
        const mine = Array.isArray(user[name]) ? (user[name] as unknown[]) : [];
        const added = Array.isArray(value) ? value.filter((v) => !mine.includes(v)) : [];
        if (added.length > 0) {
          out.taken[name] = [...mine, ...added];
          out.tightened.push(name);
        }
        break;
      }
      case 'whenTrusted':
        if (trusted) out.taken[name] = value;
        else if (!Array.isArray(value) || value.length > 0) out.refused.push(`${where} sets "${name}"; they do not run: you have not trusted this repository (${context.howToTrust}).`);
        break;
    }
  }
  return out;
}

/** One setting at each level an editor keeps it: the default, the user's, the workspace's (a folder's over the workspace file's). */
export interface SettingLevels {
  default?: unknown;
  user?: unknown;
  workspace?: unknown;
}

/**
 * The editor's settings in force (dotted names) from each setting's levels: the user's value over
 * the default, then the workspace's where the rules let it (VS Code's own merge would let a
 * workspace raise a budget or pick a profile); `sources` names each value a person set.
 */
export function settingsOverUser(levels: Readonly<Record<string, SettingLevels>>, context: RepositoryContext): { values: Record<string, unknown>; sources: Record<string, string>; refused: string[] } {
  const user: Record<string, unknown> = {};
  const workspace: Record<string, unknown> = {};
  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const [name, l] of Object.entries(levels)) {
    values[name] = l.user !== undefined ? l.user : l.default;
    if (l.user !== undefined) {
      user[name] = l.user;
      sources[name] = 'your settings';
    }
    if (l.workspace !== undefined) workspace[name] = l.workspace;
  }
  const repo = repositoryValues(user, workspace, context);
  for (const [name, value] of Object.entries(repo.taken)) {
    values[name] = value;
    sources[name] = repo.tightened.includes(name) ? `${context.where} (${name}), tighter than yours` : `${context.where} (${name})`;
  }
  return { values, sources, refused: repo.refused };
}

/** A nested settings object as dotted names (arrays and other values are leaves). */
export function flattenSettings(nested: Readonly<Record<string, unknown>>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(nested)) {
    if (k === SETTING_SOURCES) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flattenSettings(v as Record<string, unknown>, `${prefix}${k}.`));
    else out[`${prefix}${k}`] = v;
  }
  return out;
}
