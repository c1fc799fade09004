/**
 * The extension's one context object: it owns every disposable, starts the agent server once the
 * workspace is trusted (after activation, never inside it), and routes panel requests and
 * commands to the pieces that act on them.
 */
import * as vscode from 'vscode';
import { formatBackendHealth } from '../shared/format';
import type { PanelRequest, PanelSnapshot } from '../shared/panelProtocol';
import type { BudgetReport, EscalationQuote, UserAction } from '../shared/types';
import { AgentClient } from './AgentClient';
import { keepWorkingAfterClose, stopDaemon } from './daemonCommands';
import { AgentModel } from './AgentModel';
import { ApiKeyStore } from './ApiKeyStore';
import { evidenceLabel } from './checkEvidence';
import { exportLedger, showBudgetReport } from './budgetCommands';
import { detectLocalModels } from './detectLocalModels';
import { escalateWithQuote, pickAndEscalate } from './escalationCommands';
import { DiagnosticsForwarder } from './DiagnosticsForwarder';
import { IdleWatcher } from './IdleWatcher';
import { multiDiffProposal, PROPOSAL_SCHEME, ProposalActions, proposalContentProvider } from './proposalActions';
import { ProposalCodeActions, ProposalCodeLenses } from './proposalHints';
import { ProposalsView } from './ProposalsView';
import { ContextKeys } from './contextKeys';
import { chooseEscalationCommand, openSampleCommand, openWalkthroughCommand, setBudgetCommand, testConnectionCommand, trackSteps } from './onboarding';
import { ActivityTree, EscalationsTree, escalationsView } from './sideViews';
import { StatusBar } from './StatusBar';
import { pythonSetupLines } from './pythonSetupLines';
import { useGatewayCommand } from './gatewaySetup';
import { settingDefault } from '../shared/settingsSchema';
import { hostStatusOf } from '../core/agent/agentState';

/** What the extension exports: for tests and for other extensions. */
export interface NightshiftApi {
  /** How long activate() took, in milliseconds. */
  readonly activationMs: number;
  /** Resolves when the agent server has started (or rejects if it could not). */
  readonly agentStarted: Promise<void>;
  snapshot(): PanelSnapshot;
  readonly onDidChangeSnapshot: vscode.Event<PanelSnapshot>;
  acceptProposal(id: string): Promise<boolean>;
  /** The budget report straight from the agent server (the ledger on disk). */
  budgetReport(): Promise<BudgetReport>;
  rejectProposal(id: string): Promise<void>;
  openProposalDiff(id: string): Promise<void>;
  /** What escalating a waiting task would cost (what the confirmation shows). */
  quoteEscalation(id: string): Promise<EscalationQuote>;
  /** Escalates as if the user had confirmed the quote. */
  escalateConfirmed(id: string): Promise<{ ok: boolean }>;
}

export class Nightshift implements vscode.Disposable {
  readonly log = vscode.window.createOutputChannel('Nightshift', { log: true });
  readonly model = new AgentModel();
  private readonly keys: ApiKeyStore;
  private readonly actions: ProposalActions;
  private readonly view: ProposalsView;
  private readonly contextKeys: ContextKeys;
  private client: AgentClient | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private startResolvers!: { resolve: () => void; reject: (e: unknown) => void };
  readonly agentStarted = new Promise<void>((resolve, reject) => (this.startResolvers = { resolve, reject }));

  constructor(private readonly context: vscode.ExtensionContext) {
    this.keys = new ApiKeyStore(context.secrets);
    this.contextKeys = new ContextKeys(this.model, this.keys);
    this.actions = new ProposalActions(
      this.model,
      () => this.client,
      this.log,
      () => this.contextKeys.set('nightshift.firstAccepted', true),
    );
    const view = new ProposalsView(context.extensionUri, this.model, (r) => this.onPanelRequest(r), this.log);
    this.view = view;
    const lenses = new ProposalCodeLenses(this.model);
    const budgetView = new ProposalsView(context.extensionUri, this.model, (r) => this.onPanelRequest(r), this.log, 'budget');
    const escalations = new EscalationsTree(this.model);
    const activity = new ActivityTree(this.model, pythonSetupLines);
    this.disposables.push(
      this.log,
      this.model,
      view,
      new StatusBar(this.model),
      vscode.window.registerWebviewViewProvider(ProposalsView.viewId, view),
      budgetView,
      vscode.window.registerWebviewViewProvider(ProposalsView.budgetViewId, budgetView),
      escalations,
      escalationsView(escalations, this.model),
      activity,
      vscode.window.createTreeView(ActivityTree.viewId, { treeDataProvider: activity }),
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, proposalContentProvider(this.actions)),
      vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new ProposalCodeActions(this.model), ProposalCodeActions.metadata),
      lenses,
      vscode.languages.registerCodeLensProvider({ scheme: 'file' }, lenses),
      this.keys.onDidChange(() => this.client?.credentialsChanged()),
      this.contextKeys,
      ...this.registerCommands(),
      this.actions,
      trackSteps(this.model),
    );
    this.agentStarted.catch(() => undefined);
  }

  /** Starts the agent now if the workspace is trusted, else when it becomes trusted. */
  startWhenTrusted(): void {
    if (vscode.workspace.isTrusted) {
      void this.startAgent();
      return;
    }
    this.model.setStatus(hostStatusOf({ kind: 'untrusted' }));
    this.disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.startAgent()));
  }

  /** What lives as long as one agent connection: disposed when the agent stops or is handed over. */
  private agentDisposables: vscode.Disposable[] = [];

  private async startAgent(): Promise<void> {
    if (this.client) return;
    const client = new AgentClient(this.context, this.model, this.keys, this.log);
    this.client = client;
    this.agentDisposables.push(
      vscode.workspace.onDidDeleteFiles((e) => client.filesDeleted(e.files.map((f) => f.toString()))),
      vscode.workspace.onDidRenameFiles((e) => client.filesDeleted(e.files.map((f) => f.oldUri.toString()))),
      new DiagnosticsForwarder(
        (params) => client.forwardDiagnostics(params),
        () => vscode.workspace.getConfiguration('nightshift').get<number>('settleDelayMs', settingDefault('settleDelayMs')),
        () => vscode.workspace.getConfiguration('nightshift').get<boolean>('includeWarnings', settingDefault('includeWarnings')),
      ),
      new IdleWatcher(
        () => client.userIdle(),
        (active) => client.userPresence(active),
        () => vscode.workspace.getConfiguration('nightshift').get<number>('idleSweepMinutes', settingDefault('idleSweepMinutes')),
      ),
    );
    try {
      await client.start();
      this.contextKeys.set('nightshift.running', true);
      void vscode.commands.executeCommand('setContext', 'nightshift.attached', client.daemon !== undefined);
      this.startResolvers.resolve();
    } catch (err) {
      const status = hostStatusOf({ kind: 'failed', why: err instanceof Error ? err.message : String(err) });
      this.log.error(status.detail);
      this.model.setStatus(status);
      this.startResolvers.reject(err);
    }
  }

  api(activationMs: number): NightshiftApi {
    return {
      activationMs,
      agentStarted: this.agentStarted,
      snapshot: () => this.model.snapshot(),
      onDidChangeSnapshot: this.model.onDidChange,
      acceptProposal: (id) => this.actions.accept(id),
      budgetReport: () => {
        if (!this.client) return Promise.reject(new Error('The agent is not running.'));
        return this.client.budgetReport();
      },
      rejectProposal: (id) => this.actions.reject(id),
      openProposalDiff: (id) => this.actions.openDiff(id),
      quoteEscalation: (id) => (this.client ? this.client.quoteEscalation(id) : Promise.reject(new Error('The agent is not running.'))),
      escalateConfirmed: (id) => (this.client ? this.client.escalate(id) : Promise.reject(new Error('The agent is not running.'))),
    };
  }

  private registerCommands(): vscode.Disposable[] {
    const reg = vscode.commands.registerCommand;
    return [
      reg('nightshift.setApiKey', async (key?: unknown) => {
        if (await this.keys.promptAndStore(key)) void vscode.window.showInformationMessage('Nightshift: API key saved.');
      }),
      reg('nightshift.clearApiKey', async (profile?: unknown) => {
        await this.keys.clear(typeof profile === 'string' ? profile : undefined);
        void vscode.window.showInformationMessage('Nightshift: API key removed.');
      }),
      reg('nightshift.pause', () => this.setPaused(true)),
      reg('nightshift.resume', () => this.setPaused(false)),
      reg('nightshift.showLog', () => this.log.show()),
      reg('nightshift.showBackendHealth', () => this.showBackendHealth()),
      reg('nightshift.showBudgetReport', () => this.whenRunning((client) => showBudgetReport(client, this.log))),
      reg('nightshift.exportLedger', () => this.whenRunning((client) => exportLedger(client))),
      reg('nightshift.detectLocalModels', () => this.whenRunning((client) => detectLocalModels(() => client.detectLocalModels()))),
      reg('nightshift.escalate', () => this.whenRunning((client) => pickAndEscalate(client, this.model.snapshot().escalations))),
      reg('nightshift.openPanel', () => vscode.commands.executeCommand(`${ProposalsView.viewId}.focus`)),
      reg('nightshift.acceptProposal', (arg?: unknown) => this.withProposal(arg, (id) => this.actions.accept(id))),
      reg('nightshift.rejectProposal', (arg?: unknown) => this.withProposal(arg, (id) => this.actions.rejectWithReason(id))),
      reg('nightshift.openProposalDiff', (arg?: unknown) => this.withProposal(arg, (id) => this.actions.openDiff(id))),
      reg('nightshift.showProposal', (arg?: unknown) => this.withProposal(arg, (id) => this.view.reveal(id))),
      reg('nightshift.escalateItem', (item?: { id?: string }) => this.escalateFromPanel(item?.id)),
      reg('nightshift.runTaskNow', (node?: { task?: { key: string } }) => this.taskAction(node, 'runNow')),
      reg('nightshift.cancelTask', (node?: { task?: { key: string } }) => this.taskAction(node, 'cancel')),
      reg('nightshift.testConnection', () => this.whenRunning((client) => testConnectionCommand(client, this.log))),
      reg('nightshift.setBudget', () => setBudgetCommand()),
      reg('nightshift.chooseEscalation', () => chooseEscalationCommand()),
      reg('nightshift.openSample', () => openSampleCommand()),
      reg('nightshift.openWalkthrough', () => openWalkthroughCommand()),
      reg('nightshift.openSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', '@ext:nightshift.nightshift')),
      reg('nightshift.useGateway', () => useGatewayCommand()),
      reg('nightshift.acceptAllChecked', () => this.actions.acceptAllChecked()),
      reg('nightshift.rejectAllOfKind', () => this.actions.rejectAllOfKind()),
      reg('nightshift.showPolicy', () => this.whenRunning((client) => this.showPolicy(client))),
      reg('nightshift.keepWorking', () => keepWorkingAfterClose(this.daemonHandover())),
      reg('nightshift.stopDaemon', () => stopDaemon(this.daemonHandover())),
    ];
  }

  /**
   * A command's proposal: its id (the panel, a quick fix), the diff editor's proposed side (its
   * query is the id), a file with one proposal waiting, or else the user picks one.
   */
  private async withProposal(arg: unknown, act: (id: string) => Promise<unknown>): Promise<void> {
    let id: string | undefined;
    if (typeof arg === 'string') id = arg;
    else if (arg instanceof vscode.Uri && arg.scheme === PROPOSAL_SCHEME) id = arg.query;
    else if (arg instanceof vscode.Uri) {
      const mine = this.model.waiting().filter((p) => p.files.some((f) => f.uri === arg.toString()));
      if (mine.length === 1) id = mine[0].id;
    }
    // From the title of a multi-file proposal's multi-diff editor.
    id ??= multiDiffProposal(this.model.waiting());
    if (!id) {
      const waiting = this.model.waiting().filter((p) => !p.stale);
      const picked = await vscode.window.showQuickPick(
        waiting.map((p) => ({ label: p.title, description: p.files.map((f) => f.relativePath).join(', '), detail: evidenceLabel(p.check), id: p.id })),
        { title: 'Nightshift: pick a proposal', placeHolder: waiting.length ? undefined : 'No proposal is waiting' },
      );
      id = picked?.id;
    }
    if (id) await act(id);
  }

  /** Escalates a waiting task after showing its cost; without an id, the user picks one. */
  private async escalateFromPanel(id: string | undefined): Promise<void> {
    const item = this.model.snapshot().escalations.find((e) => e.id === id);
    if (!item) return this.whenRunning((client) => pickAndEscalate(client, this.model.snapshot().escalations));
    await this.whenRunning(async (client) => void (await escalateWithQuote(client, item)));
    // Called off (or refused): the panel's button comes back.
    this.model.republish();
  }

  private async taskAction(node: { task?: { key: string } } | undefined, action: 'runNow' | 'cancel'): Promise<void> {
    const key = node?.task?.key;
    if (!key) return;
    await this.whenRunning(async (client) => {
      const { ok } = await client.taskAction(key, action);
      if (!ok) void vscode.window.showInformationMessage(action === 'runNow' ? 'That task is no longer waiting.' : 'That task is no longer queued or running.');
    });
  }

  /** The team policy in force, rule by rule with who set it, in the log. */
  private async showPolicy(client: AgentClient): Promise<void> {
    const report = await client.policyReport();
    this.log.info(report.broken ? 'Team policy: cannot be used; background work is paused until it is fixed.' : 'Team policy in force:');
    for (const p of report.problems) this.log.error(`  ${p}`);
    for (const r of report.rules) this.log.info(`  ${r.rule}: ${r.value} — ${r.setBy}`);
    this.log.show(true);
  }

  private showBackendHealth(): void {
    const backends = this.model.snapshot().status.backends ?? [];
    this.log.info(backends.length === 0 ? 'Backend health: no model calls in the last hour.' : 'Backend health, last hour:');
    for (const b of backends) this.log.info(`  ${formatBackendHealth(b)}`);
    this.log.show(true);
  }

  private setPaused(paused: boolean): Promise<void> {
    return this.whenRunning((client) => client.setPaused(paused));
  }

  private async whenRunning(action: (client: AgentClient) => Promise<void>): Promise<void> {
    if (!this.client) {
      void vscode.window.showInformationMessage('The Nightshift agent is not running in this workspace.');
      return;
    }
    await action(this.client);
  }

  private async onPanelRequest(request: PanelRequest): Promise<void> {
    switch (request.type) {
      case 'proposal/accept':
        await this.actions.accept(request.id);
        return;
      case 'proposal/reject':
        await this.actions.rejectWithReason(request.id);
        return;
      case 'proposal/snooze':
        await this.actions.snooze(request.id);
        return;
      case 'proposal/openDiff':
        await this.actions.openDiff(request.id);
        return;
      case 'proposal/unsnooze':
        await this.actions.unsnooze(request.id);
        return;
      case 'proposal/undo':
        await this.actions.undo(request.id);
        return;
      case 'proposal/acceptHunk':
      case 'proposal/rejectHunk':
        await this.actions.decideHunk(request.id, request.file, request.hunk, request.type === 'proposal/acceptHunk');
        return;
      case 'escalation/escalate':
        await this.escalateFromPanel(request.id);
        return;
      case 'agent/setPaused':
        await this.setPaused(request.paused);
        return;
      case 'tuning/control':
        await this.whenRunning(async (client) => {
          if (request.action === 'reset') {
            const answer = await vscode.window.showWarningMessage(`Forget what Nightshift learnt about ${request.kind} tasks? Its setting goes back to the standard recipe.`, { modal: true }, 'Reset');
            if (answer !== 'Reset') return;
          }
          await client.tuningControl(request.kind, request.action);
        });
        return;
      case 'command/run':
        await this.runUserAction(request.action);
        return;
      case 'panel/ready':
        return;
    }
  }

  private async runUserAction(action: UserAction): Promise<void> {
    if (action === 'setApiKey') await vscode.commands.executeCommand('nightshift.setApiKey');
    else if (action === 'showLog') this.log.show();
    else if (action === 'exportLedger') await vscode.commands.executeCommand('nightshift.exportLedger');
    else if (action === 'detectLocalModels') await vscode.commands.executeCommand('nightshift.detectLocalModels');
    else if (action === 'manageTrust') await vscode.commands.executeCommand('workbench.trust.manage');
    else if (action === 'openWalkthrough') await vscode.commands.executeCommand('nightshift.openWalkthrough');
    else await vscode.commands.executeCommand('workbench.action.openSettings', 'nightshift.');
  }

  /** Stops this window's connection to the agent (its own server shuts down; a daemon keeps running). */
  private async stopAgent(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.contextKeys.set('nightshift.running', false);
    for (const d of this.agentDisposables.reverse()) d.dispose();
    this.agentDisposables = [];
    await client?.dispose();
  }

  private daemonHandover() {
    return {
      log: this.log,
      keys: this.keys,
      cliPath: vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'cli.js').fsPath,
      client: () => this.client,
      stopAgent: () => this.stopAgent(),
      startAgent: () => this.startAgent(),
    };
  }

  async dispose(): Promise<void> {
    await this.actions.flush();
    for (const d of this.disposables.reverse()) d.dispose();
    await this.stopAgent();
  }
}
