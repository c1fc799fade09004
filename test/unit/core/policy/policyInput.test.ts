/**
 * Policy files built to slip through: a key written twice, a window that cannot be, a gateway URL
 * with credentials or in the clear, a policy that is a folder, a dangling link or too big, policies
 * in several folders of one workspace.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parsePolicy } from '../../../../src/core/policy/policyFile';
import { loadPolicyLayers, MAX_POLICY_BYTES } from '../../../../src/core/policy/policyLayers';

const parse = (text: string) => parsePolicy({ file: 'p.json', text });

describe('policy files built to slip through', () => {
  it('refuses a key set twice, where a reviewer would read one value and another would apply', () => {
    const p = parse('{\n  "budget": {\n    "dailyCapUsd": 100,\n    "dailyCapUsd": 1000\n  }\n}');
    assert.equal(p.policy, undefined);
    assert.deepEqual(p.problems, ['p.json:4:5: "budget.dailyCapUsd" is set twice']);
    assert.deepEqual(parse('{ "budget": {}, "budget": { "dailyCapUsd": 1 } }').problems, ['p.json:1:17: "budget" is set twice']);
    assert.deepEqual(parse('{ "privacy": { "neverRead": ["a", "a"] } }').problems, [], 'the same glob twice in a list is harmless');
  });

  it("never puts a key that does not look like a rule's name in a message (a policy linked to some other JSON file)", () => {
    const p = parse('{\n  "ghp_abcdefghijklmnopqrstuvwxyz0123456789": true,\n  "budget": { "sk live key=1": 2 }\n}');
    assert.deepEqual(p.problems.sort(), ['p.json:2:3: a key is not a policy rule', 'p.json:3:15: a key is not a policy rule'].sort());
    assert.ok(!p.problems.join().includes('ghp_'));
  });

  it('refuses a window of hours that cannot be, instead of dropping it', () => {
    for (const bad of ['24:30-07:00', '07:00-07:00', '22:00-07:60', '7-8']) {
      const p = parse(JSON.stringify({ schedule: { quietHours: bad, headlessHours: bad } }));
      assert.equal(p.policy, undefined, bad);
      assert.equal(p.problems.length, 2, `${bad}: ${p.problems.join('; ')}`);
      assert.match(p.problems[0], /^p\.json:1:\d+: schedule\.(quietHours|headlessHours): a window/);
    }
    assert.deepEqual(parse(JSON.stringify({ schedule: { quietHours: '22:00-07:00', headlessHours: '01:00-24:00' } })).problems, []);
  });

  it('takes a gateway only at an https URL without credentials (http only on this machine)', () => {
    const gw = (baseUrl: string) => parse(JSON.stringify({ gateway: { kind: 'litellm', baseUrl } })).problems;
    assert.deepEqual(gw('https://litellm.example.com/v1'), []);
    assert.deepEqual(gw('http://127.0.0.1:4000'), []);
    for (const bad of ['http://litellm.example.com', 'https://admin:sk-1234@litellm.example.com', 'litellm.example.com', 'ftp://x']) {
      assert.equal(gw(bad).length, 1, bad);
      assert.match(gw(bad)[0], /gateway\.baseUrl: an https URL/);
    }
    assert.match(parse(JSON.stringify({ gateway: { kind: 'portkey', baseUrl: 'https://x.example' } })).problems[0], /gateway\.kind/);
    assert.match(parse(JSON.stringify({ gateway: { baseUrl: 'https://x.example' } })).problems[0], /gateway\.kind/);
  });
});

describe('finding the policy files', () => {
  const workspace = (files: Record<string, string | null>) => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-layers-'));
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      if (text === null) fs.mkdirSync(path.join(root, rel));
      else fs.writeFileSync(path.join(root, rel), text);
    }
    return root;
  };

  it('reads every folder of a multi-root workspace, each named by its folder', async () => {
    const root = workspace({ 'api/.nightshift/policy.json': '{ "budget": { "dailyCapUsd": 2 } }', 'web/src/a.ts': '', 'docs/.nightshift/policy.json': '{ "escalation": { "allowed": false } }' });
    const { layers } = await loadPolicyLayers({ folders: ['api', 'web', 'docs'].map((f) => path.join(root, f)), organisation: undefined, stateDir: root });
    assert.deepEqual(
      layers.map((l) => [l.layer, l.parsed.file, l.parsed.problems.length]),
      [
        ['repository', 'api/.nightshift/policy.json', 0],
        ['repository', 'docs/.nightshift/policy.json', 0],
      ],
    );
    const single = await loadPolicyLayers({ folders: [path.join(root, 'api')], organisation: undefined, stateDir: root });
    assert.equal(single.layers[0].parsed.file, '.nightshift/policy.json');
  });

  it('takes a policy that is there but cannot be used for broken, never for absent', async () => {
    const folder = workspace({ '.nightshift/policy.json': null });
    const asFolder = await loadPolicyLayers({ folders: [folder], organisation: undefined, stateDir: folder });
    assert.deepEqual(asFolder.layers[0].parsed.problems, ['.nightshift/policy.json: the policy file is not a file']);

    const dangling = workspace({ '.nightshift/keep': '' });
    fs.symlinkSync(path.join(dangling, 'nowhere.json'), path.join(dangling, '.nightshift', 'policy.json'));
    const link = await loadPolicyLayers({ folders: [dangling], organisation: undefined, stateDir: dangling });
    assert.deepEqual(link.layers[0].parsed.problems, ['.nightshift/policy.json: the policy file is a link to nothing']);

    const huge = workspace({ '.nightshift/policy.json': `{ "$schema": "${'x'.repeat(MAX_POLICY_BYTES)}" }` });
    const big = await loadPolicyLayers({ folders: [huge], organisation: undefined, stateDir: huge });
    assert.match(big.layers[0].parsed.problems[0], /^\.nightshift\/policy\.json: the policy file is \d+ KB; a policy file may be at most 256 KB$/);

    const none = await loadPolicyLayers({ folders: [workspace({ 'a.ts': '' })], organisation: undefined, stateDir: huge });
    assert.deepEqual(none.layers, [], 'no file is no layer');

    const org = await loadPolicyLayers({ folders: [], organisation: path.join(huge, 'missing.json'), stateDir: huge });
    assert.match(org.layers[0].parsed.problems[0], /the organisation policy file does not exist/);
  });
});
