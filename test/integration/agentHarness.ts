/**
 * What every test of the main window shares: the loopback model server, a DiagnosticCollection of
 * the test's own that plays the language server (so timing is ours), and a fresh state before each
 * test — the user's settings back to a local server, no key stored, no pause, nothing queued, no
 * proposal left, no problem reported — so that no test leans on what an earlier one left behind.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { NightshiftApi } from '../../src/extension/Nightshift';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { activateNightshift, waitForSnapshot, workspaceFile } from './helpers';

export const BAD = 'let total: number = "0";';
export const GOOD = 'let total = 0;';

/** A file of the test's own, holding one function whose `let total = 0;` a test can break. */
export const totalling = (name: string): string => `export function ${name}(prices: number[]): number {\n  let total = 0;\n  for (const p of prices) total += p;\n  return total;\n}\n`;

/** A model answer replacing `search` with `replace`, each indented by two spaces unless `indent` is ''. */
export function fixFor(search: string, replace: string, title: string, indent = '  '): string {
  return [`<think>the literal has the wrong type</think>TITLE: ${title}`, 'WHY: a string literal was assigned to a number.', '<<<<<<< SEARCH', `${indent}${search}`, '=======', `${indent}${replace}`, '>>>>>>> REPLACE'].join('\n');
}

/** The profiles tests store keys for, cleared before each test. */
const KEYS_TESTS_STORE = ['default', 'remote', 'frontier'] as const;

/** The settings tests change, put back before each test (undefined: the default). */
const SETTINGS_TESTS_CHANGE = ['profiles', 'backgroundProfile', 'escalationProfile', 'idleSweepMinutes'] as const;

export interface AgentHarness {
  readonly model: FakeModelServer;
  readonly diagnostics: vscode.DiagnosticCollection;
  readonly api: NightshiftApi;
  /** The loopback server's base URL (…/v1). */
  readonly baseUrl: string;
  config(): vscode.WorkspaceConfiguration;
  /** Reports `message` as a TypeScript error on `text` in the document, as a language server would. */
  reportError(doc: vscode.TextDocument, text: string, message?: string, code?: number): void;
  /** Gives a workspace file exactly `text`, through its editor when it is open, saved. */
  setText(relative: string, text: string): Promise<vscode.TextDocument>;
  /** The chat requests since `start` that carry `marker` (a path, a line) in their body. */
  callsWith(marker: string, start?: number): number;
}

/** Registers the shared server, activation and per-test reset in the calling `describe`. */
export function useAgentHarness(): AgentHarness {
  const model = new FakeModelServer();
  const diagnostics = vscode.languages.createDiagnosticCollection('integration-test');
  const config = () => vscode.workspace.getConfiguration('nightshift');
  const h = {
    model,
    diagnostics,
    api: undefined as unknown as NightshiftApi,
    baseUrl: '',
    config,
    reportError(doc: vscode.TextDocument, text: string, message = "Type 'string' is not assignable to type 'number'.", code = 2322): void {
      const at = doc.getText().indexOf(text);
      assert.ok(at >= 0, `"${text}" is not in the document`);
      const d = new vscode.Diagnostic(new vscode.Range(doc.positionAt(at), doc.positionAt(at + text.length)), message, vscode.DiagnosticSeverity.Error);
      d.source = 'ts';
      d.code = code;
      diagnostics.set(doc.uri, [d]);
    },
    async setText(relative: string, text: string): Promise<vscode.TextDocument> {
      const uri = workspaceFile(relative);
      if (!fs.existsSync(uri.fsPath)) {
        await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
        return vscode.workspace.openTextDocument(uri);
      }
      // Through the editor: a write on disk under an open document reaches it only later.
      const doc = await vscode.workspace.openTextDocument(uri);
      if (doc.getText() !== text) {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
        assert.ok(await vscode.workspace.applyEdit(edit), `${relative} could not be edited`);
      }
      if (doc.isDirty) await doc.save();
      return doc;
    },
    callsWith(marker: string, start = 0): number {
      return model
        .chatRequests()
        .slice(start)
        .filter((r) => r.rawBody.includes(marker)).length;
    },
  };

  before(async () => {
    h.baseUrl = await model.start();
    await config().update('settleDelayMs', 100, vscode.ConfigurationTarget.Global);
    h.api = await activateNightshift();
    await h.api.agentStarted;
  });

  beforeEach(async () => {
    diagnostics.clear();
    model.respondWith(() => ({ content: 'TITLE: none' }));
    await config().update('baseUrl', h.baseUrl, vscode.ConfigurationTarget.Global);
    for (const name of SETTINGS_TESTS_CHANGE) await config().update(name, undefined, vscode.ConfigurationTarget.Global);
    // No key stored by an earlier test (with the profiles gone, the command asks for none).
    for (const profile of KEYS_TESTS_STORE) await vscode.commands.executeCommand('nightshift.clearApiKey', profile);
    if (h.api.snapshot().status.state === 'paused') await vscode.commands.executeCommand('nightshift.resume');
    await waitForSnapshot(h.api, (x) => x.status.state === 'idle' && x.status.queued === 0, 'the agent to be idle, nothing queued, before the test');
    for (const p of h.api.snapshot().proposals) await h.api.rejectProposal(p.id);
  });

  afterEach(async () => {
    // What a test leaves on screen is not the next one's: its problems and its editors go.
    diagnostics.clear();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    diagnostics.dispose();
    await model.close();
  });

  return h;
}
