/**
 * What is made from the settings' one description (settingsSchema.ts): the manifest's
 * `contributes.configuration`, its package.nls.json texts, the settings VS Code keeps from an
 * untrusted workspace, and the README's settings table. `node scripts/settings-manifest.mjs --write`
 * writes them; test/unit/shared/settingsManifest.test.ts fails when a copy differs. Pure: no I/O.
 */
import { SETTING_GROUPS, SETTINGS, type SettingSpec, type Who } from './settingsSchema';

const PREFIX = 'nightshift.';

type Entry = [name: string, spec: SettingSpec];
const entries = (): Entry[] => Object.entries(SETTINGS as Readonly<Record<string, SettingSpec>>).filter(([, spec]) => !spec.headlessOnly);

/** The package.nls.json key of a setting's description, and the manifest field that names it. */
export function nlsKeyOf(name: string, spec: SettingSpec): { key: string; field: 'description' | 'markdownDescription' } {
  const field = spec.markdown ? 'markdownDescription' : 'description';
  return { key: `config.${name}.${field}`, field };
}

/** The manifest scope of a setting: a user-only one is kept out of workspace settings by VS Code itself. */
function scopeOf(who: Who): string | undefined {
  return who.may === 'user' ? (who.scope ?? 'application') : undefined;
}

/** `contributes.configuration`: one section per group, in the schema's order. */
export function manifestConfiguration(): Array<Record<string, unknown>> {
  return Object.keys(SETTING_GROUPS).map((group, order) => {
    const properties: Record<string, unknown> = {};
    for (const [name, spec] of entries().filter(([, s]) => s.group === group)) {
      const scope = scopeOf(spec.who);
      const { key, field } = nlsKeyOf(name, spec);
      const { type, ...rest } = spec.schema;
      properties[`${PREFIX}${name}`] = {
        ...(scope ? { scope } : {}),
        type,
        default: spec.default,
        ...rest,
        [field]: `%${key}%`,
        order: Object.keys(properties).length,
      };
    }
    return { id: `${PREFIX}${group}`, title: `%config.group.${group}%`, order, properties };
  });
}

/** package.nls.json's `config.*` texts: each group's title and each setting's description. */
export function manifestNls(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [group, title] of Object.entries(SETTING_GROUPS)) out[`config.group.${group}`] = title;
  for (const [name, spec] of entries()) out[nlsKeyOf(name, spec).key] = spec.description;
  return out;
}

/** `capabilities.untrustedWorkspaces.restrictedConfigurations`: the settings that name something to run. */
export function restrictedConfigurations(): string[] {
  return entries().flatMap(([name, spec]) => (spec.who.may === 'whenTrusted' ? [`${PREFIX}${name}`] : []));
}

/** Who may set a setting, for people. */
export function whoMaySet(who: Who): string {
  switch (who.may) {
    case 'user':
      return `you only (${who.why})`;
    case 'lower':
      return 'a repository may lower it';
    case 'offOnly':
      return 'a repository may turn it off';
    case 'addOnly':
      return 'a repository may add to it';
    case 'whenTrusted':
      return "a repository's, only once you trust it";
    case 'any':
      return 'a repository too';
  }
}

const shownDefault = (v: unknown) => (v === null || v === '' ? '(none)' : `\`${JSON.stringify(v)}\``);

export const README_TABLE_START = '<!-- settings table: made by `node scripts/settings-manifest.mjs --write` from src/shared/settingsSchema.ts; do not edit -->';
export const README_TABLE_END = '<!-- end of settings table -->';

/** The README's settings table (markdown, between the two markers). */
export function readmeTable(): string {
  const rows = Object.entries(SETTINGS as Readonly<Record<string, SettingSpec>>).map(([name, spec]) => {
    const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const shownName = spec.headlessOnly ? `\`${name}\` (headless host only)` : `\`${PREFIX}${name}\``;
    return `| ${shownName} | ${shownDefault(spec.default)} | ${whoMaySet(spec.who)} | ${cell(spec.description)} |`;
  });
  return [README_TABLE_START, '| setting | default | who may set it | |', '|---|---|---|---|', ...rows, README_TABLE_END].join('\n');
}

/** The README with its settings table replaced; undefined when the markers are missing. */
export function withReadmeTable(readme: string): string | undefined {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start < 0 || end < start) return undefined;
  return readme.slice(0, start) + readmeTable() + readme.slice(end + README_TABLE_END.length);
}
