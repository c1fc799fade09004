// Makes the manifest's settings (package.json contributes.configuration and the untrusted-workspace
// restrictions), their package.nls.json texts and the README's settings table from the one
// description of every setting, src/shared/settingsSchema.ts, compiled (npm run schema compiles it
// first; --from DIR reads another compiled tree). Without --write it only says what differs and exits
// 1 if anything does. A unit test (test/unit/shared/settingsManifest.test.ts) fails on the same drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const write = args.includes('--write');
const from = args.includes('--from') ? args[args.indexOf('--from') + 1] : 'out';
const require = createRequire(import.meta.url);
const made = require(path.resolve(root, from, 'src', 'shared', 'settingsManifest.js'));

const file = (name) => path.join(root, name);
const readJson = (name) => JSON.parse(readFileSync(file(name), 'utf8'));
const writeJson = (name, value) => writeFileSync(file(name), `${JSON.stringify(value, null, 2)}\n`);
const drift = [];

const pkg = readJson('package.json');
const configuration = made.manifestConfiguration();
const restricted = made.restrictedConfigurations();
if (!isDeepStrictEqual(pkg.contributes.configuration, configuration)) drift.push('package.json contributes.configuration');
if (!isDeepStrictEqual(pkg.capabilities.untrustedWorkspaces.restrictedConfigurations, restricted)) drift.push('package.json capabilities.untrustedWorkspaces.restrictedConfigurations');
pkg.contributes.configuration = configuration;
pkg.capabilities.untrustedWorkspaces.restrictedConfigurations = restricted;

// The other texts of package.nls.json (commands, views) are kept as they are, in their order.
const nls = readJson('package.nls.json');
const texts = made.manifestNls();
const ours = Object.fromEntries(Object.entries(nls).filter(([k]) => k.startsWith('config.')));
if (!isDeepStrictEqual(ours, texts)) drift.push('package.nls.json config.* texts');
// Each text stays where it was (a stale one goes), a new one comes last: the diff shows only what changed.
const newNls = Object.fromEntries([
  ...Object.entries(nls)
    .filter(([k]) => !k.startsWith('config.') || k in texts)
    .map(([k, v]) => [k, k in texts ? texts[k] : v]),
  ...Object.entries(texts).filter(([k]) => !(k in nls)),
]);

const readme = readFileSync(file('README.md'), 'utf8');
const newReadme = made.withReadmeTable(readme);
if (newReadme === undefined) drift.push(`README.md has no settings table markers (${made.README_TABLE_START} … ${made.README_TABLE_END})`);
else if (newReadme !== readme) drift.push('README.md settings table');

if (write) {
  writeJson('package.json', pkg);
  writeJson('package.nls.json', newNls);
  if (newReadme !== undefined) writeFileSync(file('README.md'), newReadme);
  console.log(drift.length ? `Rewrote: ${drift.join('; ')}.` : 'Everything was up to date.');
} else if (drift.length) {
  console.error(`Out of date with src/shared/settingsSchema.ts: ${drift.join('; ')}. Run npm run schema.`);
  process.exit(1);
}
