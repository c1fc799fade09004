/**
 * The engine's wiring seen from what it does, not from its accessors: the privacy gate the agent
 * itself uses (a task run against a loopback model server: what reaches the server), the test
 * settings that reach the project's tests (the proposal's check says why they did not run), the
 * budget rules that reach the governor, and settings read again after a change. Each test fails
 * when the line of engine.ts, settingsInForce.ts or policyApplied.ts that carries it is taken out.
 * No checker's process starts: the tests' runner is named but not installed, TypeScript is a fake.
 * (A task that reaches the model lists the workspace's files for its prompt: the agent's real
 * WorkspaceFiles asks `git ls-files` once per engine, which fails in these folders, no repository.)
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { FakeModelServer } from '../../../fakes/fakeModelServer';
import { SECRET, backgroundCall, build, disposeBuilt, fakeTypeScript, freeFix, type Built } from './engineHarness';

afterEach(disposeBuilt);

const server = new FakeModelServer();
let url = '';
before(async () => {
  url = await server.start();
});
after(() => server.close());

/** What the model server was sent, all requests together. */
const sent = () =>
  server
    .chatRequests()
    .map((r) => r.rawBody)
    .join('\n');

/** A saved file with a `nightshift:` marker (a task that goes straight to the model), its text carrying `token`. */
function marker(b: Built, relative: string, token: string): void {
  const text = `// nightshift: rename x to count\nconst x = "${token}";\n`;
  b.write(relative, text);
  b.engine.agent.onSettledDiagnostics({ uri: b.uri(relative), relativePath: relative, languageId: 'typescript', text, diagnostics: [] });
}

/** Waits until each file's task was sent (its token reached the server) or passed over (the agent's skipped list). */
async function tasksDone(b: Built, files: Record<string, string>): Promise<void> {
  const done = () => Object.entries(files).every(([relative, token]) => sent().includes(token) || b.engine.agent.skipped().some((s) => s.path === relative));
  for (const deadline = Date.now() + 10_000; !done(); await new Promise((r) => setTimeout(r, 10))) {
    assert.ok(Date.now() < deadline, `tasks not done: ${JSON.stringify(b.engine.agent.status())} ${b.logs.join('\n')}`);
  }
}

describe('the privacy gate the agent uses', () => {
  it('to a remote backend: an excluded file sends nothing, a local-only one is not sent, another file is', async () => {
    const b = build({ profiles: [{ name: 'remote', baseUrl: url, model: 'MiniMax-M2.7', local: false }], backgroundProfile: 'remote', exclude: ['private/**'], localOnly: ['internal/**'], reviewSavedChanges: false }, { remote: 'sk-test' });
    await b.engine.settingsChanged();
    const files = { 'private/a.ts': 'TOKEN_EXCLUDED_R', 'internal/b.ts': 'TOKEN_LOCAL_ONLY_R', 'open/c.ts': 'TOKEN_OPEN_R' };
    for (const [relative, token] of Object.entries(files)) marker(b, relative, token);
    await tasksDone(b, files);
    assert.ok(sent().includes('TOKEN_OPEN_R'), 'a file no rule covers is sent: the server is reached');
    assert.ok(!sent().includes('TOKEN_EXCLUDED_R'), "the user's exclude: nothing of the file is sent");
    assert.ok(!sent().includes('TOKEN_LOCAL_ONLY_R'), 'localOnly: not sent to a remote backend');
    const skipped = b.engine.agent.skipped().map((s) => s.path);
    assert.ok(skipped.includes('private/a.ts') && skipped.includes('internal/b.ts'), JSON.stringify(b.engine.agent.skipped()));
  });

  it("to a local backend: a local-only file is sent, and secrets are redacted only under the policy's redactForLocalModels", async () => {
    const plain = build({ baseUrl: url, model: 'qwen3-coder', localOnly: ['internal/**'], reviewSavedChanges: false });
    await plain.engine.settingsChanged();
    const files = { 'internal/b.ts': 'TOKEN_LOCAL_ONLY_L', 'secret.ts': `${SECRET}_PLAIN` };
    for (const [relative, token] of Object.entries(files)) marker(plain, relative, token);
    await tasksDone(plain, files);
    assert.ok(sent().includes('TOKEN_LOCAL_ONLY_L'), 'localOnly: sent to a local backend');
    assert.ok(sent().includes(`${SECRET}_PLAIN`), 'a local model gets the text as it is');

    const redacting = build({ baseUrl: url, model: 'qwen3-coder', reviewSavedChanges: false });
    redacting.policy(JSON.stringify({ privacy: { redactForLocalModels: true } }));
    await redacting.engine.settingsChanged();
    const before = server.chatRequests().length;
    marker(redacting, 'secret.ts', `${SECRET}_POLICY`);
    await server.waitForChatRequests(before + 1);
    const body = server.chatRequests()[before].rawBody;
    assert.ok(body.includes('rename x to count'), 'the task was sent');
    assert.ok(!body.includes(SECRET), 'the policy redacts for a local model too');
  });
});

describe('what reaches the project’s tests', () => {
  /** A workspace whose tests run with vitest, which is not installed: the tests never start, the check says why. */
  async function untested(settings: Record<string, unknown>, where: Parameters<typeof build>[2] = {}, policy?: object): Promise<string | undefined> {
    const b = build(settings, {}, { ...where, typescript: () => fakeTypeScript });
    b.write('package.json', JSON.stringify({ scripts: { test: 'vitest run' } }));
    if (policy) b.policy(JSON.stringify(policy, null, 2));
    await b.engine.settingsChanged();
    const { check } = await freeFix(b);
    assert.equal(check?.status, 'passed', JSON.stringify(check));
    return check?.untested;
  }
  const NOT_INSTALLED = /^vitest is not installed in the workspace/;

  it('the editor trusts its workspace unless told otherwise: the tests may run (here: their runner is missing)', async () => {
    assert.match((await untested({})) ?? '', NOT_INSTALLED);
    assert.match((await untested({}, { trusted: false })) ?? '', /^the repository is not trusted to run its code/);
  });

  it('the headless host trusts a workspace only when told', async () => {
    assert.match((await untested({}, { host: 'daemon' })) ?? '', /^the repository is not trusted to run its code/);
    assert.match((await untested({}, { host: 'daemon', trusted: true })) ?? '', NOT_INSTALLED);
  });

  it("nightshift.tests off, and a policy's checkCommands false, reach the tests", async () => {
    assert.equal(await untested({ tests: 'off' }), 'tests are off (nightshift.tests)');
    assert.match((await untested({}, {}, { privacy: { checkCommands: false } })) ?? '', /^the team policy lets no command run \(\.nightshift\/policy\.json:\d+:\d+ \(privacy\.checkCommands, repository policy\)\)/);
  });
});

describe('the budget rules reach the governor', () => {
  it("the policy's ask-above and escalation limit, and the user's own ask-above, each naming who set it", async () => {
    const b = build({ budget: { annualUsd: 100_000 } });
    b.policy(JSON.stringify({ budget: { askAboveUsd: 0.1 }, escalation: { maxPerMonth: 0 } }, null, 2));
    await b.engine.settingsChanged();
    const ask = b.engine.spend.governor.reserve(backgroundCall(0.5));
    assert.ok(!ask.ok && ask.needsApproval, JSON.stringify(ask));
    assert.match(ask.reason, /threshold of \$0\.10\. The limit is set by \.nightshift\/policy\.json:\d+:\d+ \(budget\.askAboveUsd, repository policy\)/);
    const escalation = b.engine.spend.governor.reserve({ ...backgroundCall(0.01), role: 'escalation' });
    assert.ok(!escalation.ok, JSON.stringify(escalation));
    assert.match(escalation.reason, /the limit is 0 a month\. The limit is set by \.nightshift\/policy\.json:\d+:\d+ \(escalation\.maxPerMonth, repository policy\)/);

    const own = build({ budget: { annualUsd: 100_000, askAboveUsd: 0.2, dailyCapUsd: 3 } });
    await own.engine.settingsChanged();
    const asked = own.engine.spend.governor.reserve(backgroundCall(0.5));
    assert.ok(!asked.ok && asked.needsApproval && /threshold of \$0\.20\.$/.test(asked.reason), JSON.stringify(asked));
    const capped = own.engine.spend.governor.reserve({ ...backgroundCall(4), approved: true });
    assert.ok(!capped.ok && /daily cap of \$3/.test(capped.reason), JSON.stringify(capped));
  });
});

describe('settings read again after a change', () => {
  it('settingsChanged applies a value changed after the first read', async () => {
    const b = build({ budget: { annualUsd: 100_000, dailyCapUsd: 5, askAboveUsd: null } });
    await b.engine.settingsChanged();
    const first = b.engine.spend.governor.reserve(backgroundCall(2));
    assert.ok(first.ok, JSON.stringify(first));
    b.engine.spend.governor.release(first.id);
    b.settings.budget = { annualUsd: 100_000, dailyCapUsd: 1, askAboveUsd: null };
    await b.engine.settingsChanged();
    const second = b.engine.spend.governor.reserve(backgroundCall(2));
    assert.ok(!second.ok && /daily cap of \$1/.test(second.reason), JSON.stringify(second));
  });

  it("a change of the repository's policy file reads the settings again too", async () => {
    const b = build({ exclude: ['early/**'] });
    await b.engine.settingsChanged();
    assert.equal(b.engine.privacy(b.uri('late/x.ts')).check('late/x.ts', false).allowed, true);
    b.settings.exclude = ['early/**', 'late/**'];
    b.policy(JSON.stringify({ budget: { dailyCapUsd: 1 } }));
    await b.engine.diskChanges([{ uri: b.uri('.nightshift/policy.json'), deleted: false }]);
    assert.equal(b.engine.policy().dailyCapUsd.value, 1, 'the policy applied');
    assert.equal(b.engine.privacy(b.uri('late/x.ts')).check('late/x.ts', false).allowed, false, 'and the setting changed since the last read');
  });
});
