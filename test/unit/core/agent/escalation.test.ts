/**
 * Escalation: a task the background model could not do waits for the user, who sees what sending
 * it to the escalation profile would cost before anything is spent; the escalated call is booked
 * against the escalation share. Real provider, real budget and ledger, loopback server.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { Escalations, TYPICAL_ESCALATION_OUTPUT_TOKENS } from '../../../../src/core/agent/escalations';
import type { Task } from '../../../../src/core/agent/taskSources';
import { FIX, TEXT, loopbackModel, recordingHost, signal } from './recordingHost';

describe('escalation', { timeout: 60_000 }, () => {
  const { server, url } = loopbackModel();

  it('keeps a task the background model could not do, quotes its cost, and runs it on the escalation profile when asked', async () => {
    const escalation: { url?: string } = {};
    const rec = recordingHost(url, { annualUsd: 1000, escalationShare: 0.25 }, {}, undefined, undefined, () => escalation.url);
    const agent = new BackgroundAgent(rec.host);
    server.enqueue({ content: 'TITLE: none' });
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.escalations().length === 1);
    const [item] = rec.escalations();
    assert.equal(item.relativePath, 'src/a.ts');
    assert.equal(item.reason, 'the model found no safe fix');

    const none = await agent.quoteEscalation(item.id);
    assert.deepEqual(none, { ok: false, message: 'No escalation profile is chosen. Set nightshift.escalationProfile.', action: 'openSettings' });

    escalation.url = url();
    const before = server.chatRequests().length;
    const quote = await agent.quoteEscalation(item.id);
    assert.ok(quote.ok);
    assert.equal(quote.model, 'gpt-5.4');
    assert.equal(quote.backend, 'OpenAI');
    assert.equal(quote.leftUsd, 250);
    assert.ok(quote.estimateUsd! > 0 && quote.estimateUsd! < quote.worstCaseUsd, JSON.stringify(quote));
    // The estimate assumes a typical answer; the worst case, the whole output limit (2048 here).
    assert.ok(quote.estimateUsd! >= (TYPICAL_ESCALATION_OUTPUT_TOKENS * 15) / 1e6);
    assert.equal(server.chatRequests().length, before, 'a quote spends nothing');

    server.enqueue({ content: FIX });
    assert.deepEqual(agent.escalate(item.id), { ok: true });
    assert.equal(rec.escalations().length, 0);
    await rec.until(() => rec.proposals().length === 1);
    assert.equal((server.chatRequests().at(-1)!.body as { model: string }).model, 'gpt-5.4');
    const calls = rec.ledger.load().calls;
    assert.deepEqual(
      calls.map((c) => c.role),
      ['background', 'escalation'],
    );
    assert.ok(calls[1].costUsd > calls[0].costUsd, 'the frontier call is booked at its own price');
    assert.deepEqual(agent.escalate(item.id), { ok: false }, 'a task is escalated once');
  });

  it('drops a waiting task when its file changes; a failed escalation comes back to the list', async () => {
    const rec = recordingHost(url, {}, {}, undefined, undefined, () => undefined);
    const agent = new BackgroundAgent(rec.host);
    server.enqueue({ content: 'TITLE: none' });
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.escalations().length === 1);
    const id = rec.escalations()[0].id;
    // No escalation profile: the escalation does not run, does not stall the agent, and waits again.
    agent.escalate(id);
    await rec.until(() => rec.escalations().length === 1);
    assert.ok(rec.messages.some((m) => m === 'The escalation did not run: No escalation profile is chosen. Set nightshift.escalationProfile.'));
    assert.notEqual(rec.last().state, 'needsSetup');
    agent.onSettledDiagnostics(signal('export const answer: number = "43";\n'));
    assert.equal(rec.escalations().length, 0);
    assert.deepEqual(await agent.quoteEscalation(id), { ok: false, message: 'That task no longer waits for escalation (its file changed, or it was escalated).' });
  });

  it("keeps the waiting list across a restart, without the files' text, and only for files that did not change", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-esc-'));
    const file = path.join(dir, 'a.ts');
    fs.writeFileSync(file, TEXT);
    const uri = pathToFileURL(file).toString();
    const task = (key: string): Task => ({ key, id: key, kind: 'fix', priority: 'normal', input: { uri, relativePath: 'a.ts', languageId: 'typescript', text: TEXT, diagnostics: [] } });
    const store = path.join(dir, 'state', 'escalations.json');
    new Escalations(store).add(task('k1'), 'the model found no safe fix', new Date(0));
    assert.ok(!fs.readFileSync(store, 'utf8').includes('answer'), 'the file text is not saved');

    const again = new Escalations(store);
    assert.deepEqual(
      again.list().map((i) => [i.id, i.reason]),
      [['k1', 'the model found no safe fix']],
    );
    assert.equal(again.get('k1')?.input.text, TEXT, 'the text is read back from the file');

    fs.writeFileSync(file, `${TEXT}// changed\n`);
    assert.deepEqual(new Escalations(store).list(), [], 'a changed file drops its task');

    fs.writeFileSync(store, '{ torn');
    const problems: string[] = [];
    assert.deepEqual(new Escalations(store, (m) => problems.push(m)).list(), []);
    assert.match(problems[0], /^The saved list of tasks waiting for escalation could not be read/);
  });

  it('saves no secret of the file: a compiler message quoting it, in the task or the item, is redacted on disk (found by the outside test)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-esc-'));
    const file = path.join(dir, 'a.ts');
    const text = 'const stripeKey = "sk_live_51QqSameF1leKeyZx8Wv4Rt6Yu8Io0Pa";\nconst dbPassword = "S4meF1lePw!9z";\nexport const n: number = dbPassword;\n';
    fs.writeFileSync(file, text);
    const uri = pathToFileURL(file).toString();
    const message = `Type '"S4meF1lePw!9z"' is not assignable to type 'number'. (sk_live_51QqSameF1leKeyZx8Wv4Rt6Yu8Io0Pa)`;
    const task: Task = {
      key: 'k',
      id: 'k',
      kind: 'fix',
      priority: 'normal',
      input: { uri, relativePath: 'a.ts', languageId: 'typescript', text, diagnostics: [{ message, severity: 'error', code: '2322', range: { startLine: 2, startCharacter: 13, endLine: 2, endCharacter: 14 } }] },
    };
    const store = path.join(dir, 'state', 'escalations.json');
    new Escalations(store).add(task, `no fix for: ${message}`, new Date(0));
    const saved = fs.readFileSync(store, 'utf8');
    for (const secret of ['S4meF1lePw!9z', 'sk_live_51QqSameF1leKeyZx8Wv4Rt6Yu8Io0Pa']) assert.ok(!saved.includes(secret), `${secret} saved in ${saved}`);
    assert.equal(new Escalations(store).list().length, 1, 'still brought back after a restart');
  });
});
