/**
 * The agent end to end inside a real extension host: activation, the agent server, a settled
 * diagnostic becoming a proposal from the loopback model server (through the real `openai` SDK),
 * accept as one undoable edit, reject, no key, a 401, a useless answer, signatures and definitions
 * from VS Code's own TypeScript language features, and the idle sweep.
 * A DiagnosticCollection of the test's own plays the language server, so timing is ours.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NightshiftApi } from '../../src/extension/Nightshift';
import type { EscalationItem, Proposal } from '../../src/shared/types';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { activateNightshift, editAndSave, waitForSnapshot, workspaceFile } from './helpers';

const BAD = 'let total: number = "0";';
const GOOD = 'let total = 0;';

function fixFor(search: string, replace: string, title: string): string {
  return [`<think>the literal has the wrong type</think>TITLE: ${title}`, 'WHY: a string literal was assigned to a number.', '<<<<<<< SEARCH', `  ${search}`, '=======', `  ${replace}`, '>>>>>>> REPLACE'].join('\n');
}

describe('Nightshift in a real extension host', function () {
  const model = new FakeModelServer();
  const diagnostics = vscode.languages.createDiagnosticCollection('integration-test');
  let api: NightshiftApi;
  let baseUrl = '';
  const config = () => vscode.workspace.getConfiguration('nightshift');

  /** Reports a type error on the line holding `text`, as a language server would. */
  function reportError(doc: vscode.TextDocument, text: string): void {
    const at = doc.getText().indexOf(text);
    assert.ok(at >= 0, `"${text}" is not in the document`);
    const range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + text.length));
    const d = new vscode.Diagnostic(range, "Type 'string' is not assignable to type 'number'.", vscode.DiagnosticSeverity.Error);
    d.source = 'ts';
    d.code = 2322;
    diagnostics.set(doc.uri, [d]);
  }

  const stringError = () => new vscode.Diagnostic(new vscode.Range(1, 2, 1, 12), "Type 'number' is not assignable to type 'string'.", vscode.DiagnosticSeverity.Error);

  before(async () => {
    baseUrl = await model.start();
    await config().update('settleDelayMs', 100, vscode.ConfigurationTarget.Global);
    api = await activateNightshift();
  });

  after(async () => {
    diagnostics.dispose();
    await model.close();
  });

  it('activates and starts the agent server after activation', async () => {
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs >= 0);
    await api.agentStarted;
    // With no key set yet, the agent may already say so (needsSetup) by the time the test looks.
    const s = await waitForSnapshot(api, (x) => x.status.state === 'idle' || x.status.state === 'needsSetup', 'the agent to be ready');
    assert.equal(s.proposals.length, 0);
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['nightshift.setApiKey', 'nightshift.pause', 'nightshift.resume', 'nightshift.openPanel']) assert.ok(commands.includes(c), c);
  });

  it('without an API key for a remote backend, says how to set one and sends nothing', async () => {
    assert.equal(config().get('baseUrl'), 'https://api.minimax.io/v1');
    const doc = await editAndSave(workspaceFile('src/invoice.ts'), 'let total = 0;', BAD);
    reportError(doc, BAD);
    const s = await waitForSnapshot(api, (x) => x.status.state === 'needsSetup', 'the agent to ask for a key');
    assert.match(s.status.detail, /No API key for MiniMax\. Run 'Nightshift: Set API Key'/);
    assert.equal(model.chatRequests().length, 0);
  });

  it('turns the settled error into a proposal once a local server is configured', async () => {
    model.respondWith((req) => {
      const body = JSON.stringify(req.body);
      return body.includes(BAD.replace(/"/g, '\\"')) ? { content: fixFor(BAD, GOOD, 'Initialise total as a number') } : { content: 'TITLE: none' };
    });
    // A newcomer stored a MiniMax key first (paused, so nothing is sent to MiniMax), then pointed
    // nightshift.baseUrl at a local server, which needs no key: the MiniMax key must not go there.
    await vscode.commands.executeCommand('nightshift.pause');
    await waitForSnapshot(api, (x) => x.status.state === 'paused', 'the agent to pause');
    await vscode.commands.executeCommand('nightshift.setApiKey', { profile: 'default', key: 'sk-test-minimax' });
    await config().update('baseUrl', baseUrl, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('nightshift.resume');
    const s = await waitForSnapshot(api, (x) => x.proposals.length === 1, 'a proposal');
    assert.equal(model.chatRequests()[0].headers.authorization, 'Bearer local', 'the key stored for MiniMax stays with MiniMax');
    const p = s.proposals[0];
    assert.equal(p.title, 'Initialise total as a number');
    assert.equal(p.rationale, 'a string literal was assigned to a number.');
    assert.equal(p.model, 'MiniMax-M2.7');
    assert.equal(p.costUsd, 0, 'a server on loopback is a local backend: free');
    assert.ok(p.usage.inputTokens > 0 && p.usage.outputTokens > 0);
    assert.match(p.files[0].diff, /^- {2}let total: number = "0";$/m);
    assert.match(p.files[0].diff, /^\+ {2}let total = 0;$/m);
    assert.doesNotMatch(p.title + p.rationale, /<think>|wrong type/);
    // Backend health reaches the panel's status: the call just made is counted.
    const idle = await waitForSnapshot(api, (x) => x.status.state === 'idle', 'the agent to be idle again');
    const local = idle.status.backends?.find((b) => b.backend.startsWith('the local server at 127.0.0.1'));
    assert.ok(local && local.calls >= 1, JSON.stringify(idle.status.backends));
    // Open diff: the native diff editor, the file on the left, the proposed text on the right.
    await api.openProposalDiff(p.id);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'a diff editor is open');
    assert.equal(tab.input.original.fsPath, workspaceFile('src/invoice.ts').fsPath);
    const proposed = await vscode.workspace.openTextDocument(tab.input.modified);
    assert.ok(proposed.getText().includes(GOOD) && !proposed.getText().includes(BAD));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    const sent = JSON.stringify(model.chatRequests()[0].body);
    assert.match(sent, /Type 'string' is not assignable to type 'number'\./);
    assert.match(sent, /src\/invoice\.ts/);
  });

  it("books the call in the user's spend ledger, which the budget report reads back", async () => {
    const report = await api.budgetReport();
    const calls = report.byModel.find((m) => m.name === 'MiniMax-M2.7')?.calls ?? 0;
    assert.equal(calls, model.chatRequests().length);
    assert.match(report.byBackend[0].name, /^the local server at 127\.0\.0\.1:\d+$/);
    assert.equal(report.backgroundSpentUsd, 0, 'local calls are free');
    assert.equal(report.backgroundBudgetUsd, 1600);
    await waitForSnapshot(api, (x) => x.budget !== undefined && x.budget.byModel.length > 0, 'the panel to get the budget');
  });

  it('accepting applies the edit as one undoable step, saves it, and Undo reverts it', async () => {
    const uri = workspaceFile('src/invoice.ts');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const id = api.snapshot().proposals[0].id;
    assert.equal(await api.acceptProposal(id), true);
    assert.ok(doc.getText().includes(GOOD) && !doc.getText().includes(BAD));
    assert.ok(fs.readFileSync(uri.fsPath, 'utf8').includes(GOOD), 'the accepted change is saved to disk');
    await waitForSnapshot(api, (x) => x.proposals.length === 0, 'the proposal to leave the list');
    await vscode.commands.executeCommand('undo');
    assert.ok(doc.getText().includes(BAD), 'Undo brings the original line back');
    assert.ok(!doc.getText().includes(GOOD));
    await doc.save();
  });

  it('rejecting removes the proposal and the same code is not proposed again', async () => {
    const BAD2 = 'let total: number = "1";';
    model.respondWith(() => ({ content: fixFor(BAD2, GOOD, 'Initialise total as a number') }));
    const doc = await editAndSave(workspaceFile('src/invoice.ts'), BAD, BAD2);
    reportError(doc, BAD2);
    const s = await waitForSnapshot(api, (x) => x.proposals.length === 1, 'a proposal for the new error');
    const before = model.chatRequests().length;
    await api.rejectProposal(s.proposals[0].id);
    await waitForSnapshot(api, (x) => x.proposals.length === 0, 'the rejected proposal to leave the list');
    // The same problem on the same content is reported again: no new call. (Its settle timer runs
    // before the one of the change below, so its skip comes first.)
    reportError(doc, BAD2);
    // A problem elsewhere proves the agent is still working; it is the only new call.
    model.respondWith(() => ({ content: fixFor('return 42;', 'return `Hello, ${name}!`;', 'Return the greeting') }));
    const other = await editAndSave(workspaceFile('src/greeting.ts'), 'return `Hello, ${name}!`;', 'return 42;');
    diagnostics.set(other.uri, [stringError()]);
    const next = await waitForSnapshot(api, (x) => x.proposals.length === 1, 'a proposal for greeting.ts');
    assert.equal(next.proposals[0].files[0].relativePath, 'src/greeting.ts');
    assert.equal(model.chatRequests().length, before + 1);
    await api.rejectProposal(next.proposals[0].id);
  });

  it('a useless answer makes no proposal and writes nothing', async () => {
    const uri = workspaceFile('src/greeting.ts');
    const before = fs.readFileSync(uri.fsPath, 'utf8');
    const calls = model.chatRequests().length;
    model.respondWith(() => ({ content: fixFor('this text is not in the file', 'x', 'Bogus') }));
    const doc = await editAndSave(uri, 'return 42;', 'return 43;');
    diagnostics.set(doc.uri, [stringError()]);
    await model.waitForChatRequests(calls + 1);
    await waitForSnapshot(api, (x) => x.status.state === 'idle', 'the agent to finish');
    assert.equal(api.snapshot().proposals.length, 0);
    assert.equal(fs.readFileSync(uri.fsPath, 'utf8'), before.replace('return 42;', 'return 43;'));
  });

  it('sends no secret to the model: secret files are never read, secrets in code are redacted', async () => {
    // Made at run time so that no secret-looking string is committed.
    const secrets = { env: 'AKIA' + 'IOSFODNN7EXAMPLQ', stripe: 'sk_' + 'live_' + '51Hq8aZ2eXk4LmN0pQ7rS', token: 'ghp_' + 'x7Y8z9A0b1C2d3E4f5G6h7I8j9K0l1M2n3O4' };
    const envFile = workspaceFile('.env');
    await vscode.workspace.fs.writeFile(envFile, Buffer.from(`AWS_ACCESS_KEY_ID=${secrets.env}\nPORT=3000\n`));
    await vscode.workspace.fs.writeFile(workspaceFile('src/payments.ts'), Buffer.from(`// ci token: ${secrets.token}\nconst stripeKey = "${secrets.stripe}";\nexport const fee: number = "2";\nexport { stripeKey };\n`));
    // The loopback server stands in for a remote API here: redaction applies to non-local backends.
    await config().update('profiles', [{ name: 'remote', baseUrl, model: 'MiniMax-M2.7', local: false }], vscode.ConfigurationTarget.Global);
    await config().update('backgroundProfile', 'remote', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('nightshift.setApiKey', { profile: 'remote', key: 'sk-test-remote' });
    const before = model.requests.length;
    const env = await editAndSave(envFile, 'PORT=3000', 'PORT=3001');
    diagnostics.set(env.uri, [new vscode.Diagnostic(new vscode.Range(1, 0, 1, 9), 'Invalid port.', vscode.DiagnosticSeverity.Error)]);
    const doc = await editAndSave(workspaceFile('src/payments.ts'), 'export const fee: number = "2";', 'export const fee: number = "3";');
    model.respondWith(() => ({ content: fixFor('export const fee: number = "3";', 'export const fee: number = 3;', 'Make the fee a number').replace(/^ {2}/gm, '') }));
    reportError(doc, 'export const fee: number = "3";');
    const s = await waitForSnapshot(api, (x) => x.proposals.some((p) => p.files[0].relativePath === 'src/payments.ts'), 'a proposal for payments.ts');
    const sent = model.requests
      .slice(before)
      .map((r) => r.rawBody)
      .join('\n');
    for (const [name, value] of Object.entries(secrets)) assert.ok(!sent.includes(value), `the ${name} secret reached the model`);
    assert.ok(!sent.includes('PORT=3001'), '.env was not read');
    assert.match(sent, /«redacted stripe-key»/);
    assert.equal(model.chatRequests().length - model.requests.slice(0, before).filter((r) => r.path.endsWith('/chat/completions')).length, 1, 'only payments.ts was sent');
    assert.equal(model.chatRequests().at(-1)!.headers.authorization, 'Bearer sk-test-remote');
    await api.rejectProposal(s.proposals.find((p) => p.files[0].relativePath === 'src/payments.ts')!.id);
    await config().update('backgroundProfile', '', vscode.ConfigurationTarget.Global);
  });

  it('a proposal follows edits elsewhere in its file, and goes stale when its text changes or the file is deleted', async () => {
    const uri = workspaceFile('src/total.ts');
    await vscode.workspace.fs.writeFile(uri, Buffer.from('// totals\nexport const total: number = "7";\n'));
    model.respondWith((req) => (req.rawBody.includes('total: number = \\"7\\"') ? { content: fixFor('export const total: number = "7";', 'export const total: number = 7;', 'Make total a number').replace(/^ {2}/gm, '') } : { content: 'TITLE: none' }));
    const doc = await editAndSave(uri, '// totals', '// totals ');
    reportError(doc, 'export const total: number = "7";');
    const first = await waitForSnapshot(api, (x) => x.proposals.some((p) => p.files[0].relativePath === 'src/total.ts'), 'a proposal for total.ts');
    const id = first.proposals.find((p) => p.files[0].relativePath === 'src/total.ts')!.id;
    const find = (x: { proposals: Proposal[] }) => x.proposals.find((p) => p.id === id);

    // 1. An unrelated line changes: the proposal follows it.
    const baseHash = find(first)!.files[0].baseHash;
    await editAndSave(uri, '// totals ', '// running totals\n// (kept in cents)');
    const moved = await waitForSnapshot(api, (x) => find(x)?.files[0].baseHash !== baseHash, 'the proposal to follow the edit');
    assert.equal(find(moved)!.stale, undefined);
    // 2. The text it edits changes: stale, and Accept refuses it.
    await editAndSave(uri, '"7"', '"8"');
    const stale = await waitForSnapshot(api, (x) => find(x)?.stale !== undefined, 'the proposal to go stale');
    assert.equal(find(stale)!.stale, 'the file changed where this proposal edits it');
    assert.equal(await api.acceptProposal(id), false);
    assert.ok(doc.getText().includes('"8"'), 'nothing was applied');
    await api.rejectProposal(id);

    // 3. The file is deleted: stale.
    await editAndSave(uri, '"8"', '"7"');
    const again = await waitForSnapshot(api, (x) => x.proposals.some((p) => p.files[0].relativePath === 'src/total.ts' && !p.stale), 'a new proposal for total.ts');
    const id2 = again.proposals.find((p) => p.files[0].relativePath === 'src/total.ts' && !p.stale)!.id;
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(uri);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const gone = await waitForSnapshot(api, (x) => x.proposals.find((p) => p.id === id2)?.stale !== undefined, 'the proposal of the deleted file to go stale');
    assert.equal(gone.proposals.find((p) => p.id === id2)!.stale, 'the file was deleted');
    await api.rejectProposal(id2);
  });

  it('a 401 pauses the agent with a message naming the backend; Resume carries on', async () => {
    model.enqueue({ status: 401, rawBody: '{"type":"error","error":{"type":"authorized_error","message":"login fail (1004)"}}' });
    model.respondWith(() => ({ content: fixFor('return 44;', 'return `Hello, ${name}!`;', 'Return the greeting') }));
    const doc = await editAndSave(workspaceFile('src/greeting.ts'), 'return 43;', 'return 44;');
    diagnostics.set(doc.uri, [stringError()]);
    const paused = await waitForSnapshot(api, (x) => x.status.state === 'paused', 'the agent to pause');
    assert.match(paused.status.detail, /^The local server at 127\.0\.0\.1:\d+ rejected the API key \(401\)\. Set it with 'Nightshift: Set API Key'\.$/);
    await vscode.commands.executeCommand('nightshift.resume');
    const s = await waitForSnapshot(api, (x) => x.proposals.length === 1, 'the kept task to make its proposal');
    assert.equal(s.proposals[0].title, 'Return the greeting');
    await api.rejectProposal(s.proposals[0].id);
  });

  it("asks VS Code's language features for the signatures on the problem line, and for a definition the model looks up", async () => {
    const start = model.chatRequests().length;
    model.enqueue({ content: 'I need the type.\nDEFINITION: Cart' });
    model.respondWith(() => ({ content: 'TITLE: none' }));
    const doc = await editAndSave(workspaceFile('src/cart.ts'), 'discountCode?: string;', 'discountCode?: string; // optional');
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('cart.items.length.toString()'));
    const d = new vscode.Diagnostic(new vscode.Range(line, 8, line, 13), "Type 'string' is not assignable to type 'number'.", vscode.DiagnosticSeverity.Error);
    d.source = 'ts';
    d.code = 2322;
    diagnostics.set(doc.uri, [d]);
    await model.waitForChatRequests(start + 2);
    const [first, second] = model
      .chatRequests()
      .slice(start)
      .map((r) => (r.body as { messages: Array<{ content: string }> }).messages);
    assert.match(first.at(-1)!.content, /Signatures of names used there \(from the language server\):[\s\S]*- \(parameter\) cart: Cart/);
    assert.match(second.at(-1)!.content, /DEFINITION Cart at src\/cart\.ts:1-\d+ \(of \d+ lines\):\n```\nexport interface Cart \{/);
    await waitForSnapshot(api, (x) => x.status.state === 'idle', 'the agent to be idle');
  });

  it('proposes a refactor of a long function once the user has been idle for nightshift.idleSweepMinutes', async () => {
    const body = Array.from({ length: 45 }, (_, i) => `  const part${i} = values[${i}] ?? 0;`).join('\n');
    fs.writeFileSync(workspaceFile('src/report.ts').fsPath, `export function report(values: number[]): number {\n${body}\n  return part0 + part44;\n}\n`);
    model.respondWith((req) =>
      JSON.stringify(req.body).includes('refactor candidate')
        ? { content: ['TITLE: Sum the parts', 'WHY: one expression reads better than 45 names', '<<<<<<< SEARCH', '  return part0 + part44;', '=======', '  return part0 + part44; // the ends', '>>>>>>> REPLACE'].join('\n') }
        : { content: 'TITLE: none' },
    );
    await config().update('idleSweepMinutes', 0.02, vscode.ConfigurationTarget.Global);
    try {
      const s = await waitForSnapshot(api, (x) => x.proposals.some((p) => p.kind === 'refactor'), 'a refactor proposal after idle time');
      const p = s.proposals.find((x) => x.kind === 'refactor')!;
      assert.equal(p.title, 'Sum the parts');
      assert.equal(p.files[0].relativePath, 'src/report.ts');
      const sent = JSON.stringify(model.chatRequests().at(-1)!.body);
      assert.match(sent, /Task: lines 1-48 are a refactor candidate/);
    } finally {
      await config().update('idleSweepMinutes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('escalates a task the background model could not do, on the escalation profile, after quoting its cost', async () => {
    const fix = fixFor('return count;', 'return Number(count);', 'Return the count as a number');
    model.respondWith((req) => ((req.body as { model?: string }).model === 'gpt-5.4' ? { content: fix } : { content: 'TITLE: none' }));
    const earlier = new Set(api.snapshot().escalations.map((e) => e.id));
    const doc = await editAndSave(workspaceFile('src/cart.ts'), 'return count;', 'return count; // the count');
    const line = doc
      .getText()
      .split('\n')
      .findIndex((l) => l.includes('return count;'));
    diagnostics.set(doc.uri, [new vscode.Diagnostic(new vscode.Range(line, 2, line, 14), "Type 'string' is not assignable to type 'number'.", vscode.DiagnosticSeverity.Error)]);
    const fresh = (e: EscalationItem) => e.relativePath === 'src/cart.ts' && !earlier.has(e.id);
    const waiting = await waitForSnapshot(api, (x) => x.escalations.some(fresh), 'the task to wait for escalation');
    const item = waiting.escalations.find(fresh)!;
    assert.equal(item.reason, 'the model found no safe fix');

    const none = await api.quoteEscalation(item.id);
    assert.deepEqual(none, { ok: false, message: 'No escalation profile is chosen. Set nightshift.escalationProfile.', action: 'openSettings' });

    await config().update('profiles', [{ name: 'frontier', baseUrl, model: 'gpt-5.4', local: false }], vscode.ConfigurationTarget.Global);
    await config().update('escalationProfile', 'frontier', vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('nightshift.setApiKey', { profile: 'frontier', key: 'sk-test-frontier' });
    try {
      const before = model.chatRequests().length;
      const quote = await api.quoteEscalation(item.id);
      assert.ok(quote.ok, JSON.stringify(quote));
      assert.equal(quote.model, 'gpt-5.4');
      assert.equal(quote.leftUsd, 400, 'a fifth of the default $2,000 a year');
      assert.ok(quote.estimateUsd! > 0 && quote.worstCaseUsd > quote.estimateUsd!, JSON.stringify(quote));
      assert.equal(model.chatRequests().length, before, 'a quote sends nothing');

      assert.deepEqual(await api.escalateConfirmed(item.id), { ok: true });
      const s = await waitForSnapshot(api, (x) => x.proposals.some((p) => p.title === 'Return the count as a number'), 'the escalated proposal');
      const sent = model.chatRequests().at(-1)!;
      assert.equal((sent.body as { model: string }).model, 'gpt-5.4');
      assert.equal(sent.headers.authorization, 'Bearer sk-test-frontier');
      assert.ok(!s.escalations.some((e) => e.id === item.id), 'it no longer waits');
      const report = await api.budgetReport();
      assert.ok(report.escalationSpentUsd > 0, 'booked against the escalation share');
      await api.rejectProposal(s.proposals.find((p) => p.title === 'Return the count as a number')!.id);
    } finally {
      await config().update('escalationProfile', undefined, vscode.ConfigurationTarget.Global);
      await config().update('profiles', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  describe('the check is a proof, and a proposal stays current', () => {
    const holes = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'ts-holes', 'src');
    const plotUri = () => workspaceFile('src/plot.ts');
    const FAR = 'export const far = distance(origin, typed);';
    const noOp = ['TITLE: Explain the origin', 'WHY: a comment', '<<<<<<< SEARCH', 'const origin = { x: 0, y: 0 };', '=======', '// the origin\nconst origin = { x: 0, y: 0 };', '>>>>>>> REPLACE'].join('\n');
    const breaksRoute = [
      'TITLE: Give distance a unit',
      'WHY: the caller passes strings',
      'FILE: src/shapes.ts',
      '<<<<<<< SEARCH',
      'export function distance(a: Point, b: Point): number {',
      '=======',
      'export function distance(a: Point, b: Point, unit: string): number {',
      '>>>>>>> REPLACE',
      'FILE: src/plot.ts',
      '<<<<<<< SEARCH',
      FAR,
      '=======',
      "export const far = distance(origin, { x: 3, y: 4 }, 'm');",
      '>>>>>>> REPLACE',
    ].join('\n');
    const right = ['TITLE: Pass numbers to distance', 'WHY: x was a string', '<<<<<<< SEARCH', FAR, '=======', 'export const far = distance(origin, { x: 3, y: 4 });', '>>>>>>> REPLACE'].join('\n');

    /** Saves plot.ts with `suffix` at its end and reports TS2345 on `far` as VS Code's TypeScript does: several lines. */
    async function savePlotWithError(suffix: string): Promise<void> {
      const doc = await editAndSave(plotUri(), 'export const again', `${suffix}\nexport const again`);
      const line = doc
        .getText()
        .split('\n')
        .findIndex((l) => l === FAR);
      const d = new vscode.Diagnostic(
        new vscode.Range(line, 36, line, 41),
        "Argument of type '{ x: string; y: number; }' is not assignable to parameter of type 'Point'.\n  Types of property 'x' are incompatible.\n    Type 'string' is not assignable to type 'number'.",
        vscode.DiagnosticSeverity.Error,
      );
      d.source = 'ts';
      d.code = 2345;
      diagnostics.set(doc.uri, [d]);
    }
    /** Resolves when the document holds `text` (VS Code reloads a clean document changed on disk). */
    function reloaded(doc: vscode.TextDocument, text: string): Promise<void> {
      if (doc.getText() === text) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => (sub.dispose(), reject(new Error(`${doc.uri.fsPath} was not reloaded from disk`))), 30_000);
        const sub = vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.document !== doc || doc.getText() !== text) return;
          clearTimeout(timer);
          sub.dispose();
          resolve();
        });
      });
    }
    const waitingFor = (suffix: RegExp) => (x: { escalations: EscalationItem[] }) => x.escalations.some((e) => e.relativePath === 'src/plot.ts' && suffix.test(e.reason));

    before(async () => {
      for (const f of ['shapes.ts', 'route.ts', 'plot.ts']) fs.copyFileSync(path.join(holes, f), workspaceFile(`src/${f}`).fsPath);
      // The workspace's own TypeScript, which the check uses (found once it is installed).
      const modules = workspaceFile('node_modules').fsPath;
      fs.mkdirSync(modules, { recursive: true });
      if (!fs.existsSync(path.join(modules, 'typescript'))) fs.symlinkSync(path.resolve(holes, '..', '..', '..', '..', 'node_modules', 'typescript'), path.join(modules, 'typescript'), 'dir');
      await config().update('baseUrl', baseUrl, vscode.ConfigurationTarget.Global);
    });

    it('never passes an edit that leaves a multi-line error in place: the task waits for escalation', async () => {
      model.respondWith((req) => (req.rawBody.includes('src/plot.ts') ? { content: noOp } : { content: 'TITLE: none' }));
      await savePlotWithError('// one');
      const s = await waitForSnapshot(api, waitingFor(/failed its check 3 times \(The problem is still there/), 'the no-op fix to fail its check');
      assert.ok(!s.proposals.some((p) => p.files.some((f) => f.relativePath === 'src/plot.ts')), 'no proposal for plot.ts');
    });

    it('never passes a signature change that breaks a file the proposal does not touch', async () => {
      model.respondWith((req) => (req.rawBody.includes('src/plot.ts') ? { content: breaksRoute } : { content: 'TITLE: none' }));
      await savePlotWithError('// two');
      const s = await waitForSnapshot(api, waitingFor(/src\/route\.ts: line 5: TS2554/), 'the signature change to fail its check');
      assert.ok(!s.proposals.some((p) => p.files.some((f) => f.relativePath === 'src/plot.ts')));

      // Another tool changes the file on disk: the task made on the old text no longer waits.
      const changed = `${fs.readFileSync(plotUri().fsPath, 'utf8')}// formatted\n`;
      fs.writeFileSync(plotUri().fsPath, changed);
      await waitForSnapshot(api, (x) => !x.escalations.some((e) => e.relativePath === 'src/plot.ts'), 'the file watcher to drop the escalation');
      const doc = await vscode.workspace.openTextDocument(plotUri());
      await reloaded(doc, changed);
    });

    it('passes the right fix, and a change on disk outside the editor makes it stale at once', async () => {
      model.respondWith((req) => (req.rawBody.includes('src/plot.ts') ? { content: right } : { content: 'TITLE: none' }));
      await savePlotWithError('// three');
      const s = await waitForSnapshot(api, (x) => x.proposals.some((p) => p.title === 'Pass numbers to distance'), 'the right fix');
      const p = s.proposals.find((x) => x.title === 'Pass numbers to distance')!;
      assert.equal(p.check?.status, 'passed', JSON.stringify(p.check));
      assert.match(p.check!.detail, /the problem is gone and no new error appeared in plot\.ts\./);

      // Another tool rewrites the line on disk (a checkout, a formatter): no save in the editor.
      const onDisk = fs.readFileSync(plotUri().fsPath, 'utf8');
      fs.writeFileSync(plotUri().fsPath, onDisk.replace(FAR, 'export const far = distance(origin, { x: 5, y: 4 });'));
      const stale = await waitForSnapshot(api, (x) => x.proposals.find((q) => q.id === p.id)?.stale !== undefined, 'the proposal to go stale from the file watcher');
      assert.equal(stale.proposals.find((q) => q.id === p.id)!.stale, 'the file changed where this proposal edits it');
      assert.equal(await api.acceptProposal(p.id), false);
      await api.rejectProposal(p.id);
    });

    it('opens a two-file proposal in the multi-diff editor, whose title Accept (no argument) applies that proposal', async () => {
      const original = fs.readFileSync(path.join(holes, 'plot.ts'), 'utf8');
      fs.writeFileSync(plotUri().fsPath, original);
      await reloaded(await vscode.workspace.openTextDocument(plotUri()), original);
      const title = 'Pass numbers to distance, and say its unit';
      const twoFiles = [
        `TITLE: ${title}`,
        'WHY: x was a string',
        'FILE: src/shapes.ts',
        '<<<<<<< SEARCH',
        'export function distance(a: Point, b: Point): number {',
        '=======',
        "/** In the plot's units. */\nexport function distance(a: Point, b: Point): number {",
        '>>>>>>> REPLACE',
        'FILE: src/plot.ts',
        '<<<<<<< SEARCH',
        FAR,
        '=======',
        'export const far = distance(origin, { x: 3, y: 4 });',
        '>>>>>>> REPLACE',
      ].join('\n');
      model.respondWith((req) => (req.rawBody.includes('src/plot.ts') ? { content: twoFiles } : { content: 'TITLE: none' }));
      await savePlotWithError('// four');
      const s = await waitForSnapshot(api, (x) => x.proposals.some((p) => p.title === title && !p.stale), 'the two-file fix');
      const p = s.proposals.find((x) => x.title === title)!;
      assert.equal(p.files.length, 2);
      await vscode.commands.executeCommand('nightshift.openProposalDiff', p.id);
      const until = Date.now() + 15_000;
      while (!vscode.window.tabGroups.activeTabGroup.activeTab?.label.startsWith(`Nightshift: ${title}`)) {
        assert.ok(Date.now() < until, `the multi-diff editor did not open (active tab: ${vscode.window.tabGroups.activeTabGroup.activeTab?.label})`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // What the title bar's Accept runs: no argument; the active multi-diff tab names the proposal (a quick pick would hang here).
      await vscode.commands.executeCommand('nightshift.acceptProposal');
      await waitForSnapshot(api, (x) => !x.proposals.some((q) => q.id === p.id), 'the accepted proposal to leave the list');
      assert.match(fs.readFileSync(plotUri().fsPath, 'utf8'), /distance\(origin, \{ x: 3, y: 4 \}\)/);
      assert.match(fs.readFileSync(workspaceFile('src/shapes.ts').fsPath, 'utf8'), /In the plot's units/);
    });
  });
  it('applies the team policy without a restart: a broken one pauses everything with its file and line, a fixed one lets work go on', async () => {
    const policyFile = workspaceFile('.nightshift/policy.json').fsPath;
    try {
      assert.notEqual(api.snapshot().status.state, 'paused');
      fs.mkdirSync(path.dirname(policyFile), { recursive: true });
      fs.writeFileSync(policyFile, '{\n  "budget": { "dailyCap": 1 }\n}\n');
      // Waits for the finished file's reading: a look while the file is being written may see less of it.
      const paused = await waitForSnapshot(api, (x) => x.status.state === 'paused' && /dailyCap/.test(x.status.detail ?? ''), 'a broken policy to pause the agent');
      assert.match(paused.status.detail, /^The team policy cannot be used, so background work is paused until it is fixed: \.nightshift\/policy\.json:2:15: "budget\.dailyCap" is not a policy rule/);
      await vscode.commands.executeCommand('nightshift.resume');
      assert.equal(api.snapshot().status.state, 'paused', 'Resume does not go past a broken policy');
      fs.writeFileSync(policyFile, JSON.stringify({ budget: { dailyCapUsd: 1 } }, null, 2));
      await waitForSnapshot(api, (x) => x.status.state !== 'paused', 'the fixed policy to let work go on');
      // The panel's Policy section: the rule, its value and the file and line that set it.
      const shown = await waitForSnapshot(api, (x) => x.budget?.policy?.some((r) => r.rule === 'budget: daily cap USD' && r.value === '1') === true, 'the Policy section to show the daily cap');
      assert.match(shown.budget!.policy!.find((r) => r.rule === 'budget: daily cap USD')!.setBy, /policy\.json:3:5 \(budget\.dailyCapUsd, repository policy\)$/);
    } finally {
      // Later tests must not inherit a broken policy.
      fs.rmSync(path.dirname(policyFile), { recursive: true, force: true });
    }
  });
});
