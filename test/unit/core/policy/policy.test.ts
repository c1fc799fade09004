import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BudgetGovernor, DEFAULT_BUDGET } from '../../../../src/core/budget/BudgetGovernor';
import { BackendConfig } from '../../../../src/core/engine/backendConfig';
import { describePolicy, effectivePolicy, modelRefusal, type PolicyLayer, type UserValues } from '../../../../src/core/policy/effectivePolicy';
import { parsePolicy } from '../../../../src/core/policy/policyFile';
import { loadPolicyLayers } from '../../../../src/core/policy/policyLayers';
import { policyJsonSchema } from '../../../../src/core/policy/policySchema';
import { REPO_ROOT } from '../../../harness/testEnv';

const USER: UserValues = { annualUsd: 2000, yearStartMonth: 1, escalationShare: 0.2, dailyCapUsd: null, askAboveUsd: null, exclude: ['mine/**'], localOnly: [], quietHours: '', autoEscalate: true };
const layer = (which: 'organisation' | 'repository', policy: object, file = which === 'organisation' ? 'org.json' : '.nightshift/policy.json'): PolicyLayer => ({
  layer: which,
  parsed: parsePolicy({ file, text: JSON.stringify(policy, null, 2) }),
});

describe('the policy file', () => {
  it('says where invalid JSON breaks, by file, line and column', () => {
    const p = parsePolicy({ file: '.nightshift/policy.json', text: '{\n  "budget": {\n    "dailyCapUsd": 2,,\n  }\n}' });
    assert.equal(p.policy, undefined);
    assert.match(p.problems[0], /^\.nightshift\/policy\.json:3:22: not valid JSON/);
  });

  it('names an unknown rule and a wrong type where they stand; comments are fine', () => {
    const text = '{\n  // the team budget\n  "budget": { "dailyCapUsd": "two" },\n  "modles": {}\n}';
    const p = parsePolicy({ file: 'p.json', text });
    assert.equal(p.policy, undefined);
    assert.deepEqual(p.problems.sort(), ['p.json:3:30: budget.dailyCapUsd: Invalid input: expected number, received string', 'p.json:4:3: "modles" is not a policy rule'].sort());
  });

  it('refuses what contradicts itself: an escalation share over 100%', () => {
    const p = parsePolicy({ file: 'p.json', text: '{ "budget": { "escalationShare": 1.5 } }' });
    assert.match(p.problems[0], /^p\.json:1:34: budget\.escalationShare: Too big/);
  });

  it('knows the line each rule is set on', () => {
    const p = parsePolicy({ file: 'p.json', text: '{\n  "budget": {\n    "annualUsdPerDeveloper": 500,\n    "dailyCapUsd": 2\n  }\n}' });
    assert.deepEqual([p.lineOf('budget.annualUsdPerDeveloper'), p.lineOf('budget.dailyCapUsd'), p.lineOf('models.allow')], [{ line: 3, col: 5 }, { line: 4, col: 5 }, undefined]);
  });

  it('publishes the schema it validates with (npm run schema writes it)', () => {
    const file = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas', 'policy.schema.json'), 'utf8')) as unknown;
    assert.deepEqual(file, policyJsonSchema());
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { jsonValidation: Array<{ url: string }> } };
    assert.equal(manifest.contributes.jsonValidation[0].url, './schemas/policy.schema.json');
  });
});

describe('merging the layers: the most restrictive value wins', () => {
  const cases: Array<[string, (p: ReturnType<typeof effectivePolicy>) => unknown, object, object, unknown]> = [
    ['annual budget: the least', (p) => p.annualUsd.value, { budget: { annualUsdPerDeveloper: 900 } }, { budget: { annualUsdPerDeveloper: 1200 } }, 900],
    ['escalation share: the least', (p) => p.escalationShare.value, { budget: { escalationShare: 0.3 } }, { budget: { escalationShare: 0.1 } }, 0.1],
    ['daily cap: the least', (p) => p.dailyCapUsd.value, { budget: { dailyCapUsd: 5 } }, { budget: { dailyCapUsd: 3 } }, 3],
    ['ask above: the least', (p) => p.askAboveUsd.value, { budget: { askAboveUsd: 1 } }, { budget: { askAboveUsd: 2 } }, 1],
    ['escalation per month: the least', (p) => p.escalationMaxPerMonth.value, { escalation: { maxPerMonth: 20 } }, { escalation: { maxPerMonth: 5 } }, 5],
    ['escalation allowed: false wins', (p) => p.escalationAllowed.value, { escalation: { allowed: true } }, { escalation: { allowed: false } }, false],
    ['automatic escalation: false wins', (p) => p.automaticEscalation.value, { escalation: { automaticAfterFailedChecks: false } }, { escalation: { automaticAfterFailedChecks: true } }, false],
    ['check commands: false wins', (p) => p.checkCommands.value, { privacy: { checkCommands: false } }, { privacy: { checkCommands: true } }, false],
    ['confirm: true wins', (p) => p.escalationConfirm.value, { escalation: { confirm: false } }, { escalation: { confirm: true } }, true],
    ['redact for local: true wins', (p) => p.redactForLocalModels.value, { privacy: { redactForLocalModels: true } }, { privacy: { redactForLocalModels: false } }, true],
    ['local models: forbidden wins', (p) => p.localModels.value, { models: { localModels: 'allowed' } }, { models: { localModels: 'forbidden' } }, 'forbidden'],
    ['never read: every layer adds', (p) => p.neverRead.value, { privacy: { neverRead: ['secrets/**'] } }, { privacy: { neverRead: ['*.sql'] } }, ['mine/**', 'secrets/**', '*.sql']],
    ['local only: every layer adds', (p) => p.localOnly.value, { privacy: { localOnly: ['hr/**'] } }, { privacy: { localOnly: ['legal/**'] } }, ['hr/**', 'legal/**']],
    ['year start: the organisation first (never the repository)', (p) => p.yearStartMonth.value, { budget: { yearStartMonth: 4 } }, { budget: { yearStartMonth: 7 } }, 4],
    ['background profile: the organisation first (never the repository)', (p) => p.backgroundProfile?.value, { models: { backgroundProfile: 'team' } }, { models: { backgroundProfile: 'cheap' } }, 'team'],
    ['quiet hours: every window holds', (p) => p.quietHours.map((w) => w.value), { schedule: { quietHours: '22:00-07:00' } }, { schedule: { quietHours: '20:00-08:00' } }, ['22:00-07:00', '20:00-08:00']],
    ['only when idle: true wins', (p) => p.onlyWhenIdle.value, { schedule: { onlyWhenIdle: false } }, { schedule: { onlyWhenIdle: true } }, true],
    ['headless hours: every window holds', (p) => p.headlessHours.map((w) => w.value), { schedule: { headlessHours: '01:00-05:00' } }, { schedule: { headlessHours: '00:00-06:00' } }, ['01:00-05:00', '00:00-06:00']],
  ];
  for (const [name, get, org, repo, expected] of cases) {
    it(name, () => {
      const norm = (v: unknown) => (Array.isArray(v) ? [...v].sort() : v);
      assert.deepEqual(norm(get(effectivePolicy([layer('organisation', org), layer('repository', repo)], USER))), norm(expected));
      // Either order of the two policy layers gives the same most restrictive value for restrictions.
      if (!name.includes('first')) assert.deepEqual(norm(get(effectivePolicy([layer('organisation', repo), layer('repository', org)], USER))), norm(expected));
    });
  }

  it("lets the user's setting win only where it is stricter", () => {
    const policy = [layer('repository', { budget: { dailyCapUsd: 3, annualUsdPerDeveloper: 900 } })];
    const stricter = effectivePolicy(policy, { ...USER, dailyCapUsd: 1, annualUsd: 5000 });
    assert.deepEqual([stricter.dailyCapUsd.value, stricter.dailyCapUsd.source.layer, stricter.annualUsd.value, stricter.annualUsd.source.layer], [1, 'user', 900, 'repository']);
    assert.deepEqual(effectivePolicy([], USER).dailyCapUsd, { value: null, source: { layer: 'default' } });
  });

  it("refuses a repository policy's choice of profile or year start, naming the rule, the file and line, and why", () => {
    const p = effectivePolicy([layer('repository', { budget: { yearStartMonth: 7 }, models: { backgroundProfile: 'pricey', escalationProfile: 'pricey' } })], USER);
    assert.equal(p.yearStartMonth.value, 1);
    assert.equal(p.backgroundProfile, undefined);
    assert.equal(p.escalationProfile, undefined);
    assert.equal(p.broken, false);
    assert.deepEqual(p.refused, [
      '.nightshift/policy.json:6:5 sets "models.backgroundProfile" (repository policy), which a repository may not set: it would choose what your key pays for. It is ignored; your own backgroundProfile setting chooses; a repository restricts models with "models.allow".',
      '.nightshift/policy.json:7:5 sets "models.escalationProfile" (repository policy), which a repository may not set: it would choose what your key pays for. It is ignored; your own escalationProfile setting chooses; a repository restricts models with "models.allow".',
      '.nightshift/policy.json:3:5 sets "budget.yearStartMonth" (repository policy), which a repository may not set: moving the year\'s start would open a fresh budget year. It is ignored; your own budget.yearStartMonth setting, or your organisation\'s policy, sets it.',
    ]);
  });

  it('lists each set of path rules with who set it: your own exclusions are never credited to a policy (outside test)', () => {
    const from = { exclude: 'your config file (/home/u/.config/nightshift/config.json)' };
    const p = effectivePolicy([layer('repository', { privacy: { neverRead: ['customers/**'] } })], { ...USER, exclude: ['secret/**'], from });
    const rows = describePolicy(p).filter((r) => r.rule === 'privacy: never read');
    assert.deepEqual(
      rows.map((r) => [r.value, r.layer]),
      [
        ['secret/**', 'user'],
        ['customers/**', 'repository'],
      ],
    );
    assert.equal(rows[0].setBy, from.exclude);
    assert.match(rows[1].setBy, /^\.nightshift\/policy\.json:\d+:\d+ \(privacy\.neverRead, repository policy\)$/);
    assert.deepEqual(
      describePolicy(effectivePolicy([], { ...USER, exclude: [] }))
        .filter((r) => r.rule === 'privacy: never read')
        .map((r) => [r.value, r.layer]),
      [['none', 'default']],
    );
  });

  it('names the file and line of every rule a policy set', () => {
    const p = effectivePolicy([layer('repository', { budget: { dailyCapUsd: 3 } })], USER);
    const row = describePolicy(p).find((r) => r.rule === 'budget: daily cap USD');
    assert.deepEqual(row, { rule: 'budget: daily cap USD', value: '3', setBy: '.nightshift/policy.json:3:5 (budget.dailyCapUsd, repository policy)', layer: 'repository' });
  });

  it('names where the user\'s values came from when the host says, never a repository\'s value as "your settings"', () => {
    const from = { dailyCapUsd: "the repository's .nightshift/config.json (budget.dailyCapUsd), tighter than yours", annualUsd: 'your config file (/home/u/.config/nightshift/config.json)', exclude: 'the flag --exclude' };
    const p = effectivePolicy([], { ...USER, dailyCapUsd: 1, annualUsd: 700, exclude: ['db/**'], from });
    const rows = Object.fromEntries(describePolicy(p).map((r) => [r.rule, [r.value, r.setBy, r.layer]]));
    assert.deepEqual(rows['budget: daily cap USD'], ['1', from.dailyCapUsd, 'user']);
    assert.deepEqual(rows['budget: annual USD'], ['700', from.annualUsd, 'user']);
    assert.deepEqual(rows['privacy: never read'], ['db/**', from.exclude, 'user']);
    assert.deepEqual(rows['budget: escalation share'], ['0.2', 'the default', 'default'], 'a value no layer set is the default');
    assert.equal(describePolicy(effectivePolicy([], USER)).find((r) => r.rule === 'budget: annual USD')?.setBy, 'your settings', 'a host that says nothing: as before');
  });

  it('allows a model only when every allow list lets it through', () => {
    const p = effectivePolicy([layer('organisation', { models: { allow: ['minimax:*', 'openrouter:*'] } }), layer('repository', { models: { allow: ['*:MiniMax-M2.*'] } })], USER);
    assert.equal(modelRefusal(p, 'minimax', 'MiniMax-M2.7', false), undefined);
    assert.match(modelRefusal(p, 'openai', 'gpt-5.4', false)!, /^The team policy does not allow openai:gpt-5\.4 \(org\.json:3:5 \(models\.allow, organisation policy\): minimax:\*, openrouter:\*\)\.$/);
    assert.match(modelRefusal(p, 'openrouter', 'anthropic/claude-opus-4.7', false)!, /\.nightshift\/policy\.json:3:5 \(models\.allow, repository policy\)/);
    assert.match(modelRefusal(effectivePolicy([layer('repository', { models: { localModels: 'forbidden' } })], USER), 'ollama', 'qwen3', true)!, /forbids local model servers/);
  });

  it('is broken, never empty, when a layer cannot be used', () => {
    const bad: PolicyLayer = { layer: 'repository', parsed: parsePolicy({ file: 'p.json', text: '{ "budget": 3 }' }) };
    const p = effectivePolicy([layer('organisation', { budget: { dailyCapUsd: 2 } }), bad], USER);
    assert.equal(p.broken, true);
    assert.match(p.problems[0], /^p\.json:1:13: budget: /);
    assert.equal(p.dailyCapUsd.value, 2, 'the layers that could be read still apply');
  });
});

describe('enforcing the policy', () => {
  it('names the rule and its file in a budget refusal', () => {
    const g = new BudgetGovernor({ ...DEFAULT_BUDGET, dailyCapUsd: 0.01, setBy: { dailyCapUsd: '.nightshift/policy.json:3 (budget.dailyCapUsd, repository policy)' } }, () => Date.UTC(2027, 5, 1));
    const r = g.reserve({ role: 'background', worstCaseUsd: 0.02, priority: 'normal', local: false });
    assert.ok(!r.ok);
    assert.equal(r.reason, 'The daily cap of $0.01 is reached. The limit is set by .nightshift/policy.json:3 (budget.dailyCapUsd, repository policy).');
  });

  it('refuses escalation and a model the policy does not allow, naming the rule', async () => {
    const config = new BackendConfig(
      async () => ({ escalationProfile: 'frontier', profiles: [{ name: 'frontier', backend: 'openai', model: 'gpt-5.4' }] }),
      async () => 'k',
    );
    config.setPolicy(effectivePolicy([layer('repository', { escalation: { allowed: false } })], USER));
    const esc = await config.resolve('escalation');
    assert.ok('setupNeeded' in esc);
    assert.equal(esc.setupNeeded, 'The team policy does not allow escalation (.nightshift/policy.json:3:5 (escalation.allowed, repository policy)).');
    config.setPolicy(effectivePolicy([layer('repository', { models: { allow: ['openrouter:*'] } })], USER));
    const bg = await config.resolve('background');
    assert.ok('setupNeeded' in bg);
    assert.match(bg.setupNeeded, /^The team policy does not allow minimax:MiniMax-M2\.7/);
    config.setPolicy(effectivePolicy([layer('repository', { models: { allow: ['minimax:MiniMax-M2.*'] } })], USER));
    assert.ok('backend' in (await config.resolve('background')));
  });
});

describe('the organisation policy at a URL', () => {
  async function serve(handler: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/policy.json`,
      close: () =>
        new Promise((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    };
  }
  const stateDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ns-policy-'));

  it('is fetched, and its last good copy is used, and said to be, when the server is gone or slow', async () => {
    const dir = stateDir();
    const up = await serve((_req, res) => res.end(JSON.stringify({ budget: { dailyCapUsd: 4 } })));
    const first = await loadPolicyLayers({ folders: [], organisation: up.url, stateDir: dir });
    assert.equal(first.layers[0].parsed.policy?.budget?.dailyCapUsd, 4);
    assert.deepEqual(first.notes, []);
    await up.close();
    const gone = await loadPolicyLayers({ folders: [], organisation: up.url, stateDir: dir });
    assert.equal(gone.layers[0].parsed.policy?.budget?.dailyCapUsd, 4);
    assert.match(gone.notes[0], /could not be fetched \(.+\); using the copy fetched \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\./);
    const slow = await serve(() => undefined);
    const late = await loadPolicyLayers({ folders: [], organisation: slow.url, stateDir: stateDir(), fetchTimeoutMs: 200 });
    assert.match(late.layers[0].parsed.problems[0], /could not be fetched \(no answer within 0\.2 s\) and no earlier copy is kept/);
    await slow.close();
  });

  it('keeps the last good copy when the server sends a broken one, and refuses plain http off this machine', async () => {
    const dir = stateDir();
    let body = JSON.stringify({ budget: { dailyCapUsd: 4 } });
    const srv = await serve((_req, res) => res.end(body));
    await loadPolicyLayers({ folders: [], organisation: srv.url, stateDir: dir });
    body = '{ "budget": ';
    const broken = await loadPolicyLayers({ folders: [], organisation: srv.url, stateDir: dir });
    assert.equal(broken.layers[0].parsed.policy, undefined, 'a broken policy is reported, not replaced by the cache');
    body = JSON.stringify({ budget: { dailyCapUsd: 4 } });
    await srv.close();
    const fromCache = await loadPolicyLayers({ folders: [], organisation: srv.url, stateDir: dir });
    assert.equal(fromCache.layers[0].parsed.policy?.budget?.dailyCapUsd, 4);
    const remote = await loadPolicyLayers({ folders: [], organisation: 'http://policy.example.com/p.json', stateDir: dir });
    assert.match(remote.layers[0].parsed.problems[0], /must be https/);
    const missing = await loadPolicyLayers({ folders: [], organisation: path.join(dir, 'nope.json'), stateDir: dir });
    assert.match(missing.layers[0].parsed.problems[0], /does not exist/);
  });
});
