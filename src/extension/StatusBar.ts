/** One status bar item: the agent's state, open proposals and today's spend. Click: the panel. */
import * as vscode from 'vscode';
import { formatUsd } from '../shared/format';
import type { AgentState } from '../shared/types';
import type { AgentModel } from './AgentModel';

const ICONS: Record<AgentState, string> = {
  starting: '$(loading~spin)',
  idle: '$(pulse)',
  working: '$(sync~spin)',
  paused: '$(debug-pause)',
  error: '$(error)',
  needsSetup: '$(gear)',
  untrusted: '$(workspace-untrusted)',
};

const LABELS: Record<AgentState, string> = {
  starting: 'starting',
  idle: 'idle',
  working: 'working',
  paused: 'paused',
  error: 'error',
  needsSetup: 'needs setup',
  untrusted: 'not running (untrusted workspace)',
};

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('nightshift.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly model: AgentModel) {
    this.item.name = 'Nightshift';
    this.item.command = 'nightshift.openPanel';
    this.subscription = model.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  private render(): void {
    const { status, host } = this.model.snapshot();
    const proposals = this.model.waiting();
    const count = proposals.length > 0 ? ` · ${proposals.length}` : '';
    this.item.text = `${ICONS[status.state]} Nightshift${host ? ' (daemon)' : ''}${count} · ${formatUsd(status.spendTodayUsd)} today`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Nightshift: ${LABELS[status.state]}**\n\n${escapeMarkdown(status.detail)}\n\n` + `${proposals.length} open proposal(s) · ${formatUsd(status.spendTodayUsd)} spent today\n\n` + (host ? `Runs in ${escapeMarkdown(host)}: it keeps working when this window closes.` : 'Runs in this window.'),
    );
    this.item.backgroundColor = status.state === 'error' || status.state === 'needsSetup' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.accessibilityInformation = { label: `Nightshift ${LABELS[status.state]}, ${proposals.length} proposals` };
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
