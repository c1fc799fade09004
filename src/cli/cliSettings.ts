/**
 * The headless host's settings: the same names as the VS Code settings (without `nightshift.`),
 * from the user's own config file, the workspace's `.nightshift/config.json` (only to tighten:
 * settingLayers.ts), then flags (`--model M2`, `--budget.annualUsd 500`). Keys come from the
 * environment or key files only (core/keyHandover.ts), never from a settings file or a flag, so
 * none lands in a shell history or a repository.
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKENDS } from '../core/providers/backends';
import type { StoredKey } from '../core/providers/keyScope';
import { parseProfiles, resolveRole, toBackendProfile, type BackendProfile } from '../core/providers/profiles';
import { checkSetting, fromFlagText } from '../core/settingValues';
import { DEFAULT_PROFILE_NAME } from '../shared/agentProtocol';
import { flattenSettings } from '../shared/settingRules';
import { settingDefault } from '../shared/settingsSchema';

export const CONFIG_FILE = path.join('.nightshift', 'config.json');

/** Sets `a.b.c` in a nested object. */
function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    if (typeof node[p] !== 'object' || node[p] === null || Array.isArray(node[p])) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** Nested settings from an object whose keys may be dotted or prefixed ("nightshift.budget.annualUsd"). */
export function nestSettings(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const name = key.replace(/^nightshift\./, '');
    if (value && typeof value === 'object' && !Array.isArray(value) && !name.includes('.') && name === 'budget') {
      for (const [k, v] of Object.entries(value)) setPath(out, `budget.${k}`, v);
    } else {
      setPath(out, name, value);
    }
  }
  return out;
}

export interface LoadedSettings {
  settings: Record<string, unknown>;
  /** Sentences about what could not be used. */
  problems: string[];
}

/**
 * The settings only the user may set (src/shared/settingRules.ts says which and why: where code and
 * keys go, what the key pays for, whose policy binds, what counts as checked). In VS Code they are
 * user settings only (scope `application` or `machine`); a unit test keeps this list equal to the manifest's.
 */
export { USER_ONLY_SETTINGS } from '../shared/settingRules';

/** The user's own config file for the terminal: `$XDG_CONFIG_HOME/nightshift/config.json` (`%APPDATA%\Nightshift` on Windows). */
export function userConfigFile(env: NodeJS.ProcessEnv): string {
  if (process.platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'Nightshift', 'config.json');
  return path.join(env.XDG_CONFIG_HOME || path.join(env.HOME ?? os.homedir(), '.config'), 'nightshift', 'config.json');
}

/** A settings file; a missing one is no settings, a broken one says where it broke. Keys in it are refused. */
function readSettingsFile(file: string, shown: string): LoadedSettings {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { settings: {}, problems: [] };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { settings: {}, problems: [`${shown} must hold one JSON object; it is ignored.`] };
    const problems = Object.keys(parsed)
      .filter((k) => /key|token|secret/i.test(k) && !/Tokens$/.test(k))
      .map((k) => `${shown} names "${k}": keys are read from the environment or key files only; it is ignored.`);
    const clean = Object.fromEntries(Object.entries(parsed).filter(([k]) => (!/key|token|secret/i.test(k) || /Tokens$/.test(k)) && k !== '$schema'));
    return checkedSettings(nestSettings(clean), shown, problems);
  } catch (err) {
    const at = /position (\d+)/.exec(String(err));
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
    return { settings: {}, problems: [`${shown} is not valid JSON${line ? ` (line ${line})` : ''}; it is ignored.`] };
  }
}

/**
 * Only the settings the schema knows, each of its type (settingsSchema.ts, the same description the
 * editor's manifest is made from); every other name or value is said and left out, never silently
 * dropped or used as something else.
 */
function checkedSettings(nested: Record<string, unknown>, shown: string, problems: string[] = []): LoadedSettings {
  const flat: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flattenSettings(nested))) {
    const checked = checkSetting(name, value);
    if (checked.ok) flat[name] = checked.value;
    else problems.push(`${shown}: ${checked.problem}; it is ignored.`);
  }
  return { settings: nestSettings(flat), problems };
}

/** The repository's `.nightshift/config.json` as written (keys refused); what of it applies is settingLayers.ts's to say. */
export function readConfigFile(folder: string): LoadedSettings {
  return readSettingsFile(path.join(folder, CONFIG_FILE), CONFIG_FILE);
}

/** The user's own config file (see userConfigFile): every setting, these included. */
export function readUserConfigFile(env: NodeJS.ProcessEnv): LoadedSettings {
  const file = userConfigFile(env);
  return readSettingsFile(file, file);
}

/**
 * Settings handed over in NIGHTSHIFT_SETTINGS (a JSON object): how an editor that starts the daemon
 * passes on its own settings. Between the config file and the flags.
 */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv): LoadedSettings {
  const raw = env.NIGHTSHIFT_SETTINGS;
  if (!raw) return { settings: {}, problems: [] };
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return checkedSettings(nestSettings(parsed as Record<string, unknown>), 'NIGHTSHIFT_SETTINGS');
  } catch {
    // Reported below.
  }
  return { settings: {}, problems: ['NIGHTSHIFT_SETTINGS is not a JSON object; it is ignored.'] };
}

/** Turns `--name value` pairs into settings of the setting's type (settingsSchema.ts); names what it cannot use. */
export function settingFlags(pairs: ReadonlyArray<[string, string]>): LoadedSettings {
  const flat: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, raw] of pairs) {
    const checked = checkSetting(name, fromFlagText(name, raw));
    if (checked.ok) flat[name] = checked.value;
    else problems.push(`--${name} ${checked.problem.replace(/^"[^"]*" /, '')}.`);
  }
  return { settings: nestSettings(flat), problems };
}

/** Later layers win, key by key (nested objects merged). */
export function mergeSettings(...layers: Array<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer)) {
      const prev = out[k];
      out[k] = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev) ? mergeSettings(prev as Record<string, unknown>, v as Record<string, unknown>) : v;
    }
  }
  return out;
}

/** The profile a key is asked for, as the engine will resolve it. */
function profileNamed(name: string, settings: Record<string, unknown>): BackendProfile | undefined {
  if (name === DEFAULT_PROFILE_NAME) {
    const s = { baseUrl: String(settings.baseUrl ?? settingDefault('baseUrl')), model: String(settings.model ?? settingDefault('model')), profiles: [], backgroundProfile: '', escalationProfile: '' };
    const r = resolveRole(s, 'background');
    return 'profile' in r ? r.profile : undefined;
  }
  const found = parseProfiles(settings.profiles).profiles.find((p) => p.name === name);
  return found ? toBackendProfile(found) : undefined;
}

/** The environment variables a profile's key is read from (or `<VAR>_FILE`, a file holding it), first found wins. */
export function keyVariables(name: string, settings: Record<string, unknown>): string[] {
  const own = `NIGHTSHIFT_API_KEY_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
  const kind = profileNamed(name, settings)?.kind;
  const preset = kind ? BACKENDS[kind].keyEnv : undefined;
  return [...new Set([own, ...(preset ? [preset] : []), 'NIGHTSHIFT_API_KEY'])];
}

/**
 * A profile's key from the keys taken at start (variable → key: core/keyHandover.ts holdKeys). A
 * key from a variable named for the profile or its backend is for the server the profile points
 * at; the catch-all NIGHTSHIFT_API_KEY is for no server in particular, so never sent to a local one
 * (core/providers/keyScope.ts).
 */
export function keyFromEnvironment(name: string, settings: Record<string, unknown>, keys: Readonly<Record<string, string | undefined>>): StoredKey | null {
  const profile = profileNamed(name, settings);
  for (const v of keyVariables(name, settings)) {
    const key = keys[v]?.trim();
    if (key) return v === 'NIGHTSHIFT_API_KEY' || !profile ? { key } : { key, for: profile.baseUrl };
  }
  return null;
}
