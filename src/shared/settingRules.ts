/**
 * Who may set what: the user, or a repository too (its `.nightshift/config.json` headless, a
 * workspace's `.vscode/settings.json` in the editor) but only to tighten. One table for both hosts,
 * read from each setting's `who` in settingsSchema.ts (the manifest's scopes are made from the same
 * field) and applied by `repositoryValues`. A repository must never widen what is read or spent,
 * nor choose what the user's key pays for, nor run anything the user has not trusted.
 */
import { SETTINGS, type SettingSpec } from './settingsSchema';

export type SettingRule =
  | { may: 'user'; why: string }
  /** `default`: the setting's, compared with where the user set nothing. */
  | { may: 'lower'; default: number | null }
  | { may: 'offOnly' }
  | { may: 'addOnly' }
  | { may: 'whenTrusted' };

/** The rule of every setting a repository may not set as it likes (settingsSchema.ts `who`; the others are free). */
export const SETTING_RULES: Readonly<Record<string, SettingRule>> = Object.fromEntries(
  Object.entries(SETTINGS as Readonly<Record<string, SettingSpec>>).flatMap(([name, spec]): Array<[string, SettingRule]> => {
    const who = spec.who;
    if (who.may === 'any') return [];
    if (who.may === 'lower') return [[name, { may: 'lower', default: spec.default as number | null }]];
    if (who.may === 'user') return [[name, { may: 'user', why: who.why }]];
    return [[name, { may: who.may }]];
  }),
);

/** The settings only the user may set (scope `application` or `machine` in the manifest; the headless host's own too). */
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
        // A negation (`!src/private/**`) would take back what the user's own entry excludes: never added.
        const negations = Array.isArray(value) ? value.filter((v) => typeof v === 'string' && v.trimStart().startsWith('!')) : [];
        if (negations.length > 0) out.refused.push(`${where} sets "${name}" with ${negations.map((v) => JSON.stringify(v)).join(', ')}; a repository may add to the list, never take back what it holds (a "!" entry re-includes). ${negations.length === 1 ? 'It is' : 'They are'} ignored.`);
        const added = Array.isArray(value) ? value.filter((v) => !mine.includes(v) && !negations.includes(v)) : [];
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
