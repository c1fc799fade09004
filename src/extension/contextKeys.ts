/**
 * The context keys commands and menus read, so a command shows only where it applies: Pause or
 * Resume (not both), Clear API Key only with a key, Escalate only with an escalation profile, the
 * proposal commands only with a proposal waiting, Accept/Reject in the title of a proposal's
 * multi-diff editor. Each key is set only when its value changes.
 */
import * as vscode from 'vscode';
import { rawProfiles } from './rawProfiles';
import type { AgentModel } from './AgentModel';
import type { ApiKeyStore } from './ApiKeyStore';
import { multiDiffProposal } from './proposalActions';
import { settingDefault } from '../shared/settingsSchema';

export class ContextKeys implements vscode.Disposable {
  private readonly values = new Map<string, boolean>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    model: AgentModel,
    private readonly keys: ApiKeyStore,
  ) {
    this.subscriptions = [
      model.onDidChange(({ status }) => {
        this.set('nightshift.hasProposals', model.waiting().length > 0);
        this.set('nightshift.paused', status.state === 'paused');
        this.set('nightshift.multiDiffProposal', multiDiffProposal(model.waiting()) !== undefined);
      }),
      // The multi-diff editor of a multi-file proposal gets Accept and Reject in its title.
      vscode.window.tabGroups.onDidChangeTabs(() => this.set('nightshift.multiDiffProposal', multiDiffProposal(model.waiting()) !== undefined)),
      vscode.window.tabGroups.onDidChangeTabGroups(() => this.set('nightshift.multiDiffProposal', multiDiffProposal(model.waiting()) !== undefined)),
      keys.onDidChange(() => void this.readKeys()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('nightshift')) return;
        this.readSettings();
        void this.readKeys();
      }),
    ];
    this.readSettings();
    void this.readKeys();
  }

  set(key: string, value: boolean): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    void vscode.commands.executeCommand('setContext', key, value);
  }

  private readSettings(): void {
    this.set('nightshift.hasEscalationProfile', vscode.workspace.getConfiguration('nightshift').get<string>('escalationProfile', settingDefault('escalationProfile')).trim() !== '');
  }

  /** Whether a key is stored for the default profile or any configured one. */
  private async readKeys(): Promise<void> {
    const names = ['', ...rawProfiles().map((p) => p.name)];
    const found = await Promise.all(names.map((n) => (n ? this.keys.get(n) : this.keys.get())));
    this.set(
      'nightshift.hasApiKey',
      found.some((k) => !!k),
    );
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
