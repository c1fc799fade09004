import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundAgent, MAX_QUEUE, SNOOZE_MS } from '../../../../src/core/agent/BackgroundAgent';
import { OpenAIBackend } from '../../../../src/core/providers/openaiBackend';
import { priceFor } from '../../../../src/core/providers/pricing';
import { FIX, loopbackModel, recordingHost, signal } from '../../../unit/core/agent/recordingHost';

describe('BackgroundAgent with the real provider and the loopback server', { timeout: 120_000 }, () => {
  const { server, url } = loopbackModel();

  it('turns a settled error into a proposal with diff, model, tokens and cost', async () => {
    server.enqueue({ content: `<think>easy</think>${FIX}`, usage: { prompt_tokens: 1000, completion_tokens: 200 } });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
    const p = rec.proposals()[0];
    assert.equal(p.title, 'Make answer a number');
    assert.equal(p.rationale, 'a string was assigned to a number');
    assert.equal(p.model, 'MiniMax-M2.7');
    assert.equal(p.costUsd, (1000 * 0.3 + 200 * 1.2) / 1e6);
    assert.match(p.files[0].diff, /^-export const answer: number = "42";$/m);
    assert.match(p.files[0].diff, /^\+export const answer: number = 42;$/m);
    await rec.until(() => rec.statuses.length > 0 && rec.last().state === 'idle');
    assert.equal(rec.last().spendTodayUsd, p.costUsd);
  });

  it('never pays twice for the same problem on the same content, nor after a rejection', async () => {
    server.enqueue({ content: FIX });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
    await agent.decide({ id: rec.proposals()[0].id, decision: 'reject' });
    assert.equal(rec.proposals().length, 0);
    agent.onSettledDiagnostics(signal());
    // A different file proves the agent is still working, and that only it was paid for.
    server.enqueue({ content: 'TITLE: none' });
    agent.onSettledDiagnostics(signal('export const other: number = "1";\n', 'file:///ws/src/b.ts'));
    await server.waitForChatRequests(before + 2);
    await rec.until(() => rec.last().state === 'idle');
    assert.equal(server.chatRequests().length, before + 2);
  });

  it('makes no proposal from an edit whose search text is not in the file, and logs why', async () => {
    server.enqueue({ content: FIX.replace('"42"', '"43"') });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.logs.some((l) => l.startsWith('No proposal')));
    assert.equal(rec.proposals().length, 0);
    assert.match(
      rec.logs.find((l) => l.startsWith('No proposal'))!,
      /search text is not in the file/,
    );
  });

  it('hints at the output limit when the reply is only thinking cut off by length', async () => {
    server.enqueue({ content: '<think>long thought', finishReason: 'length' });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.logs.some((l) => l.startsWith('No proposal')));
    assert.match(rec.logs.join('\n'), /maxCompletionTokens/);
  });

  it('sends nothing without a key and says how to set one', async () => {
    const rec = recordingHost(() => undefined);
    const agent = new BackgroundAgent(rec.host);
    const before = server.requests.length;
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.last().state === 'needsSetup');
    assert.match(rec.last().detail, /Set API Key/);
    assert.equal(server.requests.length, before);
  });

  it('pauses on a 401 with a message naming the backend, and keeps the task for later', async () => {
    server.enqueue({ status: 401, rawBody: '{"type":"error","error":{"type":"authorized_error","message":"login fail (1004)"}}' });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.last().state === 'paused');
    assert.match(rec.last().detail, /The local server rejected the API key \(401\)/);
    assert.equal(rec.messages.length, 1);
    assert.equal(rec.last().queued, 1);
    // A new key resumes the agent, which runs the kept task.
    server.enqueue({ content: FIX });
    agent.onCredentialsChanged();
    await rec.until(() => rec.proposals().length === 1);
  });

  it('a pause for another reason after a 401 (Resume, then a broken policy) is not lifted by a new key', async () => {
    server.enqueue({ status: 401, rawBody: '{"type":"error","error":{"type":"authorized_error","message":"login fail (1004)"}}' });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.last().state === 'paused');
    server.enqueue({ content: FIX });
    agent.setPaused(false);
    await rec.until(() => rec.proposals().length === 1);
    agent.setPaused(true, 'The team policy cannot be used.');
    agent.onCredentialsChanged();
    assert.equal(agent.status().state, 'paused');
    assert.equal(agent.status().detail, 'The team policy cannot be used.');
  });

  it('delays a task after a server fault instead of losing it, and runs it when the wait is over', async () => {
    server.enqueue({ status: 503, headers: { 'retry-after': '30' } });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.last().state === 'error');
    assert.match(rec.last().detail, /server error \(503\).*Trying again at/);
    assert.equal(rec.last().queued, 1);
    assert.deepEqual(
      rec.timers.map((t) => t.ms),
      [30_000],
    );
    // A new signal for the same problem while it waits does not pay twice.
    agent.onSettledDiagnostics(signal());
    assert.equal(agent.status().queued, 1);
    server.enqueue({ content: FIX });
    rec.timers.shift()!.fn();
    await rec.until(() => rec.proposals().length === 1);
  });

  it('pauses background work when a gateway budget is used up, naming the budget', async () => {
    server.enqueue({ status: 429, rawBody: JSON.stringify({ error: { message: 'Budget has been exceeded! Current cost: 10.2, Max budget: 10.0', type: 'budget_exceeded', code: '400' } }) });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.last().state === 'paused');
    assert.match(rec.last().detail, /gateway budget is used up.*Background work is paused/);
    assert.equal(server.chatRequests().length, before + 1, 'no retry');
    assert.equal(rec.last().queued, 1, 'the task is kept');
  });

  it('books a call that cost more than its worst case as it was, pauses background work and says which backend and by how much', async () => {
    server.enqueue({ content: FIX, usage: { prompt_tokens: 1000, completion_tokens: 200, cost: 0.5 } });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.last().state === 'paused');
    assert.match(rec.last().detail, /^The local server charged \$0\.5000 for one call, \$0\.4970 more than the most it could cost by its price\. Background work is paused/);
    assert.ok(rec.messages.some((m) => m.includes('charged $0.5000')));
    assert.deepEqual(
      rec.ledger.load().calls.map((c) => [c.costUsd, c.costSource]),
      [[0.5, 'provider-reported']],
    );
    assert.equal(rec.proposals().length, 1, 'the answer it paid for is still shown');
  });

  it('a local backend reserves nothing and so is never taken for overcharging, even with a price', async () => {
    server.enqueue({ content: FIX, usage: { prompt_tokens: 1000, completion_tokens: 200 } });
    const rec = recordingHost(url);
    const local = { ...rec.host, resolveBackend: async () => ({ backend: new OpenAIBackend({ baseURL: url(), apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'the local server', price: priceFor('MiniMax-M2.7'), local: true }) }) };
    const agent = new BackgroundAgent(local);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
    assert.notEqual(rec.last().state, 'paused');
  });

  it('charges a reply that broke off midway once, with what arrived', async () => {
    server.enqueue({ content: FIX, dropAfterChunks: 3 });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.last().state === 'error');
    assert.match(rec.logs.join('\n'), /ended early; \d+ output tokens arrived \(\$0\.\d+, estimated\)/);
    assert.ok(rec.last().spendTodayUsd > 0);
    assert.equal(rec.proposals().length, 0);
  });

  it('pausing aborts the call under way and resumes its task later', async () => {
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    server.enqueue({ content: FIX, chunkDelayMs: 200 });
    agent.onSettledDiagnostics(signal('export const answer: number = "42";\n// paused\n'));
    await server.waitForChatRequests(before + 1);
    agent.setPaused(true);
    await rec.until(() => rec.logs.some((l) => l.startsWith('Paused work on')));
    assert.equal(agent.status().queued, 1, 'the task is kept');
    server.enqueue({ content: FIX });
    agent.setPaused(false);
    await rec.until(() => rec.proposals().length === 1);
    assert.equal(server.chatRequests().length, before + 2);
  });

  it('books every call in the ledger before showing its proposal, and the decision after', async () => {
    server.enqueue({ content: FIX, usage: { prompt_tokens: 1000, completion_tokens: 200 } });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
    const [call] = rec.ledger.load().calls;
    assert.deepEqual([call.taskKind, call.role, call.outcome, call.inputTokens, call.outputTokens, call.costUsd, call.costSource, call.workspace], ['fix', 'background', 'proposal', 1000, 200, (1000 * 0.3 + 200 * 1.2) / 1e6, 'price-table', '/ws']);
    await agent.decide({ id: rec.proposals()[0].id, decision: 'accept', applied: true });
    const { decisions } = rec.ledger.load();
    assert.deepEqual(
      decisions.map((d) => [d.taskId, d.decision]),
      [[call.taskId, 'accepted']],
    );
    assert.equal(rec.last().spendTodayUsd, call.costUsd);
  });

  it('holds a task the budget cannot pay for yet, without calling the model, and says until when', async () => {
    const rec = recordingHost(url, { annualUsd: 0.001 });
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    await rec.until(() => /Next try/.test(rec.last().detail));
    assert.equal(server.chatRequests().length, before);
    assert.equal(rec.last().queued, 1);
    assert.equal(rec.timers.length, 1);
  });

  it('never sends a secret to a remote backend: redacts it and logs only the kind and line', async () => {
    const secrets = {
      aws: 'AKIAIOSFODNN7EXAMPLQ',
      github: 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
      password: 'Tr0ub4dor&3-horse-staple',
      key: 'MIIEowIBAAKCAQEAuX9' + 'q'.repeat(40),
    };
    const text = [`const awsKey = "${secrets.aws}";`, `// deploy token: ${secrets.github}`, `export const dbPassword = '${secrets.password}';`, '-----BEGIN RSA PRIVATE KEY-----', secrets.key, '-----END RSA PRIVATE KEY-----', 'export const answer: number = "42";', ''].join('\n');
    server.enqueue({ content: FIX });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    const before = server.requests.length;
    const s = signal(text);
    s.diagnostics[0].message = `Type '"${secrets.password}"' is not assignable to type 'number'.`;
    agent.onSettledDiagnostics(s);
    await rec.until(() => rec.proposals().length === 1);
    const sent = server.requests
      .slice(before)
      .map((r) => r.rawBody)
      .join('\n');
    for (const [name, value] of Object.entries(secrets)) assert.ok(!sent.includes(value), `${name} reached the model`);
    assert.match(sent, /«redacted aws-access-key»/);
    const log = rec.logs.join('\n');
    assert.match(log, /Redacted 5 secret\(s\) from src\/a\.ts before sending it to the local server: aws-access-key \(line 1\), github-token \(line 2\), assigned-secret \(line 3\), private-key \(line 4\), assigned-secret \(line 1\)/);
    for (const value of Object.values(secrets)) assert.ok(!log.includes(value), 'no secret in the log');
    // The fix still applies to the real file, whose text the model never saw whole.
    assert.match(rec.proposals()[0].files[0].diff, /^\+export const answer: number = 42;$/m);
  });

  it('never reads .env or key files, nor excluded or local-only files for a remote backend', async () => {
    const rec = recordingHost(url, {}, { gitignore: 'dist/\n', exclude: ['generated/**'], localOnly: ['src/billing/**'] });
    const agent = new BackgroundAgent(rec.host);
    const before = server.requests.length;
    for (const file of ['.env', 'config/.env.production', 'certs/server.key', 'dist/a.ts', 'generated/api.ts', 'src/billing/tax.ts']) {
      agent.onSettledDiagnostics(signal('export const answer: number = "42";\n', `file:///ws/${file}`));
    }
    // Never read at all: no task (not even a free compiler fix); local-only: a task that no remote backend gets.
    await rec.until(() => rec.logs.filter((l) => / never read: /.test(l)).length === 5 && rec.logs.some((l) => l.startsWith('Skipped the fix task')));
    assert.equal(server.requests.length, before);
    const log = rec.logs.join('\n');
    assert.match(log, /Skipped \.env: never read: it looks like a secrets or key file/);
    assert.match(log, /Skipped dist\/a\.ts: never read: it is excluded by \.gitignore/);
    assert.match(log, /Skipped generated\/api\.ts: never read: it is excluded/);
    assert.match(log, /src\/billing\/tax\.ts was not sent: it is marked local-only/);
  });

  it('says what is missing before any work, and what blocks the queue once rather than a line per save', async () => {
    const backend: { url?: string } = {};
    const rec = recordingHost(() => backend.url);
    const agent = new BackgroundAgent(rec.host);
    await agent.checkSetup();
    assert.deepEqual([rec.last().state, rec.last().action], ['needsSetup', 'setApiKey']);
    assert.match(rec.last().detail, /^No API key for MiniMax/);
    for (let i = 0; i < 3; i++) agent.onSettledDiagnostics(signal(`export const v${i}: number = "x";\n`, `file:///ws/src/f${i}.ts`));
    assert.equal(rec.logs.filter((l) => l.startsWith('Queued')).length, 0);
    assert.equal(rec.logs.filter((l) => l.startsWith('Work waits: No API key for MiniMax')).length, 1);
    // A key is set: the agent is ready, and the queued work runs.
    backend.url = url();
    const fixOf = (i: number) => ['TITLE: Make v a number', '<<<<<<< SEARCH', `export const v${i}: number = "x";`, '=======', `export const v${i}: number = 0;`, '>>>>>>> REPLACE'].join('\n');
    server.enqueue({ content: fixOf(0) }, { content: fixOf(1) }, { content: fixOf(2) });
    await agent.checkSetup();
    await rec.until(() => rec.proposals().length === 3);
  });

  it('keeps the queue bounded, dropping the oldest task it never paid for', () => {
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.setPaused(true);
    for (let i = 0; i <= MAX_QUEUE; i++) agent.onSettledDiagnostics(signal(`export const v${i}: number = "x";\n`, `file:///ws/src/f${i}.ts`));
    assert.equal(agent.status().queued, MAX_QUEUE);
    assert.match(rec.logs.join('\n'), /The queue is full: dropped the fix task for src\/f0\.ts/);
  });

  it("snoozes a proposal for four hours, and books a rejection's reason", async () => {
    server.enqueue({ content: FIX });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
    const id = rec.proposals()[0].id;
    assert.deepEqual(await agent.decide({ id, decision: 'snooze' }), { ok: true });
    assert.deepEqual(
      rec.proposals().map((p) => [p.id, p.snoozedUntil]),
      [[id, new Date(rec.clock.now.getTime() + SNOOZE_MS).toISOString()]],
      'listed as snoozed',
    );
    assert.deepEqual(await agent.decide({ id, decision: 'unsnooze' }), { ok: true });
    assert.equal(rec.proposals()[0].snoozedUntil, undefined, 'un-snoozed, it waits again');
    await agent.decide({ id, decision: 'snooze' });
    const wake = rec.timers.find((t) => t.ms === SNOOZE_MS + 1000);
    assert.ok(wake, JSON.stringify(rec.timers.map((t) => t.ms)));
    rec.clock.now = new Date(rec.clock.now.getTime() + SNOOZE_MS + 1000);
    wake.fn();
    assert.deepEqual(
      rec.proposals().map((p) => [p.id, p.snoozedUntil]),
      [[id, undefined]],
      'awake again',
    );
    await agent.decide({ id, decision: 'reject', reason: 'The fix is wrong' });
    assert.deepEqual(
      rec.ledger.load().decisions.map((d) => [d.decision, d.reason]),
      [
        ['snoozed', undefined],
        ['snoozed', undefined],
        ['rejected', 'The fix is wrong'],
      ],
    );
  });

  it('skips huge, binary and non-UTF-8 files with a reason', () => {
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal('x'.repeat(600 * 1024)));
    agent.onSettledDiagnostics(signal('a\u0000b'));
    agent.onSettledDiagnostics(signal('caf\uFFFD = 1;'));
    assert.deepEqual(
      rec.logs.filter((l) => l.startsWith('Skipped src/a.ts')),
      ['Skipped src/a.ts: it is larger than 512 KB.', 'Skipped src/a.ts: it is a binary file.', 'Skipped src/a.ts: it is not valid UTF-8 text (it holds undecodable bytes).'],
    );
    assert.equal(agent.status().queued, 0);
  });
});
