/**
 * Values read from outside, checked and defaulted by the settings' one description: the engine's
 * numbers come from the schema's range and default (no literal of their own), a budget with one
 * unusable value is the default budget, said once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBudgetSettings } from '../../../src/core/budget/budgetSettings';
import { DEFAULT_BUDGET } from '../../../src/core/budget/BudgetGovernor';
import { DEFAULT_AGENT_SETTINGS } from '../../../src/core/agent/agentHost';
import { BackendConfig } from '../../../src/core/engine/backendConfig';
import { checkSetting, fromFlagText, meantSetting, numberSetting } from '../../../src/core/settingValues';
import { parseProfiles } from '../../../src/core/providers/profiles';
import { SETTINGS, type SettingSpec } from '../../../src/shared/settingsSchema';

describe("settings' values, by the one description", () => {
  it('clamps a number to the schema’s range, and takes the default below its minimum or for no number', () => {
    assert.equal(numberSetting('concurrency', 20), SETTINGS.concurrency.schema.maximum);
    assert.equal(numberSetting('concurrency', 2.7), 2);
    assert.equal(numberSetting('concurrency', 0), SETTINGS.concurrency.default);
    assert.equal(numberSetting('maxCompletionTokens', 512), SETTINGS.maxCompletionTokens.default);
    assert.equal(numberSetting('testTimeoutSeconds', 5000), 600);
    assert.equal(numberSetting('callTimeoutSeconds', '30'), SETTINGS.callTimeoutSeconds.default);
  });

  it('gives both hosts the schema’s defaults', async () => {
    assert.deepEqual(
      [DEFAULT_BUDGET.annualUsd, DEFAULT_BUDGET.yearStartMonth, DEFAULT_BUDGET.escalationShare, DEFAULT_BUDGET.burstDays, DEFAULT_BUDGET.dailyCapUsd, DEFAULT_BUDGET.askAboveUsd],
      [SETTINGS['budget.annualUsd'].default, SETTINGS['budget.yearStartMonth'].default, SETTINGS['budget.escalationShare'].default, SETTINGS['budget.burstDays'].default, null, null],
    );
    assert.deepEqual([DEFAULT_AGENT_SETTINGS.concurrency, DEFAULT_AGENT_SETTINGS.reviewSavedChanges], [SETTINGS.concurrency.default, SETTINGS.reviewSavedChanges.default]);
    const s = await new BackendConfig(
      async () => ({}),
      async () => null,
    ).current();
    assert.deepEqual(
      [s.baseUrl, s.model, s.maxCompletionTokens, s.checkTimeoutMs, s.testTimeoutMs, s.streamIdleMs, s.callTimeoutMs, s.tests, s.agent.reviewSavedChanges],
      [SETTINGS.baseUrl.default, SETTINGS.model.default, SETTINGS.maxCompletionTokens.default, SETTINGS.checkTimeoutSeconds.default * 1000, SETTINGS.testTimeoutSeconds.default * 1000, SETTINGS.streamIdleSeconds.default * 1000, SETTINGS.callTimeoutSeconds.default * 1000, 'auto', true],
    );
    const off = await new BackendConfig(
      async () => ({ reviewSavedChanges: false, concurrency: 20 }),
      async () => null,
    ).current();
    assert.deepEqual([off.agent.reviewSavedChanges, off.agent.concurrency], [false, 8]);
  });

  it('takes a budget whole or not at all, naming the value it could not use', () => {
    assert.deepEqual(parseBudgetSettings({ yearStartMonth: 4, dailyCapUsd: 2 }).settings, { ...DEFAULT_BUDGET, yearStartMonth: 4, dailyCapUsd: 2 });
    const bad = parseBudgetSettings({ yearStartMonth: 4, annualUsd: -5 });
    assert.deepEqual(bad.settings, DEFAULT_BUDGET);
    assert.deepEqual(bad.problems, ['nightshift.budget.annualUsd is invalid (needs a number from 0 to 1000000, not -5); Nightshift uses the default budget until it is fixed.']);
    assert.match(parseBudgetSettings({ yearStartMonth: 13 }).problems[0], /yearStartMonth is invalid \(needs a whole number from 1 to 12, not 13\)/);
  });

  it("a profile's fields are the same in the manifest and in the engine's reader (providers/profiles.ts)", () => {
    const full = { name: 'a', backend: 'openrouter', baseUrl: 'https://x.example/v1', model: 'm', price: { input: 1, cachedInput: 0.5, output: 2 }, local: false, markup: 0.1 };
    const item = (SETTINGS.profiles.schema as SettingSpec['schema']).items!;
    assert.deepEqual(Object.keys(item.properties!).sort(), Object.keys(full).sort());
    assert.deepEqual(parseProfiles([full]).profiles, [full], 'the engine keeps every field the manifest describes');
    assert.equal(checkSetting('profiles', [full]).ok, true);
    for (const wrong of [
      { ...full, markup: 11 },
      { ...full, model: undefined },
      { ...full, price: { input: 1 } },
      { ...full, backend: 'nowhere' },
    ]) {
      assert.equal(checkSetting('profiles', [wrong]).ok, false, JSON.stringify(wrong));
      assert.equal(parseProfiles([wrong]).profiles.length, 0, JSON.stringify(wrong));
    }
  });

  it('types a flag’s text by the setting, and points a near name at the setting', () => {
    assert.equal(fromFlagText('budget.dailyCapUsd', 'null'), null);
    assert.equal(fromFlagText('budget.dailyCapUsd', '2.5'), 2.5);
    assert.deepEqual(fromFlagText('exclude', 'a/**, b'), ['a/**', 'b']);
    assert.deepEqual(fromFlagText('alwaysTrigger', '["fix"]'), ['fix']);
    assert.equal(fromFlagText('reviewCommits', 'yes'), 'yes');
    assert.equal(checkSetting('reviewCommits', 'yes').ok, false);
    assert.equal(checkSetting('alwaysTrigger', ['fix', 'nap']).ok, false);
    assert.equal(checkSetting('quietHours', 'tonight').ok, false);
    assert.equal(checkSetting('quietHours', '22:00-07:00').ok, true);
    assert.equal(checkSetting('profiles', [{ name: 'x', model: 'm', backend: 'nowhere' }]).ok, false);
    assert.equal(meantSetting('budget.startMonth'), 'budget.yearStartMonth');
    assert.equal(meantSetting('concurency'), 'concurrency');
    assert.equal(meantSetting('somethingElse'), undefined);
  });
});
