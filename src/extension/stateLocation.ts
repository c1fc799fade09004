/**
 * Where this window's server keeps its state: the user's Nightshift state folder, shared with
 * every other window and the headless host (one ledger, one budget; a workspace's proposals are
 * the same whichever host found them). State an earlier version kept in VS Code's own storage is
 * copied over once, so nothing is lost.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as vscode from 'vscode';
import { userStateDir, workspaceStateDir } from '../core/stateDirs';

function copyMissing(from: string | undefined, to: string, names: readonly string[]): void {
  if (!from) return;
  for (const name of names) {
    const source = path.join(from, name);
    const target = path.join(to, name);
    try {
      if (!fs.existsSync(source) || fs.existsSync(target)) continue;
      fs.mkdirSync(to, { recursive: true });
      fs.cpSync(source, target, { recursive: true, errorOnExist: false, force: false });
    } catch {
      // Left where it was; the old copy is never deleted.
    }
  }
}

export function stateLocation(context: vscode.ExtensionContext, folders: readonly string[]): { stateDir: string; workspaceStateDir: string | undefined } {
  const stateDir = userStateDir();
  const workspace = folders[0] ? workspaceStateDir(stateDir, folders[0]) : context.storageUri?.fsPath;
  copyMissing(context.globalStorageUri.fsPath, stateDir, ['ledger']);
  if (workspace && folders[0]) copyMissing(context.storageUri?.fsPath, workspace, ['proposals.json', 'escalations.json']);
  return { stateDir, workspaceStateDir: workspace };
}
