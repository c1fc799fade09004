/**
 * Escalating a task to the frontier model, with its cost shown before anything is spent: the
 * likely cost, the most one call can cost, and what is left of the year's escalation share.
 */
import * as vscode from 'vscode';
import { formatUsd } from '../shared/format';
import type { EscalationItem, EscalationQuote } from '../shared/types';
import type { AgentClient } from './AgentClient';

const KIND: Record<string, string> = { fix: 'fix', todo: 'marker comment', review: 'review', refactor: 'refactor' };

/** The confirmation text for a quote. */
export function quoteMessage(item: EscalationItem, quote: Extract<EscalationQuote, { ok: true }>): string {
  const likely = quote.estimateUsd === null ? 'an unknown amount' : `about ${formatUsd(quote.estimateUsd)}`;
  return `Escalate the ${KIND[item.kind] ?? item.kind} for ${item.relativePath} to ${quote.model} (${quote.backend})? ` + `Likely ${likely}; one call costs at most ${formatUsd(quote.worstCaseUsd)}. ` + `The escalation budget has ${formatUsd(quote.leftUsd)} left this year.`;
}

/** Shows the quote and escalates on the user's word; true when the task was sent. */
export async function escalateWithQuote(client: AgentClient, item: EscalationItem): Promise<boolean> {
  const quote = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Nightshift: working out what escalation would cost…' }, () => client.quoteEscalation(item.id));
  if (!quote.ok) {
    const picked = await vscode.window.showWarningMessage(`Nightshift cannot escalate this: ${quote.message}`, ...(quote.action === 'openSettings' ? ['Open Settings'] : quote.action === 'setApiKey' ? ['Set API Key'] : []));
    if (picked === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'nightshift.escalationProfile');
    else if (picked === 'Set API Key') await vscode.commands.executeCommand('nightshift.setApiKey');
    return false;
  }
  const go = await vscode.window.showWarningMessage(quoteMessage(item, quote), { modal: true, detail: `Why it waits: ${item.reason}.` }, 'Escalate');
  if (go !== 'Escalate') return false;
  return (await client.escalate(item.id)).ok;
}

/** The command: pick one of the waiting tasks, then the quote. */
export async function pickAndEscalate(client: AgentClient, items: EscalationItem[]): Promise<void> {
  if (items.length === 0) {
    void vscode.window.showInformationMessage('Nightshift: no task waits for escalation. Tasks the background model cannot do are listed here.');
    return;
  }
  const picked = await vscode.window.showQuickPick(
    items.map((item) => ({ label: `${KIND[item.kind] ?? item.kind}: ${item.relativePath}`, detail: item.reason, item })),
    { title: 'Escalate a task to the escalation profile', placeHolder: 'The cost is shown before anything is spent' },
  );
  if (picked) await escalateWithQuote(client, picked.item);
}
