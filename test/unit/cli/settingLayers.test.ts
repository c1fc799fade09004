/** The headless host's layers: the user's file, the repository's config file, handed-over settings and flags, each value with its real source. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layerSettings } from '../../../src/cli/settingLayers';

const own = (settings: Record<string, unknown>) => ({ settings, source: () => 'your config file (~/.config/nightshift/config.json)' });
const flags = (settings: Record<string, unknown>) => ({ settings, source: (name: string) => `the flag --${name}` });

describe('the headless host’s settings in force', () => {
  it('takes the repository’s amount only where it is tighter than all of the user’s layers, and says where each came from', () => {
    const { settings, refused } = layerSettings(own({ budget: { annualUsd: 500, dailyCapUsd: 2 } }), { budget: { annualUsd: 400, dailyCapUsd: null, askAboveUsd: 1 } }, [flags({ budget: { annualUsd: 900 } })], false);
    assert.deepEqual(settings.budget, { annualUsd: 400, dailyCapUsd: 2, askAboveUsd: 1 }, 'a flag higher than the repository does not undo its tightening');
    assert.deepEqual(settings.$sources, {
      'budget.annualUsd': "the repository's .nightshift/config.json (budget.annualUsd), tighter than yours",
      'budget.dailyCapUsd': 'your config file (~/.config/nightshift/config.json)',
      'budget.askAboveUsd': "the repository's .nightshift/config.json (budget.askAboveUsd), tighter than yours",
    });
    assert.equal(refused.length, 1);
    assert.match(refused[0], /"budget\.dailyCapUsd" to no limit, above yours \(2\)/);
  });

  it('compares the repository with the user’s flags too: a flag lower than the repository wins', () => {
    const { settings } = layerSettings(own({}), { budget: { dailyCapUsd: 3 } }, [flags({ budget: { dailyCapUsd: 1 } })], false);
    assert.deepEqual(settings.budget, { dailyCapUsd: 1 });
    assert.deepEqual(settings.$sources, { 'budget.dailyCapUsd': 'the flag --budget.dailyCapUsd' });
  });

  it('keeps the order of free settings: the user’s file, then the repository, then flags', () => {
    const { settings } = layerSettings(own({ todoComments: false, idleSweepMinutes: 30 }), { todoComments: true, idleSweepMinutes: 5 }, [flags({ idleSweepMinutes: 60 })], false);
    assert.equal(settings.todoComments, true);
    assert.equal(settings.idleSweepMinutes, 60);
    assert.deepEqual(settings.$sources, { todoComments: "the repository's .nightshift/config.json (todoComments)", idleSweepMinutes: 'the flag --idleSweepMinutes' });
  });

  it('adds the repository’s exclusions to the user’s and names both', () => {
    const { settings } = layerSettings(own({ exclude: ['secrets/**'] }), { exclude: ['db/**'] }, [], false);
    assert.deepEqual(settings.exclude, ['secrets/**', 'db/**']);
    assert.equal((settings.$sources as Record<string, string>).exclude, "your config file (~/.config/nightshift/config.json) and the repository's .nightshift/config.json (exclude)");
  });

  it('runs the user’s own check commands untrusted, the repository’s only trusted; refuses its trustedFolders', () => {
    const untrusted = layerSettings(own({ checkCommands: ['npm run lint'] }), { checkCommands: ['touch pwned'], trustedFolders: ['/'] }, [], false);
    assert.deepEqual(untrusted.settings.checkCommands, ['npm run lint']);
    assert.equal(untrusted.settings.trustedFolders, undefined);
    assert.deepEqual(
      untrusted.refused.map((r) => /sets "(\w+)"/.exec(r)?.[1]),
      ['checkCommands', 'trustedFolders'],
    );
    const trusted = layerSettings(own({ checkCommands: ['npm run lint'] }), { checkCommands: ['make check'] }, [], true);
    assert.deepEqual(trusted.settings.checkCommands, ['make check']);
  });
});
