/** Helpers for tests that run inside the extension host. */
import * as vscode from 'vscode';
import type { NightshiftApi } from '../../src/extension/Nightshift';
import type { PanelSnapshot } from '../../src/shared/panelProtocol';

export async function activateNightshift(): Promise<NightshiftApi> {
  const ext = vscode.extensions.getExtension<NightshiftApi>('nightshift.nightshift');
  if (!ext) throw new Error('The Nightshift extension is not installed in this host.');
  return ext.activate();
}

/** Resolves with the first snapshot (now or later) that satisfies `predicate`. */
export function waitForSnapshot(api: NightshiftApi, predicate: (s: PanelSnapshot) => boolean, what: string): Promise<PanelSnapshot> {
  const now = api.snapshot();
  if (predicate(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`Timed out waiting for ${what}; last status: ${JSON.stringify(api.snapshot().status)}`));
    }, 60_000);
    const sub = api.onDidChangeSnapshot((s) => {
      if (!predicate(s)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(s);
    });
  });
}

export function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The integration tests need a workspace folder.');
  return vscode.Uri.joinPath(folder.uri, relative);
}

/** Replaces `from` with `to` in the file's editor and saves, as a user would. */
export async function editAndSave(uri: vscode.Uri, from: string, to: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(doc);
  const at = doc.getText().indexOf(from);
  if (at < 0) throw new Error(`"${from}" is not in ${uri.fsPath}`);
  await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)), to));
  await doc.save();
  return doc;
}

/** Resolves once `condition` holds, looking every 50 ms; fails naming `what` after 60 s. */
export async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
