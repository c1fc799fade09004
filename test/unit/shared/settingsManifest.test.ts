/**
 * The copies made from the one description of the settings (src/shared/settingsSchema.ts) are the
 * ones checked in: the manifest's settings, their texts, the untrusted-workspace restrictions, the
 * README's table. Each fails when a copy is edited by hand or the schema changes without
 * `npm run schema` (node scripts/settings-manifest.mjs --write).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BACKENDS } from '../../../src/core/providers/backends';
import { manifestConfiguration, manifestNls, readmeTable, restrictedConfigurations, withReadmeTable } from '../../../src/shared/settingsManifest';
import { SETTINGS, type SettingSpec } from '../../../src/shared/settingsSchema';
import { REPO_ROOT } from '../../harness/testEnv';

const read = (name: string) => fs.readFileSync(path.join(REPO_ROOT, name), 'utf8');
const manifest = JSON.parse(read('package.json')) as {
  contributes: { configuration: unknown };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
};
const nls = JSON.parse(read('package.nls.json')) as Record<string, string>;
const FIX = 'run npm run schema (node scripts/settings-manifest.mjs --write)';

describe('the settings, described once', () => {
  it("package.json's contributes.configuration is the schema's", () => {
    assert.deepEqual(manifest.contributes.configuration, manifestConfiguration(), FIX);
  });

  it("package.nls.json's setting texts are the schema's descriptions, none missing, none stale", () => {
    const ours = Object.fromEntries(Object.entries(nls).filter(([k]) => k.startsWith('config.')));
    assert.deepEqual(ours, manifestNls(), FIX);
    const named = [...JSON.stringify(manifest.contributes.configuration).matchAll(/"%(config\.[^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(named.length > 30);
    for (const key of named) assert.ok(key in nls, `${key} has a text`);
  });

  it('an untrusted workspace keeps exactly the settings that name something to run', () => {
    assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, restrictedConfigurations(), FIX);
    assert.deepEqual(restrictedConfigurations(), ['nightshift.checkCommands']);
  });

  it("the README's settings table is the schema's", () => {
    const readme = read('README.md');
    assert.ok(withReadmeTable(readme) !== undefined, 'README.md has the table markers');
    assert.equal(withReadmeTable(readme), readme, FIX);
    assert.ok(readme.includes(readmeTable()));
  });

  it("a profile's backends are the presets the code knows", () => {
    const profile = (SETTINGS.profiles.schema as SettingSpec['schema']).items!;
    assert.deepEqual([...(profile.properties!.backend.enum as string[])].sort(), Object.keys(BACKENDS).sort());
    assert.equal(SETTINGS.baseUrl.default, BACKENDS.minimax.baseUrl, 'the default base URL is the default backend’s');
  });

  it('every default fits its own type', () => {
    const fits = (v: unknown, type: string) => (type === 'null' ? v === null : type === 'array' ? Array.isArray(v) : type === 'integer' ? Number.isInteger(v) : typeof v === type);
    for (const [name, spec] of Object.entries(SETTINGS as Readonly<Record<string, SettingSpec>>)) {
      const types = ([] as string[]).concat(spec.schema.type as string | string[]);
      assert.ok(
        types.some((t) => fits(spec.default, t)),
        `${name}: ${JSON.stringify(spec.default)} is not ${types.join(' or ')}`,
      );
      if (typeof spec.default === 'number') {
        assert.ok(spec.schema.minimum === undefined || spec.default >= spec.schema.minimum, name);
        assert.ok(spec.schema.maximum === undefined || spec.default <= spec.schema.maximum, name);
      }
    }
  });
});
