/**
 * The check is a proof inside the real extension host: an answer that leaves a multi-line error, or
 * breaks a file the proposal does not touch, never passes; the right one does and goes stale when the
 * file changes on disk; a two-file proposal opens in the multi-diff editor. Each test starts from the
 * ts-holes fixture's own files (see agentHarness.ts for the rest of the fresh state).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { NightshiftApi } from '../../src/extension/Nightshift';
import type { EscalationItem } from '../../src/shared/types';
import { useAgentHarness } from './agentHarness';
import { editAndSave, waitForSnapshot, workspaceFile } from './helpers';

describe('the check is a proof, and a proposal stays current', function () {
  const h = useAgentHarness();
  const { model, diagnostics } = h;
  let api: NightshiftApi;
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
  const waitingFor = (suffix: RegExp) => (x: { escalations: EscalationItem[] }) => x.escalations.some((e) => e.relativePath === 'src/plot.ts' && !earlier.has(e.id) && suffix.test(e.reason));

  before(() => {
    api = h.api;
    // The workspace's own TypeScript, which the check uses (found once it is installed).
    const modules = workspaceFile('node_modules').fsPath;
    fs.mkdirSync(modules, { recursive: true });
    if (!fs.existsSync(path.join(modules, 'typescript'))) fs.symlinkSync(path.resolve(holes, '..', '..', '..', '..', 'node_modules', 'typescript'), path.join(modules, 'typescript'), 'dir');
  });

  // Each test starts from the fixture's own three files, and looks only at escalations it made.
  let earlier = new Set<string>();
  beforeEach(async () => {
    for (const f of ['shapes.ts', 'route.ts', 'plot.ts']) await h.setText(`src/${f}`, fs.readFileSync(path.join(holes, f), 'utf8'));
    earlier = new Set(api.snapshot().escalations.map((e) => e.id));
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
    await waitForSnapshot(api, (x) => !x.escalations.some((e) => e.relativePath === 'src/plot.ts' && !earlier.has(e.id)), 'the file watcher to drop the escalation');
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
