/**
 * The headless host's settings in force, and who set each: the user's own config file, then the
 * repository's `.nightshift/config.json` — only what it may set (src/shared/settingRules.ts: it can
 * tighten the budget, never raise it; choose no profile; run nothing until trusted) — then the
 * settings an editor handed over (NIGHTSHIFT_SETTINGS) and the flags. Never lets a repository's
 * value stand for the user's: each value carries its real source.
 */
import { flattenSettings, repositoryValues, SETTING_RULES, SETTING_SOURCES } from '../shared/settingRules';
import { CONFIG_FILE, nestSettings } from './cliSettings';

/** One layer of settings and how to name it as the source of a setting. */
export interface SettingLayer {
  settings: Record<string, unknown>;
  /** "your config file (~/.config/nightshift/config.json)", "--budget.dailyCapUsd". */
  source: (name: string) => string;
}

export interface LayeredSettings {
  /** Nested, as the engine reads them, with `$sources`: dotted name → who set it. */
  settings: Record<string, unknown>;
  /** One sentence per repository value refused. */
  refused: string[];
}

export const REPOSITORY_SOURCE = (name: string) => `the repository's ${CONFIG_FILE} (${name})`;

/**
 * `own` is the user's config file, `over` the layers of the user's that win over the repository's
 * free settings (handed-over settings, then flags).
 */
export function layerSettings(own: SettingLayer, repository: Record<string, unknown>, over: readonly SettingLayer[], trusted: boolean): LayeredSettings {
  const flat: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const put = (values: Record<string, unknown>, source: (name: string) => string) => {
    for (const [name, value] of Object.entries(values)) {
      flat[name] = value;
      sources[name] = source(name);
    }
  };
  const user: Record<string, unknown> = {};
  for (const layer of [own, ...over]) Object.assign(user, flattenSettings(layer.settings));
  const { trustedFolders, ...asked } = flattenSettings(repository);
  const repo = repositoryValues(user, asked, {
    where: CONFIG_FILE,
    trusted,
    howToTrust: 'nightshift trust <folder>, or --trust',
    ownSettings: 'your own config file',
  });
  // The repository's free values sit between the user's file and the user's later layers; what it tightens wins over all of them.
  const tightened = new Set(repo.tightened);
  const free = Object.fromEntries(Object.entries(repo.taken).filter(([name]) => !tightened.has(name) && SETTING_RULES[name]?.may !== 'addOnly'));
  put(flattenSettings(own.settings), own.source);
  put(free, REPOSITORY_SOURCE);
  for (const layer of over) put(flattenSettings(layer.settings), layer.source);
  for (const name of tightened) {
    flat[name] = repo.taken[name];
    sources[name] = SETTING_RULES[name]?.may === 'addOnly' ? `${sources[name] ? `${sources[name]} and ` : ''}${REPOSITORY_SOURCE(name)}` : `${REPOSITORY_SOURCE(name)}, tighter than yours`;
  }
  // Trust is the user's word alone (trust.ts reads it from the user's own file only).
  const refused = trustedFolders === undefined ? repo.refused : [...repo.refused, `${CONFIG_FILE} sets "trustedFolders", which only you may set (whom you trust); it is ignored. Use nightshift trust <folder>.`];
  return { settings: { ...nestSettings(flat), [SETTING_SOURCES]: sources }, refused };
}
