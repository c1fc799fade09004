/**
 * The backends a profile may name in the settings (the manifest's list, from the settings schema)
 * are exactly the presets the engine knows: a backend added to one list and not the other fails here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS } from '../../../../src/core/providers/backends';
import { settingSpec } from '../../../../src/shared/settingsSchema';

describe("the manifest's backend list", () => {
  it('names every preset in providers/backends.ts, and nothing else', () => {
    const profile = settingSpec('profiles')?.schema.items;
    const listed = profile?.properties?.backend?.enum;
    assert.ok(Array.isArray(listed), 'nightshift.profiles names its backends');
    assert.deepEqual([...listed].sort(), Object.keys(BACKENDS).sort());
  });
});
