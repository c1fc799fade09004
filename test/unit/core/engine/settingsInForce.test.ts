/**
 * SettingsInForce with fake ports: one reading of the settings and the policy handed to each part
 * (the backends, the privacy gate, the ledger and the governor, the policy's pause, the team
 * gateway, the agent), the ledger's pause when the state folder cannot be used (the editor) or the
 * error thrown (the headless hosts), one reading at a time in order, and what it tells the user:
 * each problem when it appears (not again while it stays), a refused rule and the tests' block once in all.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { BudgetSettings } from '../../../../src/core/budget/BudgetGovernor';
import { BackendConfig } from '../../../../src/core/engine/backendConfig';
import type { EngineSite } from '../../../../src/core/engine/policyApplied';
import { SettingsInForce, type SettingsInForcePorts } from '../../../../src/core/engine/settingsInForce';
import type { EffectivePolicy, PolicyLayer } from '../../../../src/core/policy/effectivePolicy';
import { parsePolicy } from '../../../../src/core/policy/policyFile';
import type { PrivacySettings } from '../../../../src/core/privacy/folderPrivacy';
import { SETTING_SOURCES } from '../../../../src/shared/settingRules';

const STATE = path.resolve('/nightshift-state');
const repo = (policy: object): PolicyLayer => ({ layer: 'repository', parsed: parsePolicy({ file: '.nightshift/policy.json', text: JSON.stringify(policy, null, 2) }) });

interface Fake {
  inForce: SettingsInForce;
  /** The host's settings: change them, then `config.invalidateSettings()` and apply. */
  raw: Record<string, unknown>;
  config: BackendConfig;
  /** What each port was handed, in order ("reload", "refreshGateway", …). */
  calls: string[];
  policies: EffectivePolicy[];
  privacy: PrivacySettings[];
  budgets: BudgetSettings[];
  pauses: string[];
  logs: string[];
  messages: string[];
  /** The policy layers the next reads return, and notes with them; a read may be held until `release`. */
  policy: { layers: PolicyLayer[]; notes: string[]; hold?: Promise<void> };
  /** Each reload throws the next of `reloadErrors` (none left: it reads the ledger). */
  ledger: { reloadErrors: unknown[]; writableError?: unknown; problems: string[] };
}

function fake(raw: Record<string, unknown> = {}, site: EngineSite = { trusted: true, host: 'editor' }): Fake {
  const config = new BackendConfig(
    async () => f.raw,
    async () => null,
  );
  const f: Fake = {
    raw,
    config,
    calls: [],
    policies: [],
    privacy: [],
    budgets: [],
    pauses: [],
    logs: [],
    messages: [],
    policy: { layers: [], notes: [] },
    ledger: { reloadErrors: [], problems: [] },
    inForce: undefined as unknown as SettingsInForce,
  };
  const ports: SettingsInForcePorts = {
    site,
    folders: ['/ws/one', '/ws/two'],
    stateDir: STATE,
    config: {
      current: () => config.current(),
      setPolicy: (p) => {
        f.calls.push('setPolicy');
        f.policies.push(p);
      },
    },
    rawSettings: async () => f.raw,
    policyFiles: {
      read: async () => {
        const { layers, notes, hold } = f.policy;
        f.calls.push(`read ${layers.length}`);
        await hold;
        return { layers, notes };
      },
      enforce: () => void f.calls.push('enforce'),
    },
    privacy: { update: (s) => void (f.calls.push('privacy'), f.privacy.push(s)) },
    spend: {
      reload: async (budget) => {
        f.calls.push('reload');
        f.budgets.push(budget);
        const error = f.ledger.reloadErrors.shift();
        if (error) throw error;
        return { problems: f.ledger.problems };
      },
      ledger: {
        checkWritable: async () => {
          if (f.ledger.writableError) throw f.ledger.writableError;
        },
      },
    },
    agent: {
      pauseFor: (reason, detail, action) => void f.pauses.push(`${reason} ${action}: ${detail}`),
      onBudgetChanged: () => void f.calls.push('onBudgetChanged'),
    },
    refreshGateway: async () => void f.calls.push('refreshGateway'),
    pythonInterpreter: async (folder) => (folder.endsWith('one') ? '/venv/bin/python' : Promise.reject(new Error('no python'))),
    log: (level, m) => void f.logs.push(`${level}: ${m}`),
    onUserMessage: (level, m, action) => void f.messages.push(`${level}${action ? ` (${action})` : ''}: ${m}`),
  };
  f.inForce = new SettingsInForce(ports);
  return f;
}

/** A system error on the ledger's file inside the state folder. */
const eacces = () => Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES', path: path.join(STATE, 'ledger', 'spend.jsonl') });
const count = (list: string[], text: string) => list.filter((l) => l.includes(text)).length;

describe('SettingsInForce', () => {
  it('hands each part its share of one reading, and then the gateway is read and the agent told the budget changed', async () => {
    const sources = { [SETTING_SOURCES]: { 'budget.dailyCapUsd': 'the flag --budget.dailyCapUsd' } };
    const f = fake({ exclude: ['secret/**'], checkCommands: ['npm run lint'], tests: 'off', budget: { dailyCapUsd: 3 }, concurrency: 2, ...sources });
    f.policy.layers = [repo({ checks: { requireTests: true }, privacy: { localOnly: ['plans/**'] } })];
    const settings = await f.inForce.apply();
    assert.deepEqual(settings.exclude, ['secret/**']);
    assert.deepEqual(f.calls, ['read 1', 'setPolicy', 'privacy', 'reload', 'enforce', 'refreshGateway', 'onBudgetChanged']);
    assert.equal(f.policies[0], f.inForce.policy, 'the backends get the policy in force');
    assert.deepEqual([f.privacy[0].exclude, f.privacy[0].localOnly], [['secret/**'], ['plans/**']]);
    assert.equal(f.budgets[0].dailyCapUsd, 3);
    assert.equal(f.budgets[0].setBy?.dailyCapUsd, 'the flag --budget.dailyCapUsd', "who set it, from the host's $sources");
    assert.deepEqual(f.inForce.checks.commands, ['npm run lint']);
    assert.equal(f.inForce.tests.mode, 'off');
    assert.equal(f.inForce.testsRequired, true);
    assert.equal(f.inForce.agentSettings.concurrency, 2);
    assert.equal(f.inForce.pythonInterpreter('/ws/one'), '/venv/bin/python');
    assert.equal(f.inForce.pythonInterpreter('/ws/two'), undefined, 'a failed read is no interpreter');
    await f.inForce.apply();
    assert.equal(count(f.calls, 'refreshGateway'), 2, 'each reading');
    assert.equal(count(f.calls, 'onBudgetChanged'), 2, 'each reading');
  });

  it('the editor pauses the agent when the state folder cannot be used, and says where', async () => {
    const f = fake();
    f.ledger.reloadErrors.push(eacces());
    await f.inForce.apply();
    assert.equal(f.pauses.length, 1, JSON.stringify(f.pauses));
    assert.match(f.pauses[0], /^ledger showLog: Nightshift may not write .*spend\.jsonl \(EACCES\)/);
    assert.equal(count(f.messages, 'error (showLog): Nightshift may not write'), 1);
    assert.equal(count(f.logs, 'error: Nightshift may not write'), 1);
    assert.ok(f.calls.includes('onBudgetChanged') && f.calls.includes('refreshGateway'), 'the rest is applied');
  });

  it('a headless host ends on a state folder it cannot use: the reading fails, nothing pauses', async () => {
    for (const host of ['daemon', 'oneShot'] as const) {
      const f = fake({}, { trusted: true, host });
      f.ledger.reloadErrors.push(eacces());
      await assert.rejects(f.inForce.apply(), /EACCES/);
      assert.deepEqual(f.pauses, [], host);
      await f.inForce.settled();
    }
    const other = fake();
    other.ledger.reloadErrors.push(new Error('not a state folder problem'));
    await assert.rejects(other.inForce.apply(), /not a state folder problem/, 'nor does the editor keep any other error');
  });

  it('a ledger it cannot write pauses the agent, on every host', async () => {
    for (const host of ['editor', 'daemon'] as const) {
      const f = fake({}, { trusted: true, host });
      f.ledger.writableError = new Error('The spend ledger is read-only.');
      await f.inForce.apply();
      assert.deepEqual(f.pauses, ['ledger showLog: The spend ledger is read-only.'], host);
      assert.deepEqual(f.messages, ['error (showLog): The spend ledger is read-only.']);
    }
  });

  it('applies one reading at a time, in order: the later reading wins though the earlier was slower', async () => {
    const f = fake();
    let release!: () => void;
    f.policy = { layers: [repo({ budget: { dailyCapUsd: 1 } })], notes: [], hold: new Promise((r) => (release = r)) };
    const first = f.inForce.apply();
    await new Promise((r) => setImmediate(r));
    f.policy = { layers: [repo({ budget: { dailyCapUsd: 2 } }), repo({})], notes: [] };
    const second = f.inForce.apply();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(f.calls, ['read 1'], 'the second waits for the first');
    release();
    await Promise.all([first, second]);
    assert.deepEqual(
      f.calls.filter((c) => c.startsWith('read')),
      ['read 1', 'read 2'],
    );
    assert.equal(f.inForce.policy.dailyCapUsd.value, 2);
    assert.deepEqual(
      f.budgets.map((b) => b.dailyCapUsd),
      [1, 2],
    );
  });

  it('a reading that failed does not hold up the next; settled waits for the one under way', async () => {
    const f = fake({}, { trusted: true, host: 'daemon' });
    f.ledger.reloadErrors.push(eacces());
    let release!: () => void;
    f.policy = { layers: [], notes: [], hold: new Promise((r) => (release = r)) };
    const failed = f.inForce.apply();
    const next = f.inForce.apply();
    let settled = false;
    void f.inForce.settled().then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(settled, false, 'a reading is under way');
    f.policy = { layers: [repo({ budget: { dailyCapUsd: 2 } })], notes: [] };
    release();
    await assert.rejects(failed, /EACCES/);
    await next;
    assert.equal(f.inForce.policy.dailyCapUsd.value, 2, 'the next reading applied');
    await f.inForce.settled();
    assert.equal(settled, true);
    f.ledger.reloadErrors.push(eacces());
    await assert.rejects(f.inForce.apply());
    await f.inForce.settled().then(
      () => undefined,
      () => assert.fail('settled resolves after a failed reading (the engine awaits it on dispose)'),
    );
  });

  it("tells each problem when it appears, once: the settings', the policy's notes, the ledger's, a bad quiet-hours window — not again while it stays", async () => {
    const f = fake({ quietHours: 'late at night', budget: { dailyCapUsd: 'lots' } });
    f.policy.notes = ['The organisation policy could not be read; the last copy is used.'];
    f.ledger.problems = ['Line 3 of the spend ledger is not a valid entry; it was skipped.'];
    await f.inForce.apply();
    const told = [/budget\.dailyCapUsd/, /^The organisation policy could not be read/, /^Line 3 of the spend ledger/, /^nightshift\.quietHours "late at night" is not a window like "22:00-07:00"; it is ignored\.$/];
    for (const re of told) {
      assert.equal(f.logs.filter((l) => l.startsWith('warn: ') && re.test(l.slice(6))).length, 1, `logged once: ${re}\n${f.logs.join('\n')}`);
      assert.equal(f.messages.filter((m) => m.startsWith('warning (showLog): ') && re.test(m.slice(19))).length, 1, `told once: ${re}\n${f.messages.join('\n')}`);
    }
    assert.equal(f.messages.length, told.length, f.messages.join('\n'));
    // Read again (any setting changed) with the same problems: nothing is told again, no toast per keystroke.
    f.config.invalidateSettings();
    await f.inForce.apply();
    assert.equal(f.messages.length, told.length, f.messages.join('\n'));
    // The quiet hours fixed, then broken again: told again when it reappears.
    f.raw = { ...f.raw, quietHours: '22:00-07:00' };
    f.config.invalidateSettings();
    await f.inForce.apply();
    f.raw = { ...f.raw, quietHours: 'late at night' };
    f.config.invalidateSettings();
    await f.inForce.apply();
    assert.equal(f.messages.filter((m) => /quietHours "late at night"/.test(m)).length, 2, f.messages.join('\n'));
    assert.equal(f.messages.length, told.length + 1, f.messages.join('\n'));
  });

  it("a refused repository rule and the tests' block are logged once in all, the block again after it was lifted", async () => {
    const f = fake();
    const blocking = [repo({ models: { backgroundProfile: 'cheap' }, privacy: { checkCommands: false } })];
    f.policy.layers = blocking;
    await f.inForce.apply();
    f.config.invalidateSettings();
    await f.inForce.apply();
    assert.equal(f.inForce.policy.refused.length, 1);
    assert.equal(count(f.logs, 'warn: .nightshift/policy.json:'), 1, f.logs.join('\n'));
    const blocked = "info: The project's own tests do not check proposals here: the team policy lets no command run";
    assert.equal(count(f.logs, blocked), 1, f.logs.join('\n'));
    assert.deepEqual(f.messages, [], 'neither pauses nor asks the user');
    f.policy.layers = [];
    await f.inForce.apply();
    f.policy.layers = blocking;
    await f.inForce.apply();
    assert.equal(count(f.logs, blocked), 2, 'lifted in between: said again');
    assert.equal(count(f.logs, 'warn: .nightshift/policy.json:'), 1, 'the refused rule still said once');
  });

  it('an untrusted workspace: the tests do not run, said once; not said where the tests are off', async () => {
    const f = fake({}, { trusted: false, host: 'editor' });
    await f.inForce.apply();
    f.config.invalidateSettings();
    await f.inForce.apply();
    assert.equal(count(f.logs, "info: The project's own tests do not check proposals here: the repository is not trusted"), 1, f.logs.join('\n'));
    const off = fake({ tests: 'off' }, { trusted: false, host: 'editor' });
    await off.inForce.apply();
    assert.equal(count(off.logs, 'do not check proposals'), 0);
    assert.match(off.inForce.tests.blocked ?? '', /not trusted/);
  });

  it('says why the check commands do not run, and the headless hours of the daemon', async () => {
    const f = fake({ checkCommands: ['npm test'] }, { trusted: true, host: 'daemon' });
    f.policy.layers = [repo({ privacy: { checkCommands: false }, schedule: { headlessHours: '01:00-06:00' } })];
    await f.inForce.apply();
    assert.ok(
      f.logs.some((l) => /^info: The check commands do not run: \.nightshift\/policy\.json:\d+:\d+ \(privacy\.checkCommands, repository policy\) forbids them\.$/.test(l)),
      f.logs.join('\n'),
    );
    assert.ok(
      f.logs.some((l) => l.startsWith('info: The headless host works only from 01:00-06:00 (.nightshift/policy.json')),
      f.logs.join('\n'),
    );
    assert.deepEqual(f.inForce.checks.commands, []);
  });
});
