import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseArgs } from '../../../src/cli/args';
import { keyFromEnvironment, keyVariables, mergeSettings, readConfigFile, readUserConfigFile, settingFlags, userConfigFile, USER_ONLY_SETTINGS } from '../../../src/cli/cliSettings';
import { settingSpec, SETTINGS } from '../../../src/shared/settingsSchema';
import { HELP } from '../../../src/cli/help';
import { layerSettings } from '../../../src/cli/settingLayers';
import { REPO_ROOT } from '../../harness/testEnv';

const manifestJson = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: Array<{ properties: Record<string, { scope?: string }> }> } };

function folderWith(config: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-config-'));
  fs.mkdirSync(path.join(dir, '.nightshift'));
  fs.writeFileSync(path.join(dir, '.nightshift', 'config.json'), config);
  return dir;
}

describe('the headless host settings', () => {
  it('types flags like the settings, and names what it cannot use', () => {
    const { settings, problems } = settingFlags([
      ['budget.annualUsd', '500'],
      ['reviewCommits', 'false'],
      ['checkCommands', '["npm run lint"]'],
      ['exclude', 'secrets/**, *.pem'],
      ['concurrency', 'two'],
      ['concurrency', '20'],
      ['budget.dailyCapUsd', 'null'],
      ['modle', 'x'],
      ['reviewSaves', 'false'],
    ]);
    assert.deepEqual(settings, { budget: { annualUsd: 500, dailyCapUsd: null }, reviewCommits: false, checkCommands: ['npm run lint'], exclude: ['secrets/**', '*.pem'] });
    assert.deepEqual(problems, [
      '--concurrency needs a whole number from 1 to 8, not "two".',
      '--concurrency needs a whole number from 1 to 8, not 20.',
      '--modle is not a Nightshift setting (did you mean "model"?).',
      '--reviewSaves is not a Nightshift setting (did you mean "reviewSavedChanges"?).',
    ]);
  });

  it("checks a config file against the settings' one description: names another host's name for a setting, a wrong type, a value out of range; uses the rest", () => {
    const dir = folderWith(JSON.stringify({ $schema: 'x', budget: { startMonth: 4, annualUsd: -1, dailyCapUsd: 3 }, reviewSaves: false, tests: 'sometimes', concurrency: 1, quietHours: '22:00-07:00' }));
    const file = readConfigFile(dir);
    assert.deepEqual(file.settings, { budget: { dailyCapUsd: 3 }, concurrency: 1, quietHours: '22:00-07:00' });
    assert.deepEqual(file.problems, [
      '.nightshift/config.json: "budget.startMonth" is not a Nightshift setting (did you mean "budget.yearStartMonth"?); it is ignored.',
      '.nightshift/config.json: "budget.annualUsd" needs a number from 0 to 1000000, not -1; it is ignored.',
      '.nightshift/config.json: "reviewSaves" is not a Nightshift setting (did you mean "reviewSavedChanges"?); it is ignored.',
      '.nightshift/config.json: "tests" needs one of "auto", "off", not "sometimes"; it is ignored.',
    ]);
  });

  it('reads the config file with dotted or nested names; flags win key by key', () => {
    const dir = folderWith(JSON.stringify({ model: 'a', 'budget.dailyCapUsd': 2, budget: { annualUsd: 100 }, 'nightshift.quietHours': '22:00-07:00' }));
    const file = readConfigFile(dir);
    assert.deepEqual(file.problems, []);
    const merged = mergeSettings(file.settings, settingFlags([['budget.annualUsd', '300']]).settings);
    assert.deepEqual(merged, { model: 'a', budget: { dailyCapUsd: 2, annualUsd: 300 }, quietHours: '22:00-07:00' });
  });

  it('never takes a key from the config file, and says so', () => {
    const dir = folderWith(JSON.stringify({ apiKey: 'sk-secret', model: 'm', maxCompletionTokens: 2048 }));
    const file = readConfigFile(dir);
    assert.deepEqual(file.settings, { model: 'm', maxCompletionTokens: 2048 });
    assert.match(file.problems[0], /names "apiKey": keys are read from the environment or key files only/);
    assert.ok(!JSON.stringify(file).includes('sk-secret'));
  });

  it('reports a broken config file with its line, and uses nothing from it', () => {
    const file = readConfigFile(folderWith('{\n  "model": "m",\n  oops\n}'));
    assert.deepEqual(file.settings, {});
    assert.match(file.problems[0], /config\.json is not valid JSON \(line 3\); it is ignored\./);
    assert.match(readConfigFile(folderWith('[1]')).problems[0], /must hold one JSON object/);
  });

  it("reads a profile's key from its own variable, its backend's, then NIGHTSHIFT_API_KEY", () => {
    const settings = { profiles: [{ name: 'or fast', backend: 'openrouter', model: 'minimax/minimax-m2.7' }] };
    assert.deepEqual(keyVariables('or fast', settings), ['NIGHTSHIFT_API_KEY_OR_FAST', 'OPENROUTER_API_KEY', 'NIGHTSHIFT_API_KEY']);
    assert.deepEqual(keyVariables('default', {}), ['NIGHTSHIFT_API_KEY_DEFAULT', 'MINIMAX_API_KEY', 'NIGHTSHIFT_API_KEY']);
    assert.deepEqual(keyFromEnvironment('or fast', settings, { NIGHTSHIFT_API_KEY: 'general', OPENROUTER_API_KEY: ' or-key ' }), { key: 'or-key', for: 'https://openrouter.ai/api/v1' });
    assert.deepEqual(keyFromEnvironment('default', {}, { NIGHTSHIFT_API_KEY: 'general' }), { key: 'general' });
    assert.equal(keyFromEnvironment('default', {}, { MINIMAX_API_KEY: '  ' }), null);
  });

  it('a MiniMax key in the environment does not follow the default profile to a local server', () => {
    const local = { baseUrl: 'http://127.0.0.1:8080/v1' };
    assert.equal(keyFromEnvironment('default', local, { MINIMAX_API_KEY: 'mm-key' }), null, 'MINIMAX_API_KEY is not one of its variables there');
    assert.deepEqual(keyFromEnvironment('default', local, { LLAMACPP_API_KEY: 'own' }), { key: 'own', for: 'http://127.0.0.1:8080/v1' }, "the local server's own variable is for it");
    // The catch-all is for no server in particular: the engine does not send it to a local one (keyScope).
    assert.deepEqual(keyFromEnvironment('default', local, { NIGHTSHIFT_API_KEY: 'general' }), { key: 'general' });
  });

  it('parses commands, positionals, its own flags and setting flags', () => {
    assert.deepEqual(parseArgs(['scan', 'ws', '-f', 'sarif', '--output=r.sarif', '--quiet', '--model', 'm']), {
      command: 'scan',
      positional: ['ws'],
      options: new Map<string, string | true>([
        ['format', 'sarif'],
        ['output', 'r.sarif'],
        ['quiet', true],
      ]),
      settings: [['model', 'm']],
    });
    assert.deepEqual(parseArgs(['scan', '--model']), { error: '--model needs a value.' });
  });

  it("takes no say over where code and keys go from a repository's config file (a cloned repository must not aim the user's key at its own server)", () => {
    const dir = folderWith(JSON.stringify({ baseUrl: 'https://collector.example/v1', 'nightshift.profiles': [{ name: 'x', baseUrl: 'https://collector.example/v1', model: 'm', local: true }], organizationPolicy: './loose.json', model: 'm', todoComments: true }));
    const file = readConfigFile(dir);
    const { settings, refused } = layerSettings({ settings: {}, source: () => 'yours' }, file.settings, [], true);
    assert.deepEqual(settings, { todoComments: true, $sources: { todoComments: "the repository's .nightshift/config.json (todoComments)" } });
    assert.deepEqual(
      refused.map((p) => /sets "(\w+)", which only you may set/.exec(p)?.[1]),
      ['baseUrl', 'profiles', 'organizationPolicy', 'model'],
    );
  });

  it('lists every setting in nightshift help settings, with its type, default and who may set it', () => {
    for (const name of Object.keys(SETTINGS)) assert.match(HELP.settings, new RegExp(`^  --${name.replace('.', '\\.')}  `, 'm'), name);
    assert.match(HELP.settings, /--concurrency {2}a whole number from 1 to 8; default 2; a repository may lower it/);
    assert.match(HELP.settings, /--budget\.yearStartMonth {2}a whole number from 1 to 12; default 1; you only \(when the budget year starts/);
  });

  it("keeps the user's quiet hours: a repository's empty window does not clear them", () => {
    const { settings, refused } = layerSettings({ settings: { quietHours: '22:00-07:00' }, source: () => 'yours' }, { quietHours: '' }, [], true);
    assert.equal(settings.quietHours, '22:00-07:00');
    assert.match(refused[0], /sets "quietHours", which only you may set \(when your key spends/);
  });

  it("lists as the user's only exactly the settings the manifest makes machine-scoped", () => {
    const machine = manifestJson.contributes.configuration.flatMap((g) =>
      Object.entries(g.properties)
        .filter(([, spec]) => spec.scope === 'machine' || spec.scope === 'application')
        .map(([name]) => name.replace(/^nightshift\./, '')),
    );
    assert.deepEqual([...machine].sort(), USER_ONLY_SETTINGS.filter((n) => !settingSpec(n)?.headlessOnly).sort());
  });

  it("reads the user's own config file, where those settings may be set", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-home-'));
    const env = { XDG_CONFIG_HOME: path.join(home, 'cfg') };
    assert.equal(userConfigFile(env), path.join(home, 'cfg', 'nightshift', 'config.json'));
    assert.deepEqual(readUserConfigFile(env), { settings: {}, problems: [] });
    fs.mkdirSync(path.dirname(userConfigFile(env)), { recursive: true });
    fs.writeFileSync(userConfigFile(env), JSON.stringify({ baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'sk-no' }));
    const own = readUserConfigFile(env);
    assert.deepEqual(own.settings, { baseUrl: 'http://127.0.0.1:11434/v1' });
    assert.match(own.problems[0], /names "apiKey": keys are read from the environment or key files only/);
    assert.equal(userConfigFile({ HOME: home }), path.join(home, '.config', 'nightshift', 'config.json'));
  });
});
