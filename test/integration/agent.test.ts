/**
 * The agent end to end inside a real extension host: activation, the agent server, a settled
 * diagnostic becoming a proposal from the loopback model server (through the real `openai` SDK),
 * accept as one undoable edit, reject, no key, a 401, a useless answer, signatures and definitions
 * from VS Code's own TypeScript language features, the idle sweep, escalation and the team policy.
 * Each test makes its own files, problems and settings (see agentHarness.ts), so any one of them
 * runs alone or in any order.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EscalationItem, Proposal } from '../../src/shared/types';
import { BAD, GOOD, fixFor, totalling, useAgentHarness } from './agentHarness';
import { editAndSave, until, waitForSnapshot, workspaceFile } from './helpers';

const FIXTURE_SRC = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'ts-error', 'src');
const fixtureText = (name: string) => fs.readFileSync(path.join(FIXTURE_SRC, name), 'utf8');
const Global = vscode.ConfigurationTarget.Global;

describe('Nightshift in a real extension host', function () {
  const h = useAgentHarness();
  const hasProposalFor = (relative: string) => (x: { proposals: Proposal[] }) => x.proposals.some((p) => p.files[0].relativePath === relative && !p.stale);
  const proposalFor = (x: { proposals: Proposal[] }, relative: string) => x.proposals.find((p) => p.files[0].relativePath === relative && !p.stale)!;

  /** Writes `relative` with a function whose total is a string, reports the error and scripts its fix. */
  async function brokenTotal(relative: string, title = 'Initialise total as a number', answer = fixFor(BAD, GOOD, title)): Promise<vscode.TextDocument> {
    await h.setText(relative, totalling(path.basename(relative, '.ts')));
    h.model.respondWith((req) => (req.rawBody.includes(relative) && req.rawBody.includes(BAD.replace(/"/g, '\\"')) ? { content: answer } : { content: 'TITLE: none' }));
    const doc = await editAndSave(workspaceFile(relative), GOOD, BAD);
    h.reportError(doc, BAD);
    return doc;
  }

  it('activates and starts the agent server after activation', async () => {
    assert.equal(typeof h.api.activationMs, 'number');
    assert.ok(h.api.activationMs >= 0);
    await h.api.agentStarted;
    const s = await waitForSnapshot(h.api, (x) => x.status.state === 'idle' || x.status.state === 'needsSetup', 'the agent to be ready');
    assert.equal(s.proposals.length, 0);
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['nightshift.setApiKey', 'nightshift.pause', 'nightshift.resume', 'nightshift.openPanel']) assert.ok(commands.includes(c), c);
  });

  it('without an API key for a remote backend, says how to set one and sends nothing', async () => {
    await h.config().update('baseUrl', undefined, Global);
    await vscode.commands.executeCommand('nightshift.clearApiKey', 'default');
    assert.equal(h.config().get('baseUrl'), 'https://api.minimax.io/v1');
    const calls = h.model.chatRequests().length;
    await h.setText('src/noKey.ts', totalling('noKey'));
    const doc = await editAndSave(workspaceFile('src/noKey.ts'), GOOD, BAD);
    h.reportError(doc, BAD);
    const s = await waitForSnapshot(h.api, (x) => x.status.state === 'needsSetup', 'the agent to ask for a key');
    assert.match(s.status.detail, /No API key for MiniMax\. Run 'Nightshift: Set API Key'/);
    assert.equal(h.model.chatRequests().length, calls);
  });

  it('turns a settled error into a proposal on a local server, which gets no key stored for MiniMax', async () => {
    // A newcomer stored a MiniMax key first (paused, so nothing is sent to MiniMax), then pointed
    // nightshift.baseUrl at a local server, which needs no key: the MiniMax key must not go there.
    await h.config().update('baseUrl', undefined, Global);
    await vscode.commands.executeCommand('nightshift.pause');
    await waitForSnapshot(h.api, (x) => x.status.state === 'paused', 'the agent to pause');
    const start = h.model.chatRequests().length;
    const doc = await brokenTotal('src/local.ts');
    await vscode.commands.executeCommand('nightshift.setApiKey', { profile: 'default', key: 'sk-test-minimax' });
    await h.config().update('baseUrl', h.baseUrl, Global);
    await vscode.commands.executeCommand('nightshift.resume');
    const s = await waitForSnapshot(h.api, hasProposalFor('src/local.ts'), 'a proposal');
    const request = h.model
      .chatRequests()
      .slice(start)
      .find((r) => r.rawBody.includes('src/local.ts'))!;
    assert.equal(request.headers.authorization, 'Bearer local', 'the key stored for MiniMax stays with MiniMax');
    const p = proposalFor(s, 'src/local.ts');
    assert.equal(p.title, 'Initialise total as a number');
    assert.equal(p.rationale, 'a string literal was assigned to a number.');
    assert.equal(p.model, 'MiniMax-M2.7');
    assert.equal(p.costUsd, 0, 'a server on loopback is a local backend: free');
    assert.ok(p.usage.inputTokens > 0 && p.usage.outputTokens > 0);
    assert.match(p.files[0].diff, /^- {2}let total: number = "0";$/m);
    assert.match(p.files[0].diff, /^\+ {2}let total = 0;$/m);
    assert.doesNotMatch(p.title + p.rationale, /<think>|wrong type/);
    // Backend health reaches the panel's status: the call just made is counted.
    const idle = await waitForSnapshot(h.api, (x) => x.status.state === 'idle', 'the agent to be idle again');
    const local = idle.status.backends?.find((b) => b.backend.startsWith('the local server at 127.0.0.1'));
    assert.ok(local && local.calls >= 1, JSON.stringify(idle.status.backends));
    // Open diff: the native diff editor, the file on the left, the proposed text on the right.
    await h.api.openProposalDiff(p.id);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    assert.equal(tab.input.original.fsPath, doc.uri.fsPath);
    const proposed = await vscode.workspace.openTextDocument(tab.input.modified);
    assert.ok(proposed.getText().includes(GOOD) && !proposed.getText().includes(BAD));
    assert.match(request.rawBody, /Type 'string' is not assignable to type 'number'\./);
  });

  it("books the call in the user's spend ledger, which the budget report reads back", async () => {
    const calls = (r: Awaited<ReturnType<typeof h.api.budgetReport>>) => r.byModel.find((m) => m.name === 'MiniMax-M2.7')?.calls ?? 0;
    const before = await h.api.budgetReport();
    const sent = h.model.chatRequests().length;
    await brokenTotal('src/booked.ts');
    await waitForSnapshot(h.api, hasProposalFor('src/booked.ts'), 'a proposal');
    await waitForSnapshot(h.api, (x) => x.status.state === 'idle', 'the agent to be idle again');
    const report = await h.api.budgetReport();
    assert.equal(calls(report) - calls(before), h.model.chatRequests().length - sent, 'every call made is booked, once');
    assert.ok(
      report.byBackend.some((b) => /^the local server at 127\.0\.0\.1:\d+$/.test(b.name)),
      JSON.stringify(report.byBackend.map((b) => b.name)),
    );
    assert.equal(report.backgroundSpentUsd, before.backgroundSpentUsd, 'local calls are free');
    assert.equal(report.backgroundBudgetUsd, 1600);
    await waitForSnapshot(h.api, (x) => x.budget !== undefined && x.budget.byModel.length > 0, 'the panel to get the budget');
  });

  it('accepting applies the edit as one undoable step, saves it, and Undo reverts it', async () => {
    const doc = await brokenTotal('src/accepted.ts');
    const s = await waitForSnapshot(h.api, hasProposalFor('src/accepted.ts'), 'a proposal');
    await vscode.window.showTextDocument(doc);
    const id = proposalFor(s, 'src/accepted.ts').id;
    assert.equal(await h.api.acceptProposal(id), true);
    assert.ok(doc.getText().includes(GOOD) && !doc.getText().includes(BAD));
    assert.ok(fs.readFileSync(doc.uri.fsPath, 'utf8').includes(GOOD), 'the accepted change is saved to disk');
    await waitForSnapshot(h.api, (x) => !x.proposals.some((p) => p.id === id), 'the proposal to leave the list');
    await vscode.commands.executeCommand('undo');
    assert.ok(doc.getText().includes(BAD), 'Undo brings the original line back');
    assert.ok(!doc.getText().includes(GOOD));
    await doc.save();
  });

  it('rejecting removes the proposal and the same code is not proposed again', async () => {
    const doc = await brokenTotal('src/rejected.ts');
    const s = await waitForSnapshot(h.api, hasProposalFor('src/rejected.ts'), 'a proposal');
    await h.api.rejectProposal(proposalFor(s, 'src/rejected.ts').id);
    await waitForSnapshot(h.api, (x) => !hasProposalFor('src/rejected.ts')(x), 'the rejected proposal to leave the list');
    const after = h.model.chatRequests().length;
    // The same problem on the same content is reported again: no new call. (Its settle timer runs
    // before the one of the change below, so its skip comes first.)
    h.reportError(doc, BAD);
    // A problem elsewhere proves the agent is still working; it is the only new call.
    await brokenTotal('src/rejectedOther.ts', 'Initialise the other total');
    await waitForSnapshot(h.api, hasProposalFor('src/rejectedOther.ts'), 'a proposal for the other file');
    assert.equal(h.callsWith('src/rejected.ts', after), 0, 'the rejected code is not sent again');
    assert.equal(h.callsWith('src/rejectedOther.ts', after), 1);
  });

  it('a useless answer makes no proposal and writes nothing', async () => {
    const start = h.model.chatRequests().length;
    const doc = await brokenTotal('src/useless.ts', 'Bogus', fixFor('this text is not in the file', 'x', 'Bogus'));
    const written = doc.getText();
    await until(() => h.callsWith('src/useless.ts', start) >= 1, 'the model to be asked');
    await waitForSnapshot(h.api, (x) => x.status.state === 'idle', 'the agent to finish');
    assert.ok(!hasProposalFor('src/useless.ts')(h.api.snapshot()));
    assert.equal(fs.readFileSync(doc.uri.fsPath, 'utf8'), written);
  });

  it('sends no secret to the model: secret files are never read, secrets in code are redacted', async () => {
    // Made at run time so that no secret-looking string is committed.
    const secrets = { env: 'AKIA' + 'IOSFODNN7EXAMPLQ', stripe: 'sk_' + 'live_' + '51Hq8aZ2eXk4LmN0pQ7rS', token: 'ghp_' + 'x7Y8z9A0b1C2d3E4f5G6h7I8j9K0l1M2n3O4' };
    await h.setText('.env', `AWS_ACCESS_KEY_ID=${secrets.env}\nPORT=3000\n`);
    await h.setText('src/payments.ts', `// ci token: ${secrets.token}\nconst stripeKey = "${secrets.stripe}";\nexport const fee: number = "2";\nexport { stripeKey };\n`);
    // The loopback server stands in for a remote API here: redaction applies to non-local backends.
    await h.config().update('profiles', [{ name: 'remote', baseUrl: h.baseUrl, model: 'MiniMax-M2.7', local: false }], Global);
    await h.config().update('backgroundProfile', 'remote', Global);
    await vscode.commands.executeCommand('nightshift.setApiKey', { profile: 'remote', key: 'sk-test-remote' });
    const before = h.model.requests.length;
    const env = await editAndSave(workspaceFile('.env'), 'PORT=3000', 'PORT=3001');
    h.diagnostics.set(env.uri, [new vscode.Diagnostic(new vscode.Range(1, 0, 1, 9), 'Invalid port.', vscode.DiagnosticSeverity.Error)]);
    const doc = await editAndSave(workspaceFile('src/payments.ts'), 'export const fee: number = "2";', 'export const fee: number = "3";');
    h.model.respondWith(() => ({ content: fixFor('export const fee: number = "3";', 'export const fee: number = 3;', 'Make the fee a number', '') }));
    h.reportError(doc, 'export const fee: number = "3";');
    await waitForSnapshot(h.api, hasProposalFor('src/payments.ts'), 'a proposal for payments.ts');
    const sentRequests = h.model.requests.slice(before).filter((r) => r.path.endsWith('/chat/completions'));
    const sent = sentRequests.map((r) => r.rawBody).join('\n');
    for (const [name, value] of Object.entries(secrets)) assert.ok(!sent.includes(value), `the ${name} secret reached the model`);
    assert.ok(!sent.includes('PORT=3001'), '.env was not read');
    assert.match(sent, /«redacted stripe-key»/);
    assert.equal(sentRequests.length, 1, 'only payments.ts was sent');
    assert.equal(sentRequests[0].headers.authorization, 'Bearer sk-test-remote');
  });

  it('a proposal follows edits elsewhere in its file, and goes stale when its text changes or the file is deleted', async () => {
    const uri = workspaceFile('src/total.ts');
    await h.setText('src/total.ts', '// totals\nexport const total: number = "7";\n');
    h.model.respondWith((req) => (req.rawBody.includes('total: number = \\"7\\"') ? { content: fixFor('export const total: number = "7";', 'export const total: number = 7;', 'Make total a number', '') } : { content: 'TITLE: none' }));
    const doc = await editAndSave(uri, '// totals', '// totals ');
    h.reportError(doc, 'export const total: number = "7";');
    const first = await waitForSnapshot(h.api, hasProposalFor('src/total.ts'), 'a proposal for total.ts');
    const id = proposalFor(first, 'src/total.ts').id;
    const find = (x: { proposals: Proposal[] }) => x.proposals.find((p) => p.id === id);

    // 1. An unrelated line changes: the proposal follows it.
    const baseHash = find(first)!.files[0].baseHash;
    await editAndSave(uri, '// totals ', '// running totals\n// (kept in cents)');
    const moved = await waitForSnapshot(h.api, (x) => find(x)?.files[0].baseHash !== baseHash, 'the proposal to follow the edit');
    assert.equal(find(moved)!.stale, undefined);
    // 2. The text it edits changes: stale, and Accept refuses it.
    await editAndSave(uri, '"7"', '"8"');
    const stale = await waitForSnapshot(h.api, (x) => find(x)?.stale !== undefined, 'the proposal to go stale');
    assert.equal(find(stale)!.stale, 'the file changed where this proposal edits it');
    assert.equal(await h.api.acceptProposal(id), false);
    assert.ok(doc.getText().includes('"8"'), 'nothing was applied');
    await h.api.rejectProposal(id);

    // 3. The file is deleted: stale.
    await editAndSave(uri, '"8"', '"7"');
    const again = await waitForSnapshot(h.api, hasProposalFor('src/total.ts'), 'a new proposal for total.ts');
    const id2 = proposalFor(again, 'src/total.ts').id;
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(uri);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const gone = await waitForSnapshot(h.api, (x) => x.proposals.find((p) => p.id === id2)?.stale !== undefined, 'the proposal of the deleted file to go stale');
    assert.equal(gone.proposals.find((p) => p.id === id2)!.stale, 'the file was deleted');
  });

  it('a 401 pauses the agent with a message naming the backend; Resume carries on', async () => {
    h.model.enqueue({ status: 401, rawBody: '{"type":"error","error":{"type":"authorized_error","message":"login fail (1004)"}}' });
    await brokenTotal('src/unauthorised.ts', 'Initialise the total');
    const paused = await waitForSnapshot(h.api, (x) => x.status.state === 'paused', 'the agent to pause');
    assert.match(paused.status.detail, /^The local server at 127\.0\.0\.1:\d+ rejected the API key \(401\)\. Set it with 'Nightshift: Set API Key'\.$/);
    await vscode.commands.executeCommand('nightshift.resume');
    const s = await waitForSnapshot(h.api, hasProposalFor('src/unauthorised.ts'), 'the kept task to make its proposal');
    assert.equal(proposalFor(s, 'src/unauthorised.ts').title, 'Initialise the total');
  });

  it("asks VS Code's language features for the signatures on the problem line, and for a definition the model looks up", async () => {
    await h.setText('src/cart.ts', fixtureText('cart.ts'));
    const start = h.model.chatRequests().length;
    h.model.enqueue({ content: 'I need the type.\nDEFINITION: Cart' });
    const doc = await editAndSave(workspaceFile('src/cart.ts'), 'discountCode?: string;', 'discountCode?: string; // optional');
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('cart.items.length.toString()'));
    const d = new vscode.Diagnostic(new vscode.Range(line, 8, line, 13), "Type 'string' is not assignable to type 'number'.", vscode.DiagnosticSeverity.Error);
    d.source = 'ts';
    d.code = 2322;
    h.diagnostics.set(doc.uri, [d]);
    await h.model.waitForChatRequests(start + 2);
    const [first, second] = h.model
      .chatRequests()
      .slice(start)
      .map((r) => (r.body as { messages: Array<{ content: string }> }).messages);
    assert.match(first.at(-1)!.content, /Signatures of names used there \(from the language server\):[\s\S]*- \(parameter\) cart: Cart/);
    assert.match(second.at(-1)!.content, /DEFINITION Cart at src\/cart\.ts:1-\d+ \(of \d+ lines\):\n```\nexport interface Cart \{/);
    await waitForSnapshot(h.api, (x) => x.status.state === 'idle', 'the agent to be idle');
  });

  it('proposes a refactor of a long function once the user has been idle for nightshift.idleSweepMinutes', async () => {
    const body = Array.from({ length: 45 }, (_, i) => `  const part${i} = values[${i}] ?? 0;`).join('\n');
    await h.setText('src/report.ts', `export function report(values: number[]): number {\n${body}\n  return part0 + part44;\n}\n`);
    h.model.respondWith((req) =>
      JSON.stringify(req.body).includes('refactor candidate')
        ? { content: ['TITLE: Sum the parts', 'WHY: one expression reads better than 45 names', '<<<<<<< SEARCH', '  return part0 + part44;', '=======', '  return part0 + part44; // the ends', '>>>>>>> REPLACE'].join('\n') }
        : { content: 'TITLE: none' },
    );
    await h.config().update('idleSweepMinutes', 0.02, Global);
    const s = await waitForSnapshot(h.api, (x) => x.proposals.some((p) => p.kind === 'refactor'), 'a refactor proposal after idle time');
    const p = s.proposals.find((x) => x.kind === 'refactor')!;
    assert.equal(p.title, 'Sum the parts');
    assert.equal(p.files[0].relativePath, 'src/report.ts');
    const sent = JSON.stringify(h.model.chatRequests().at(-1)!.body);
    assert.match(sent, /Task: lines 1-48 are a refactor candidate/);
  });

  it('escalates a task the background model could not do, on the escalation profile, after quoting its cost', async () => {
    await h.setText('src/cart.ts', fixtureText('cart.ts'));
    const fix = fixFor('return count;', 'return Number(count);', 'Return the count as a number');
    h.model.respondWith((req) => ((req.body as { model?: string }).model === 'gpt-5.4' ? { content: fix } : { content: 'TITLE: none' }));
    const earlier = new Set(h.api.snapshot().escalations.map((e) => e.id));
    const doc = await editAndSave(workspaceFile('src/cart.ts'), 'return count;', 'return count; // the count');
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('return count;'));
    h.diagnostics.set(doc.uri, [new vscode.Diagnostic(new vscode.Range(line, 2, line, 14), "Type 'string' is not assignable to type 'number'.", vscode.DiagnosticSeverity.Error)]);
    const fresh = (e: EscalationItem) => e.relativePath === 'src/cart.ts' && !earlier.has(e.id);
    const waiting = await waitForSnapshot(h.api, (x) => x.escalations.some(fresh), 'the task to wait for escalation');
    const item = waiting.escalations.find(fresh)!;
    assert.equal(item.reason, 'the model found no safe fix');

    const none = await h.api.quoteEscalation(item.id);
    assert.deepEqual(none, { ok: false, message: 'No escalation profile is chosen. Set nightshift.escalationProfile.', action: 'openSettings' });

    await h.config().update('profiles', [{ name: 'frontier', baseUrl: h.baseUrl, model: 'gpt-5.4', local: false }], Global);
    await h.config().update('escalationProfile', 'frontier', Global);
    await vscode.commands.executeCommand('nightshift.setApiKey', { profile: 'frontier', key: 'sk-test-frontier' });
    const before = h.model.chatRequests().length;
    const spentBefore = (await h.api.budgetReport()).escalationSpentUsd;
    const quote = await h.api.quoteEscalation(item.id);
    assert.ok(quote.ok, JSON.stringify(quote));
    assert.equal(quote.model, 'gpt-5.4');
    assert.ok(Math.abs(quote.leftUsd - (400 - spentBefore)) < 1e-9, `a fifth of the default $2,000 a year, less what escalations spent: ${quote.leftUsd}`);
    assert.ok(quote.estimateUsd! > 0 && quote.worstCaseUsd > quote.estimateUsd!, JSON.stringify(quote));
    assert.equal(h.model.chatRequests().length, before, 'a quote sends nothing');

    assert.deepEqual(await h.api.escalateConfirmed(item.id), { ok: true });
    const s = await waitForSnapshot(h.api, (x) => x.proposals.some((p) => p.title === 'Return the count as a number'), 'the escalated proposal');
    const sent = h.model.chatRequests().at(-1)!;
    assert.equal((sent.body as { model: string }).model, 'gpt-5.4');
    assert.equal(sent.headers.authorization, 'Bearer sk-test-frontier');
    assert.ok(!s.escalations.some((e) => e.id === item.id), 'it no longer waits');
    const report = await h.api.budgetReport();
    assert.ok(report.escalationSpentUsd > spentBefore, 'booked against the escalation share');
  });

  it('applies the team policy without a restart: a broken one pauses everything with its file and line, a fixed one lets work go on', async () => {
    const policyFile = workspaceFile('.nightshift/policy.json').fsPath;
    try {
      assert.notEqual(h.api.snapshot().status.state, 'paused');
      fs.mkdirSync(path.dirname(policyFile), { recursive: true });
      fs.writeFileSync(policyFile, '{\n  "budget": { "dailyCap": 1 }\n}\n');
      // Waits for the finished file's reading: a look while the file is being written may see less of it.
      const paused = await waitForSnapshot(h.api, (x) => x.status.state === 'paused' && /dailyCap/.test(x.status.detail ?? ''), 'a broken policy to pause the agent');
      assert.match(paused.status.detail, /^The team policy cannot be used, so background work is paused until it is fixed: \.nightshift\/policy\.json:2:15: "budget\.dailyCap" is not a policy rule/);
      await vscode.commands.executeCommand('nightshift.resume');
      assert.equal(h.api.snapshot().status.state, 'paused', 'Resume does not go past a broken policy');
      // A repository may tighten the budget, but not choose the model your key pays for: that rule is refused, not applied, and said.
      fs.writeFileSync(policyFile, JSON.stringify({ budget: { dailyCapUsd: 1 }, models: { backgroundProfile: 'costly' } }, null, 2));
      await waitForSnapshot(h.api, (x) => x.status.state !== 'paused', 'the fixed policy to let work go on');
      // The panel's Policy section: the rule, its value and the file and line that set it.
      const shown = await waitForSnapshot(h.api, (x) => x.budget?.policy?.some((r) => r.rule === 'budget: daily cap USD' && r.value === '1') === true, 'the Policy section to show the daily cap');
      assert.match(shown.budget!.policy!.find((r) => r.rule === 'budget: daily cap USD')!.setBy, /policy\.json:3:5 \(budget\.dailyCapUsd, repository policy\)$/);
      assert.equal(shown.budget!.policyRefused?.length, 1, JSON.stringify(shown.budget!.policyRefused));
      assert.match(shown.budget!.policyRefused![0], /models\.backgroundProfile.*it would choose what your key pays for/);
      assert.notEqual(shown.status.state, 'paused', 'a refused rule pauses nothing');
    } finally {
      // Later tests must not inherit a policy.
      fs.rmSync(path.dirname(policyFile), { recursive: true, force: true });
      for (const deadline = Date.now() + 30_000; (await h.api.budgetReport()).policy?.some((r) => r.setBy.includes('policy.json'));) {
        assert.ok(Date.now() < deadline, 'the engine dropped the removed policy');
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });
});
