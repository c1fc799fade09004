/** "Nightshift: Show Budget Report" and "Nightshift: Export Spend Ledger". */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { budgetReportLines } from '../core/budget/budgetReportLines';
import type { AgentClient } from './AgentClient';

export async function showBudgetReport(client: AgentClient, log: vscode.LogOutputChannel): Promise<void> {
  for (const line of budgetReportLines(await client.budgetReport())) log.info(line);
  log.show(true);
}

export async function exportLedger(client: AgentClient): Promise<void> {
  const format = await vscode.window.showQuickPick(
    [
      { label: 'CSV', description: 'one row per call or decision', format: 'csv' as const },
      { label: 'JSON', description: 'calls and decisions as arrays', format: 'json' as const },
    ],
    { title: 'Nightshift: export the spend ledger as' },
  );
  if (!format) return;
  const target = await vscode.window.showSaveDialog({
    title: 'Export the Nightshift spend ledger',
    // Never into the project (a ledger is not the repository's to commit): Downloads, else the home folder.
    defaultUri: vscode.Uri.file(path.join(exportFolder(), `nightshift-spend.${format.format}`)),
    filters: format.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
  });
  if (!target) return;
  try {
    const { calls, decisions } = await client.exportLedger(format.format, target.fsPath);
    void vscode.window.showInformationMessage(`Nightshift exported ${calls} calls and ${decisions} decisions to ${target.fsPath}.`);
  } catch (err) {
    void vscode.window.showErrorMessage(`Nightshift could not export the ledger: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Where an export is offered first: the user's Downloads folder where there is one, else the home folder. */
export function exportFolder(home = os.homedir(), exists: (p: string) => boolean = fs.existsSync): string {
  const downloads = path.join(home, 'Downloads');
  return exists(downloads) ? downloads : home;
}
