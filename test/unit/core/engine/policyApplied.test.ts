/**
 * policyApplied.ts as a table: each setting and each policy rule, and the field of the engine's
 * parts it reaches (reachOf), of the governor's budget (budgetUnder), of the user's own values
 * (userValues, sourcesIn), and why the tests may not run (testsBlocked). Pure: settings parsed as
 * the engine parses them, policies parsed from their text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_BUDGET } from '../../../../src/core/budget/BudgetGovernor';
import { BackendConfig, type ServerSettings } from '../../../../src/core/engine/backendConfig';
import { budgetUnder, reachOf, sourcesIn, testsBlocked, userValues, type EngineSite } from '../../../../src/core/engine/policyApplied';
import { effectivePolicy, type EffectivePolicy, type PolicyLayer } from '../../../../src/core/policy/effectivePolicy';
import { parsePolicy } from '../../../../src/core/policy/policyFile';
import { SETTING_SOURCES } from '../../../../src/shared/settingRules';
import { settingDefault } from '../../../../src/shared/settingsSchema';

/** The settings as the engine reads them (BackendConfig's parse; no key is read). */
const settingsOf = (raw: Record<string, unknown> = {}): Promise<ServerSettings> =>
  new BackendConfig(
    async () => raw,
    async () => null,
  ).current();
const layer = (which: PolicyLayer['layer'], policy: object): PolicyLayer => ({ layer: which, parsed: parsePolicy({ file: which === 'repository' ? '.nightshift/policy.json' : '/org/policy.json', text: JSON.stringify(policy, null, 2) }) });
const repo = (policy: object) => layer('repository', policy);
const org = (policy: object) => layer('organisation', policy);
const EDITOR: EngineSite = { trusted: true, host: 'editor' };

/** The settings and the policy over them, as settingsInForce merges them. */
async function merged(raw: Record<string, unknown> = {}, layers: PolicyLayer[] = []): Promise<{ settings: ServerSettings; policy: EffectivePolicy }> {
  const settings = await settingsOf(raw);
  return { settings, policy: effectivePolicy(layers, userValues(settings, sourcesIn(raw))) };
}
async function reach(raw: Record<string, unknown> = {}, layers: PolicyLayer[] = [], site: EngineSite = EDITOR) {
  const { settings, policy } = await merged(raw, layers);
  return reachOf(settings, policy, site);
}
const POLICY_AT = (rule: string) => new RegExp(`^\\.nightshift/policy\\.json:\\d+:\\d+ \\(${rule.replace('.', '\\.')}, repository policy\\)$`);

describe('reachOf: what each setting and rule reaches', () => {
  it('privacy: exclude and neverRead, localOnly, redactForLocalModels, and who set each path rule', async () => {
    const none = await reach();
    assert.deepEqual([none.privacy.exclude, none.privacy.localOnly, none.privacy.alwaysRedact], [[], [], false]);
    const r = await reach({ exclude: ['mine/**'], localOnly: ['near/**'] }, [repo({ privacy: { neverRead: ['payroll/**'], localOnly: ['plans/**'], redactForLocalModels: true } })]);
    assert.deepEqual(r.privacy.exclude, ['mine/**', 'payroll/**']);
    assert.deepEqual(r.privacy.localOnly, ['near/**', 'plans/**']);
    assert.equal(r.privacy.alwaysRedact, true);
    assert.deepEqual(
      r.privacy.setBy?.neverRead?.map((x) => x.globs),
      [['payroll/**']],
    );
    assert.match(r.privacy.setBy?.neverRead?.[0].setBy ?? '', POLICY_AT('privacy.neverRead'));
    assert.deepEqual(
      r.privacy.setBy?.localOnly?.map((x) => x.globs),
      [['plans/**']],
    );
    assert.match(r.privacy.setBy?.localOnly?.[0].setBy ?? '', POLICY_AT('privacy.localOnly'));
  });

  it('checks: the commands and their time limit, none where the policy lets no command run', async () => {
    const r = await reach({ checkCommands: ['npm run lint'], checkTimeoutSeconds: 42 });
    assert.deepEqual(r.checks, { commands: ['npm run lint'], timeoutMs: 42_000, trusted: true });
    const forbidden = await reach({ checkCommands: ['npm run lint'], checkTimeoutSeconds: 42 }, [repo({ privacy: { checkCommands: false } })]);
    assert.deepEqual(forbidden.checks, { commands: [], timeoutMs: 42_000, trusted: true });
    // Untrusted, your own commands still run, in a shadow whose git runs none of the repository's filters.
    assert.equal((await reach({ checkCommands: ['npm run lint'] }, [], { ...EDITOR, trusted: false })).checks.trusted, false);
    const allowed = await reach({ checkCommands: ['npm run lint'] }, [repo({ privacy: { checkCommands: true } })]);
    assert.deepEqual(allowed.checks.commands, ['npm run lint']);
  });

  it('tests: the mode and time limit as set; blocked where untrusted or the policy lets no command run', async () => {
    const r = await reach({ tests: 'off', testTimeoutSeconds: 33 });
    assert.deepEqual(r.tests, { mode: 'off', timeoutMs: 33_000, blocked: undefined });
    assert.equal((await reach()).tests.mode, settingDefault('tests'));
    assert.match((await reach({}, [], { trusted: false, host: 'editor' })).tests.blocked ?? '', /^the repository is not trusted to run its code/);
    assert.match((await reach({}, [repo({ privacy: { checkCommands: false } })])).tests.blocked ?? '', /^the team policy lets no command run \(\.nightshift\/policy\.json:\d+:\d+ \(privacy\.checkCommands/);
    assert.match((await reach({}, [repo({ privacy: { checkCommands: false } })], { trusted: false, host: 'daemon' })).tests.blocked ?? '', /not trusted/, 'untrusted is said first');
  });

  it('testsRequired: the policy’s checks.requireTests', async () => {
    assert.equal((await reach()).testsRequired, false);
    assert.equal((await reach({}, [repo({ checks: { requireTests: true } })])).testsRequired, true);
    assert.equal((await reach({}, [org({ checks: { requireTests: true } }), repo({ checks: { requireTests: false } })])).testsRequired, true, 'true wins');
  });

  it("agent: the user's own settings pass through; quiet hours from every layer; headless hours only for the daemon; only when idle", async () => {
    const layers = [repo({ schedule: { quietHours: '12:00-13:00', headlessHours: '01:00-06:00', onlyWhenIdle: true } })];
    const raw = { quietHours: '22:00-07:00', concurrency: 3, reviewSavedChanges: false, alwaysTrigger: ['src/**'] };
    const editor = await reach(raw, layers);
    assert.deepEqual(editor.agent.quietHours, ['12:00-13:00', '22:00-07:00']);
    assert.deepEqual(editor.agent.workHours, [], 'the editor keeps no headless hours');
    assert.equal(editor.agent.onlyWhenIdle, true);
    assert.deepEqual([editor.agent.concurrency, editor.agent.reviewSavedChanges, editor.agent.alwaysTrigger], [3, false, ['src/**']]);
    assert.deepEqual((await reach(raw, layers, { trusted: true, host: 'daemon' })).agent.workHours, ['01:00-06:00']);
    assert.deepEqual((await reach(raw, layers, { trusted: true, host: 'oneShot' })).agent.workHours, []);
    assert.equal((await reach(raw)).agent.onlyWhenIdle, false);
  });

  it('agent.autoEscalate: the user allows it, escalation is allowed, and needs no confirmation', async () => {
    const rows: Array<[string, Record<string, unknown>, object | undefined, boolean]> = [
      ['off by default', {}, undefined, false],
      ['the user allows it', { autoEscalate: true }, undefined, true],
      ['the policy allows it', { autoEscalate: true }, { escalation: { automaticAfterFailedChecks: true } }, true],
      ['the policy forbids it', { autoEscalate: true }, { escalation: { automaticAfterFailedChecks: false } }, false],
      ['escalation not allowed', { autoEscalate: true }, { escalation: { allowed: false } }, false],
      ['every escalation asks first', { autoEscalate: true }, { escalation: { confirm: true } }, false],
      ['the user does not allow it', { autoEscalate: false }, { escalation: { automaticAfterFailedChecks: true } }, false],
    ];
    for (const [why, raw, policy, expected] of rows) assert.equal((await reach(raw, policy ? [repo(policy)] : [])).agent.autoEscalate, expected, why);
  });
});

describe('testsBlocked', () => {
  it('untrusted first, then the policy, else nothing', async () => {
    const open = (await merged()).policy;
    const closed = (await merged({}, [repo({ privacy: { checkCommands: false } })])).policy;
    assert.equal(testsBlocked(true, open), undefined);
    assert.match(testsBlocked(false, open) ?? '', /not trusted.*nightshift trust <folder>, or run with --trust$/);
    assert.match(testsBlocked(true, closed) ?? '', /^the team policy lets no command run \(\.nightshift\/policy\.json/);
    assert.match(testsBlocked(false, closed) ?? '', /not trusted/);
  });
});

describe('budgetUnder: the budget the governor enforces', () => {
  const budget = async (raw: Record<string, unknown>, layers: PolicyLayer[]) => {
    const { settings, policy } = await merged(raw, layers);
    return budgetUnder(settings.budget, policy);
  };

  it('each limit a policy tightens, with its file and rule', async () => {
    const b = await budget({ budget: { annualUsd: 1000, escalationShare: 0.5, dailyCapUsd: 10, askAboveUsd: 1, burstDays: 4 } }, [repo({ budget: { annualUsdPerDeveloper: 400, escalationShare: 0.1, dailyCapUsd: 2, askAboveUsd: 0.25 }, escalation: { maxPerMonth: 7 } })]);
    assert.deepEqual([b.annualUsd, b.escalationShare, b.dailyCapUsd, b.askAboveUsd, b.maxEscalationsPerMonth], [400, 0.1, 2, 0.25, 7]);
    assert.equal(b.burstDays, 4, 'what no policy rules stays the user’s');
    const rules = { annualUsd: 'budget.annualUsdPerDeveloper', escalationShare: 'budget.escalationShare', dailyCapUsd: 'budget.dailyCapUsd', askAboveUsd: 'budget.askAboveUsd', maxEscalationsPerMonth: 'escalation.maxPerMonth' } as const;
    for (const [limit, rule] of Object.entries(rules)) assert.match(b.setBy?.[limit as keyof typeof rules] ?? '', POLICY_AT(rule), limit);
  });

  it("the user's values where they are tighter, said by no one unless the host says who set them", async () => {
    const b = await budget({ budget: { annualUsd: 100, askAboveUsd: 0.1 } }, [repo({ budget: { annualUsdPerDeveloper: 400, askAboveUsd: 0.25 } })]);
    assert.deepEqual([b.annualUsd, b.askAboveUsd, b.maxEscalationsPerMonth], [100, 0.1, null]);
    assert.deepEqual(b.setBy, {});
    const named = await budget({ budget: { annualUsd: 100, askAboveUsd: 0.1 }, [SETTING_SOURCES]: { 'budget.annualUsd': 'the flag --budget.annualUsd', 'budget.askAboveUsd': 'your config file (x)' } }, []);
    assert.deepEqual(named.setBy, { annualUsd: 'the flag --budget.annualUsd', askAboveUsd: 'your config file (x)' });
  });

  it("the year's start: the organisation's policy sets it, a repository's may not", async () => {
    assert.equal((await budget({ budget: { yearStartMonth: 4 } }, [])).yearStartMonth, 4);
    assert.equal((await budget({ budget: { yearStartMonth: 4 } }, [org({ budget: { yearStartMonth: 9 } })])).yearStartMonth, 9);
    assert.equal((await budget({ budget: { yearStartMonth: 4 } }, [repo({ budget: { yearStartMonth: 9 } })])).yearStartMonth, 4);
  });
});

describe("userValues and sourcesIn: the user's own values", () => {
  it('each value from its setting, the defaults where none is set', async () => {
    const raw = { budget: { annualUsd: 50, yearStartMonth: 3, escalationShare: 0.3, dailyCapUsd: 4, askAboveUsd: 0.7 }, exclude: ['a/**'], localOnly: ['b/**'], quietHours: '20:00-06:00', autoEscalate: true };
    assert.deepEqual(userValues(await settingsOf(raw)), { annualUsd: 50, yearStartMonth: 3, escalationShare: 0.3, dailyCapUsd: 4, askAboveUsd: 0.7, exclude: ['a/**'], localOnly: ['b/**'], quietHours: '20:00-06:00', autoEscalate: true });
    const none = userValues(undefined);
    assert.deepEqual([none.annualUsd, none.yearStartMonth, none.escalationShare, none.dailyCapUsd, none.askAboveUsd], [DEFAULT_BUDGET.annualUsd, DEFAULT_BUDGET.yearStartMonth, DEFAULT_BUDGET.escalationShare, DEFAULT_BUDGET.dailyCapUsd, DEFAULT_BUDGET.askAboveUsd]);
    assert.deepEqual([none.exclude, none.localOnly, none.quietHours, none.autoEscalate, none.from], [[], [], settingDefault('quietHours'), false, undefined]);
    const noLimits = userValues(await settingsOf({ budget: { dailyCapUsd: null, askAboveUsd: null } }));
    assert.deepEqual([noLimits.dailyCapUsd, noLimits.askAboveUsd], [null, null], 'no cap and never ask are kept, not replaced by the defaults');
  });

  it('who set each, by its setting’s dotted name', async () => {
    const sources = { 'budget.dailyCapUsd': 'the flag --budget.dailyCapUsd', exclude: 'your config file (c)', quietHours: 'the repository config', unrelated: 'x' };
    assert.deepEqual(userValues(await settingsOf(), sources).from, { dailyCapUsd: 'the flag --budget.dailyCapUsd', exclude: 'your config file (c)', quietHours: 'the repository config' });
  });

  it('sourcesIn reads the host’s `$sources`, strings only', () => {
    assert.deepEqual(sourcesIn({ [SETTING_SOURCES]: { a: 'x', b: 3 } }), { a: 'x' });
    for (const raw of [undefined, {}, { [SETTING_SOURCES]: 'x' }, { [SETTING_SOURCES]: ['x'] }]) assert.equal(sourcesIn(raw), undefined, JSON.stringify(raw));
  });
});
