/** "Nightshift: Show Budget Report" and "Nightshift: Export Spend Ledger". */
import * as vscode from 'vscode';
import { formatUsd } from '../shared/format';
import type { BudgetReport } from '../shared/types';
import type { AgentClient } from './AgentClient';

export function budgetReportLines(r: BudgetReport): string[] {
  const date = (iso: string) => iso.slice(0, 10);
  return [
    `Budget year ${date(r.yearStart)} to ${date(r.yearEnd)} (UTC days):`,
    `  spent today ${formatUsd(r.spentTodayUsd)}, this month ${formatUsd(r.spentMonthUsd)}, this year ${formatUsd(r.spentYearUsd)}`,
    `  background ${formatUsd(r.backgroundSpentUsd)} of ${formatUsd(r.backgroundBudgetUsd)} (allowance to date ${formatUsd(r.allowanceToDateUsd)}); escalation ${formatUsd(r.escalationSpentUsd)} of ${formatUsd(r.escalationBudgetUsd)}`,
    `  burn ${formatUsd(r.burnPerDayUsd)}/day over the last 7 days; projected year end ${formatUsd(r.projectedYearEndUsd)}; runway ${r.runwayDate ? `until ${date(r.runwayDate)}` : 'the whole year'}`,
    `  saved vs ${r.frontierModel}: ${formatUsd(r.savedVsFrontierUsd)}`,
    ...r.byKind.map((k) => `  ${k.name}: ${formatUsd(k.usd)} over ${k.calls} calls, ${k.accepted} accepted${k.costPerAcceptedUsd === null ? '' : ` (${formatUsd(k.costPerAcceptedUsd)} each)`}`),
    ...r.byModel.map((m) => `  model ${m.name}: ${formatUsd(m.usd)} over ${m.calls} calls`),
    ...(r.ledgerProblems > 0 ? [`  ${r.ledgerProblems} unreadable ledger line(s) were skipped; see the log.`] : []),
  ];
}

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
    defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()), `nightshift-spend.${format.format}`),
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
