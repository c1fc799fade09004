/**
 * "Checked" means right, in a real extension host: a window on two projects with real tests
 * (test/fixtures/tested-vitest and tested-jest, each a git repository) and a Python package (python-pkg: pyright, pytest). The model's right answer
 * becomes a *tested* proposal — the project's own vitest or jest ran the tests that reach it — and
 * is the preferred quick fix; a wrong answer that type-checks never shows; an answer that silences
 * the error, given twice, shows labelled and is never the preferred quick fix nor counted.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NightshiftApi } from '../../../src/extension/Nightshift';
import { countsAsChecked, evidenceOf } from '../../../src/shared/evidence';
import type { Proposal } from '../../../src/shared/types';
import { FakeModelServer } from '../../fakes/fakeModelServer';
import { activateNightshift, waitForSnapshot } from '../helpers';

const INVOICE_LINE = 'const discounted = applyDiscount(subtotal);';
const SUMMARY_LINE = 'excerpt: truncate(clean),';
const answer = (search: string, replace: string, indent: string) => ['TITLE: Pass the missing argument', 'WHY: the function takes one more argument', '<<<<<<< SEARCH', `${indent}${search}`, '=======', `${indent}${replace}`, '>>>>>>> REPLACE'].join('\n');

function folder(name: string): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.find((w) => w.name === name);
  if (!f) throw new Error(`The window has no folder ${name}: ${vscode.workspace.workspaceFolders?.map((w) => w.name).join(', ')}`);
  return f;
}

describe('tested proposals in a real extension host (real vitest and jest)', function () {
  const model = new FakeModelServer();
  const diagnostics = vscode.languages.createDiagnosticCollection('tested-integration');
  const config = () => vscode.workspace.getConfiguration('nightshift');
  let api: NightshiftApi;

  /** Saves the file and reports the checker's error on `line`, as the TypeScript extension (or Pylance) would. */
  async function settle(uri: vscode.Uri, line: string, code: number | string, message: string, source = 'ts', severity = vscode.DiagnosticSeverity.Error): Promise<vscode.Range> {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf(line);
    assert.ok(at >= 0, `"${line}" is in ${uri.fsPath}`);
    const range = new vscode.Range(doc.positionAt(at), doc.positionAt(at + line.length));
    const d = new vscode.Diagnostic(range, message, severity);
    d.source = source;
    d.code = code;
    diagnostics.set(uri, [d]);
    // An edit and a save, as a user makes: the settled problems are sent after a save.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, doc.positionAt(doc.getText().length), '\n');
    await vscode.workspace.applyEdit(edit);
    await doc.save();
    return range;
  }

  const proposalFor = (file: string) => (p: Proposal) => p.files.some((f) => f.uri.endsWith(file)) || (p.targetUri ?? '').endsWith(file);

  before(async () => {
    const url = await model.start();
    model.respondWith((req) => {
      const body = JSON.stringify(req.body);
      if (body.includes('invoice.ts')) return { content: answer(INVOICE_LINE, 'const discounted = applyDiscount(subtotal, invoice.discount);', '  ') };
      // Every answer for summary.ts silences the error: asked again, it answers the same.
      if (body.includes('summary.ts')) return { content: answer(SUMMARY_LINE, `// @ts-expect-error max is optional\n    ${SUMMARY_LINE}`, '    ') };
      if (body.includes('qty')) return { content: answer('return sum(i.qty for i in self.items)', 'return sum(i.quantity for i in self.items)', '        ') };
      return { content: 'TITLE: none' };
    });
    await config().update('settleDelayMs', 100, vscode.ConfigurationTarget.Global);
    await config().update('baseUrl', url, vscode.ConfigurationTarget.Global);
    api = await activateNightshift();
    await api.agentStarted;
  });

  after(async () => {
    diagnostics.dispose();
    await config().update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await model.close();
  });

  it('shows the right answer as tested by the project’s own vitest tests, and offers it as the preferred quick fix', async () => {
    const uri = vscode.Uri.joinPath(folder('tested-vitest').uri, 'src', 'invoice.ts');
    const range = await settle(uri, 'applyDiscount(subtotal)', 2554, 'Expected 2 arguments, but got 1.');
    const s = await waitForSnapshot(api, (x) => x.proposals.some(proposalFor('src/invoice.ts')), 'a proposal for invoice.ts');
    const p = s.proposals.find(proposalFor('src/invoice.ts'))!;
    assert.equal(evidenceOf(p.check), 'tested', JSON.stringify(p.check));
    assert.match(p.check!.detail, /tests? in .*invoice\.test\.ts.* pass .*vitest/);
    assert.ok(countsAsChecked(p.check));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);
    const ours = actions.filter((a) => a.title.startsWith('Nightshift'));
    assert.ok(
      ours.some((a) => a.isPreferred && /tested/.test(a.title)),
      JSON.stringify(ours.map((a) => [a.title, a.isPreferred])),
    );
  });

  it('shows the right answer to a Python error (as Pylance reports it) as tested: pyright proves it gone, the pytest tests reaching it pass', async () => {
    const uri = vscode.Uri.joinPath(folder('python-pkg').uri, 'shop', 'cart.py');
    await settle(uri, 'qty for i', 'reportAttributeAccessIssue', 'Cannot access attribute "qty" for class "Item"\n  Attribute "qty" is unknown', 'Pylance');
    const s = await waitForSnapshot(api, (x) => x.proposals.some(proposalFor('shop/cart.py')), 'a proposal for cart.py');
    const p = s.proposals.find(proposalFor('shop/cart.py'))!;
    assert.equal(evidenceOf(p.check), 'tested', JSON.stringify(p.check));
    assert.match(p.check!.detail, /Checked with pyright [\d.]+ .*the problem is gone/);
    assert.match(p.check!.detail, /2 tests in test_cart\.py pass .*pytest/);
    assert.ok(countsAsChecked(p.check));
  });

  it('offers Ruff’s safe fix for a Ruff problem (as the Ruff extension reports it, a warning) free, proved by Ruff and tested by pytest', async () => {
    const uri = vscode.Uri.joinPath(folder('python-pkg').uri, 'shop', 'pricing.py');
    const text = (await vscode.workspace.fs.readFile(uri)).toString();
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`import os\n${text}`));
    // The fixture's own bug (cart.py's qty) fixed first: the tests reaching pricing.py then pass on the base.
    const cart = vscode.Uri.joinPath(folder('python-pkg').uri, 'shop', 'cart.py');
    await vscode.workspace.fs.writeFile(cart, Buffer.from((await vscode.workspace.fs.readFile(cart)).toString().replace('i.qty', 'i.quantity')));
    const before = model.chatRequests().length;
    await config().update('includeWarnings', true, vscode.ConfigurationTarget.Global);
    try {
      await settle(uri, 'os', 'F401', '`os` imported but unused', 'Ruff', vscode.DiagnosticSeverity.Warning);
      const s = await waitForSnapshot(api, (x) => x.proposals.some(proposalFor('shop/pricing.py')), 'a proposal for pricing.py');
      const p = s.proposals.find(proposalFor('shop/pricing.py'))!;
      assert.match(p.model, /^Ruff \d+\.\d+\.\d+/);
      assert.equal(p.costUsd, 0);
      assert.equal(evidenceOf(p.check), 'tested', JSON.stringify(p.check));
      assert.match(p.check!.detail, /Checked with Ruff [\d.]+: the problem is gone/);
      assert.match(p.check!.detail, /tests? in .*test_pricing\.py.* pass.*pytest/);
      assert.equal(model.chatRequests().length, before, 'no model was asked');
    } finally {
      await config().update('includeWarnings', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('shows an answer that silences the error (given twice) labelled, never preferred or counted (jest project)', async () => {
    const uri = vscode.Uri.joinPath(folder('tested-jest').uri, 'src', 'summary.ts');
    const before = model.chatRequests().length;
    const range = await settle(uri, 'truncate(clean)', 2554, 'Expected 2-3 arguments, but got 1.');
    const s = await waitForSnapshot(api, (x) => x.proposals.some(proposalFor('src/summary.ts')), 'a proposal for summary.ts');
    const p = s.proposals.find(proposalFor('src/summary.ts'))!;
    assert.equal(evidenceOf(p.check), 'silences the error', JSON.stringify(p.check));
    assert.ok(!countsAsChecked(p.check, true), 'not even when type-checked ones count');
    assert.equal(model.chatRequests().length - before, 2, 'sent back once with the reason');
    assert.match(JSON.stringify(model.chatRequests()[before + 1].body), /silences the problem instead of fixing it/);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range);
    const ours = actions.filter((a) => a.title.startsWith('Nightshift'));
    assert.ok(ours.length > 0 && ours.every((a) => !a.isPreferred), JSON.stringify(ours.map((a) => [a.title, a.isPreferred])));
    assert.ok(ours.some((a) => /silences the error/.test(a.title)));
  });
});
