/** `nightshift help settings`: every setting from its one description (shared/settingsSchema.ts), as the terminal takes it. */
import { describeType } from '../core/settingValues';
import { whoMaySet } from '../shared/settingsManifest';
import { SETTINGS, type SettingSpec } from '../shared/settingsSchema';

/** Markdown as plain text: `code` and **bold** lose their marks. */
const plain = (s: string) => s.replace(/`([^`]*)`/g, '$1').replace(/\*\*([^*]*)\*\*/g, '$1');

export function settingsHelp(): string {
  const lines = Object.entries(SETTINGS as Readonly<Record<string, SettingSpec>>).map(([name, spec]) => {
    const dflt = spec.default === '' || spec.default === null ? 'none' : JSON.stringify(spec.default);
    return `  --${name}  ${describeType(spec.schema)}; default ${dflt}; ${whoMaySet(spec.who)}${spec.headlessOnly ? '; your config file only (nightshift trust)' : ''}\n      ${plain(spec.description)}`;
  });
  return `nightshift help settings

Every setting, as a flag (--name value), in your own config file or in a repository's
.nightshift/config.json (names without "nightshift.", dotted or nested). A name that is no
setting, or a value of the wrong type, is named and ignored. A repository's file may only tighten
yours: "you only" settings it never sets.

${lines.join('\n')}`;
}
