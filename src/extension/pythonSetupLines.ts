/**
 * The Activity view's Python lines: for each workspace folder holding Python, the interpreter the
 * checks use (the Python extension's python.defaultInterpreterPath, a .venv, PATH; one inside an
 * untrusted folder never) and what checks with it. Read again at most every 10 s (the view asks on
 * every change of the agent's state).
 */
import * as vscode from 'vscode';
import { describePythonSetup, type PythonSetupLine } from '../core/verify/python/pythonSetup';
import { bundledRuff } from './ruffExtension';

const FRESH_MS = 10_000;
let last: { at: number; lines: PythonSetupLine[] } | undefined;

export function pythonSetupLines(): PythonSetupLine[] {
  if (last && Date.now() - last.at < FRESH_MS) return last.lines;
  const lines = (vscode.workspace.workspaceFolders ?? []).flatMap((folder) => {
    if (folder.uri.scheme !== 'file') return [];
    const configured = vscode.workspace.getConfiguration('python', folder.uri).get<string>('defaultInterpreterPath');
    const ruffBundled = bundledRuff();
    return describePythonSetup(folder.uri.fsPath, { configured, trusted: vscode.workspace.isTrusted, ...(ruffBundled ? { ruffBundled } : {}) }) ?? [];
  });
  last = { at: Date.now(), lines };
  return lines;
}
