/**
 * The way in: the walkthrough's commands and the context keys that mark its steps done. Choose a
 * backend (a MiniMax key, a local server, a gateway), test it with a one-token call and see what
 * it cost, set the annual budget and see what it buys, pick an escalation model or skip, and
 * accept a first fix on a sample file.
 */
import * as vscode from 'vscode';
import { whatItBuys } from '../core/budget/whatItBuys';
import { priceFor } from '../core/providers/pricing';
import { rawProfiles } from './rawProfiles';
import { formatUsd } from '../shared/format';
import type { AgentModel } from './AgentModel';
import type { AgentClient } from './AgentClient';
import { settingDefault } from '../shared/settingsSchema';

export const WALKTHROUGH_ID = 'nightshift.nightshift#nightshift.firstFix';

const setContext = (key: string, value: boolean) => vscode.commands.executeCommand('setContext', key, value);

/** Keeps the walkthrough's context keys true to the agent's state. */
export function trackSteps(model: AgentModel): vscode.Disposable {
  let ready: boolean | undefined;
  return model.onDidChange(({ status }) => {
    const now = status.state === 'idle' || status.state === 'working';
    if (now !== ready) void setContext('nightshift.backendReady', (ready = now));
  });
}

export async function testConnectionCommand(client: AgentClient, log: vscode.LogOutputChannel): Promise<void> {
  const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Nightshift: testing the connection (one token)…' }, () => client.testConnection());
  if (!result.ok) {
    log.warn(`Connection test: ${result.message}`);
    // A next step for every failure: the key, the backend's settings (base URL, model, profile), or the log.
    const pick = await vscode.window.showErrorMessage(`The connection test did not pass: ${result.message}`, ...(result.action === 'setApiKey' ? ['Set API Key'] : []), 'Open Settings', 'Show Log');
    if (pick === 'Set API Key') await vscode.commands.executeCommand('nightshift.setApiKey');
    else if (pick === 'Open Settings') await vscode.commands.executeCommand('nightshift.openSettings');
    else if (pick === 'Show Log') log.show();
    return;
  }
  const cost = result.costUsd === null ? 'an unknown cost' : result.costUsd === 0 ? 'nothing' : formatUsd(result.costUsd);
  const line = `${result.backend} (${result.model}) answered in ${(result.latencyMs / 1000).toFixed(1)} s; the call (${result.inputTokens} in / ${result.outputTokens} out tokens) cost ${cost}, booked in the ledger.`;
  log.info(`Connection test: ${line}`);
  await setContext('nightshift.connectionTested', true);
  void vscode.window.showInformationMessage(`Connected: ${line}`);
}

/** Asks for the annual budget and says what it buys at the background model's price. */
export async function setBudgetCommand(): Promise<void> {
  const config = vscode.workspace.getConfiguration('nightshift');
  const current = config.get<number>('budget.annualUsd', settingDefault('budget.annualUsd'));
  const share = config.get<number>('budget.escalationShare', settingDefault('budget.escalationShare'));
  const text = await vscode.window.showInputBox({
    title: 'Nightshift: annual budget (USD)',
    prompt: 'What Nightshift may spend in a year, background and escalation together. It is paced over the year.',
    value: String(current),
    // Opened from the walkthrough, whose page takes the focus back a moment later.
    ignoreFocusOut: true,
    validateInput: (v) => (/^\s*\d+(\.\d+)?\s*$/.test(v) && Number(v) <= 1_000_000 ? undefined : 'A number of dollars, up to 1,000,000'),
  });
  if (text === undefined) return;
  const annual = Number(text);
  await config.update('budget.annualUsd', annual, vscode.ConfigurationTarget.Global);
  const chosen = rawProfiles().find((p) => p.name === config.get<string>('backgroundProfile', settingDefault('backgroundProfile')));
  const model = chosen?.model ?? (config.get<string>('model', settingDefault('model')) || settingDefault('model'));
  const own = chosen?.price;
  // The profile's own price (USD per million tokens), else the table's, else M2.7's.
  const price = own ? { inputPerM: own.input, cachedInputPerM: own.cachedInput ?? own.input, outputPerM: own.output } : (priceFor(model) ?? priceFor(settingDefault('model'))!);
  const buys = whatItBuys(annual, share, price);
  const many = Number.isFinite(buys.proposalsPerDay) ? `about ${buys.proposalsPerDay.toLocaleString('en-US')} proposals a day` : 'as many proposals as it can make (the model is free)';
  void vscode.window.showInformationMessage(`Budget set to ${formatUsd(annual)} a year: ${formatUsd(buys.perDayUsd)} a day for background work, which on ${model} buys ${many} (a typical proposal: ${formatUsd(buys.proposalCostUsd)}).`);
}

/** Picks the escalation profile among the configured ones, or none. */
export async function chooseEscalationCommand(): Promise<void> {
  const config = vscode.workspace.getConfiguration('nightshift');
  const background = config.get<string>('backgroundProfile', settingDefault('backgroundProfile'));
  const items: Array<vscode.QuickPickItem & { name?: string }> = [
    ...rawProfiles()
      .filter((p) => p.name !== background)
      .map((p) => ({ label: p.name, description: [p.model, p.baseUrl].filter(Boolean).join(' · '), name: p.name })),
    { label: 'Skip: no escalation', description: 'Nightshift stays on the background model; hard tasks wait in "Needs a Stronger Model".', name: '' },
    { label: 'Add a profile in Settings…', description: 'OpenAI, Anthropic, OpenRouter or any OpenAI-compatible server' },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Nightshift: the model hard tasks are escalated to (the cost is always shown first)', ignoreFocusOut: true });
  if (!picked) return;
  if (picked.name === undefined) {
    await vscode.commands.executeCommand('workbench.action.openSettings', 'nightshift.profiles');
    return;
  }
  await config.update('escalationProfile', picked.name, vscode.ConfigurationTarget.Global);
  await setContext('nightshift.escalationChosen', true);
}

const SAMPLE = `// A sample with a real error, for Nightshift's first fix. Save this file (Ctrl+S / Cmd+S):
// once the error has settled, a proposed fix appears in the Nightshift view. Accept it there,
// or with the lightbulb (Ctrl+.) on the error.
export interface Order {
  items: number[];
}

export function orderSize(order: Order): number {
  const size: number = order.items.length.toString();
  return size;
}
`;

/** Writes the sample into the workspace (nightshift-sample/first-fix.ts: delete it when done) and opens it. */
export async function openSampleCommand(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    void vscode.window.showInformationMessage('Open a folder first: the sample is written into it (as nightshift-sample/first-fix.ts).');
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, 'nightshift-sample', 'first-fix.ts');
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(SAMPLE));
  }
  await vscode.window.showTextDocument(uri, { preview: false });
}

export function openWalkthroughCommand(): Thenable<unknown> {
  return vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
}
