/**
 * The engine as `createEngine` assembles it, with fake ports (engineHarness.ts: the host's
 * settings, keys and outputs; no editor, no network, nothing started that runs a process): what
 * each setting and each policy rule reaches — the privacy gate (paths never read, local-only
 * paths, redaction for local models), the governor's limits (with who set them), the backends
 * (refused models, local servers), the check commands, the agent's schedule (quiet hours, the
 * headless host's hours, only when idle), auto-escalation and required tests — and that a broken
 * policy pauses the agent until it is fixed. The schedule is seen holding a queued task before any
 * call; required tests through a free fix, with a TypeScript that starts no process. What the
 * agent itself is handed (the gate a task passes, the tests' settings, settings read again) is in
 * engineWiring.test.ts; policyApplied.ts and settingsInForce.ts have tests of their own.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ORG_POLICY_REFRESH_MS } from '../../../../src/core/policy/policyWatch';
import { LOCAL, NOT_ALLOWED, SECRET, backgroundCall, build, disposeBuilt, fakeTypeScript, freeFix, queueMarker, windowFrom } from './engineHarness';

afterEach(disposeBuilt);

describe('the engine, assembled with fake ports', () => {
  it("the user's privacy settings and the policy's path rules reach the gate, each refusal naming who set it", async () => {
    const b = build({ exclude: ['private/**'], localOnly: ['internal/**'] });
    b.policy(JSON.stringify({ privacy: { neverRead: ['payroll/**'] } }, null, 2));
    await b.engine.settingsChanged();
    const gate = b.engine.privacy(b.uri('src/a.ts'));
    assert.equal(gate.check('src/a.ts', false).allowed, true);
    assert.equal(gate.check('private/notes.ts', false).allowed, false, "the user's exclude");
    const payroll = gate.check('payroll/run.ts', false);
    assert.ok(!payroll.allowed && /policy\.json/.test(payroll.reason), `the policy's neverRead, naming its file: ${JSON.stringify(payroll)}`);
    assert.equal(gate.check('internal/plan.ts', false).allowed, false, 'localOnly: not to a remote backend');
    assert.equal(gate.check('internal/plan.ts', true).allowed, true, 'localOnly: to a local one');
  });

  it('redacts for local models only when the policy says so', async () => {
    const b = build();
    const text = `const token = "${SECRET}";\n`;
    await b.engine.settingsChanged();
    assert.equal(b.engine.privacy(b.uri('a.ts')).outbound(text, true).text, text, 'a local model gets the text as it is');
    assert.ok(!b.engine.privacy(b.uri('a.ts')).outbound(text, false).text.includes(SECRET), 'a remote one never gets the secret');
    b.policy(JSON.stringify({ privacy: { redactForLocalModels: true } }));
    await b.engine.diskChanges([{ uri: b.uri('.nightshift/policy.json'), deleted: false }]);
    assert.ok(!b.engine.privacy(b.uri('a.ts')).outbound(text, true).text.includes(SECRET), 'redacted for a local model too once the policy says so');
  });

  it("the budget settings reach the governor, tightened by the policy, whose refusals name the rule's file", async () => {
    const b = build({ budget: { annualUsd: 1000, escalationShare: 0.5 } });
    await b.engine.settingsChanged();
    assert.equal(b.engine.spend.governor.status().backgroundBudgetUsd, 500);
    assert.equal(b.engine.spend.governor.status().escalationBudgetUsd, 500);
    b.policy(JSON.stringify({ budget: { annualUsdPerDeveloper: 400, dailyCapUsd: 1 } }, null, 2));
    await b.engine.settingsChanged();
    assert.equal(b.engine.spend.governor.status().backgroundBudgetUsd, 200, 'the lower of the two');
    const refused = b.engine.spend.governor.reserve(backgroundCall(2));
    assert.ok(!refused.ok, 'a $2 call over the $1 daily cap');
    assert.match(refused.reason, /The limit is set by \.nightshift\/policy\.json:\d+:\d+ \(budget\.dailyCapUsd, repository policy\)/);
  });

  it("the backend settings and key reach the backends; the policy's model rules refuse them by name", async () => {
    const b = build({ model: 'MiniMax-M2.7' }, { default: 'sk-test' });
    await b.engine.settingsChanged();
    const remote = await b.engine.config.resolve('background');
    assert.ok('backend' in remote, JSON.stringify(remote));
    assert.equal(remote.backend.model, 'MiniMax-M2.7');
    assert.equal(remote.backend.local, false);
    b.policy(JSON.stringify({ models: { allow: ['openrouter:*'] } }));
    await b.engine.settingsChanged();
    const refused = await b.engine.config.resolve('background');
    assert.ok('setupNeeded' in refused && /policy\.json/.test(refused.setupNeeded), JSON.stringify(refused));
  });

  it('a local server in the settings is a local backend, unless the policy forbids local models', async () => {
    const b = build({ baseUrl: 'http://127.0.0.1:9/v1', model: 'qwen3-coder' });
    await b.engine.settingsChanged();
    const local = await b.engine.config.resolve('background');
    assert.ok('backend' in local && local.backend.local, JSON.stringify(local));
    b.policy(JSON.stringify({ models: { localModels: 'forbidden' } }));
    await b.engine.settingsChanged();
    const refused = await b.engine.config.resolve('background');
    assert.ok('setupNeeded' in refused && /local/i.test(refused.setupNeeded), JSON.stringify(refused));
  });

  it('the check commands run only where the policy lets commands run', async () => {
    const b = build({ checkCommands: ['npm run lint'] });
    await b.engine.settingsChanged();
    assert.ok(!b.logs.some((l) => l.includes('The check commands do not run')));
    b.policy(JSON.stringify({ privacy: { checkCommands: false } }));
    await b.engine.settingsChanged();
    assert.ok(
      b.logs.some((l) => /The check commands do not run: .*policy\.json.* forbids them\./.test(l)),
      b.logs.join('\n'),
    );
  });

  it('a broken policy pauses the agent with its file and line until it is fixed; Resume does not lift that pause', async () => {
    const b = build({ baseUrl: 'http://127.0.0.1:9/v1' });
    await b.engine.settingsChanged();
    assert.notEqual(b.engine.agent.status().state, 'paused');
    b.policy('{\n  "budget": { "dailyCap": 1 }\n}\n');
    await b.engine.diskChanges([{ uri: b.uri('.nightshift/policy.json'), deleted: false }]);
    const paused = b.engine.agent.status();
    assert.equal(paused.state, 'paused');
    assert.match(paused.detail, /^The team policy cannot be used, so background work is paused until it is fixed: \.nightshift\/policy\.json:2:15: "budget\.dailyCap" is not a policy rule/);
    assert.ok(
      b.messages.some((m) => m.startsWith('error: The team policy cannot be used')),
      'the user is told',
    );
    b.engine.agent.setPaused(false);
    assert.equal(b.engine.agent.status().state, 'paused', 'Resume does not go past a broken policy');
    b.policy(JSON.stringify({ budget: { dailyCapUsd: 1 } }));
    await b.engine.diskChanges([{ uri: b.uri('.nightshift/policy.json'), deleted: false }]);
    assert.notEqual(b.engine.agent.status().state, 'paused');
    assert.equal(b.engine.policy().dailyCapUsd.value, 1);
  });

  it('the organisation policy named in the settings is a layer of the policy in force, read again on its timer', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const b = build();
    const org = path.join(b.stateDir, 'org-policy.json');
    fs.writeFileSync(org, JSON.stringify({ escalation: { allowed: false } }));
    b.settings.organizationPolicy = org;
    await b.engine.settingsChanged();
    assert.equal(b.engine.policy().escalationAllowed.value, false);
    assert.equal(b.engine.policy().escalationAllowed.source.layer, 'organisation');
    const escalation = await b.engine.config.resolve('escalation');
    assert.ok('setupNeeded' in escalation && /does not allow escalation/.test(escalation.setupNeeded));
    // Changed where no watcher sees it: applied at the next read.
    fs.writeFileSync(org, JSON.stringify({ escalation: { allowed: true }, budget: { dailyCapUsd: 2 } }));
    t.mock.timers.tick(ORG_POLICY_REFRESH_MS);
    for (let i = 0; i < 50 && b.engine.policy().dailyCapUsd.value !== 2; i++) await new Promise((r) => setImmediate(r));
    assert.equal(b.engine.policy().dailyCapUsd.value, 2);
    assert.equal(b.engine.policy().escalationAllowed.value, true);
    assert.ok(b.logs.includes('info: The organisation policy changed; applying it.'));
  });

  it("quiet hours, the policy's and the user's, hold the queued work", async () => {
    const own = build({ ...LOCAL, quietHours: windowFrom(-60, 60) });
    assert.match((await queueMarker(own)).detail, /^Quiet hours until /, "the user's own window");
    const team = build(LOCAL);
    team.policy(JSON.stringify({ schedule: { quietHours: windowFrom(-60, 60) } }));
    assert.match((await queueMarker(team)).detail, /^Quiet hours until /, "the policy's window");
  });

  it('the headless host works only in the headless hours, and says so', async () => {
    const b = build(LOCAL, {}, { host: 'daemon' });
    const hours = windowFrom(60, 120);
    b.policy(JSON.stringify({ schedule: { headlessHours: hours } }));
    const held = await queueMarker(b);
    assert.match(held.detail, new RegExp(`^Outside the working hours \\(${hours}\\) until `));
    assert.ok(
      b.logs.some((l) => l.startsWith(`info: The headless host works only from ${hours} (`)),
      b.logs.join('\n'),
    );
    // The editor keeps no headless hours: only the policy's other hold (which would come second) holds its work.
    const editor = build(LOCAL);
    editor.policy(JSON.stringify({ schedule: { headlessHours: hours, onlyWhenIdle: true } }));
    assert.match((await queueMarker(editor)).detail, /^The team policy runs background work only while you are away/);
  });

  it('an only-when-idle policy holds work while the user is at the editor', async () => {
    const b = build(LOCAL);
    b.policy(JSON.stringify({ schedule: { onlyWhenIdle: true } }));
    const held = await queueMarker(b);
    assert.match(held.detail, /only while you are away from the keyboard/);
  });

  it('auto-escalation reaches the agent where the user allows it, and not where the policy wants a confirmation', async () => {
    const off = build();
    await off.engine.settingsChanged();
    assert.equal(off.engine.agent.tuningView()[0].autoEscalate.why, NOT_ALLOWED, 'off by default');
    const on = build({ autoEscalate: true });
    await on.engine.settingsChanged();
    assert.notEqual(on.engine.agent.tuningView()[0].autoEscalate.why, NOT_ALLOWED, 'the user allows it');
    const confirm = build({ autoEscalate: true });
    confirm.policy(JSON.stringify({ escalation: { confirm: true } }));
    await confirm.engine.settingsChanged();
    assert.equal(confirm.engine.agent.tuningView()[0].autoEscalate.why, NOT_ALLOWED, 'every escalation asks first');
  });

  it("the policy's required tests reach the checks: a proposal checked without its tests says they were required", async () => {
    for (const requireTests of [false, true]) {
      const b = build({}, {}, { typescript: () => fakeTypeScript });
      if (requireTests) b.policy(JSON.stringify({ checks: { requireTests } }));
      await b.engine.settingsChanged();
      const proposal = await freeFix(b);
      assert.equal(proposal.check?.status, 'passed', JSON.stringify(b.proposals));
      assert.equal(proposal.check?.testsRequired, requireTests ? true : undefined, `requireTests ${requireTests}`);
    }
  });
});
