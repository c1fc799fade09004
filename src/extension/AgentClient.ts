/**
 * Starts the agent server over IPC with vscode-languageclient and translates its nightshift/*
 * messages into the AgentModel, notifications and SecretStorage reads.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  AgentStatusNotification,
  ApiKeyRequest,
  ApproveCostRequest,
  BudgetReportRequest,
  CredentialsChangedNotification,
  DecideProposalRequest,
  DetectLocalModelsRequest,
  FilesDeletedNotification,
  ExportLedgerRequest,
  ProposalsChangedNotification,
  PolicyReportRequest,
  SetPausedRequest,
  SettledDiagnosticsNotification,
  UserMessageNotification,
  UserIdleNotification,
  UserPresenceNotification,
  TaskActionRequest,
  TuningControlRequest,
  TestConnectionRequest,
  EscalateRequest,
  EscalationQuoteRequest,
  EscalationsChangedNotification,
  FindDefinitionRequest,
  SignaturesRequest,
  typedEndpoint,
  type AgentInitOptions,
  type DecideProposalParams,
  type SettledDiagnosticsParams,
  type UserMessageParams,
} from '../shared/agentProtocol';
import type { BudgetReport, ConnectionTest, EscalationQuote, LocalModelServer } from '../shared/types';
import type { AgentModel } from './AgentModel';
import type { ApiKeyStore } from './ApiKeyStore';
import { findDefinitions, signaturesOn } from './languageFacts';
import { stateLocation } from './stateLocation';
import { attachTo } from './attach';
import { describeHolder, engineHolder } from '../core/engine/engineLock';
import { configurationMiddleware } from './workspaceSettings';
import { bundledRuff } from './ruffExtension';

export class AgentClient implements vscode.Disposable {
  private readonly client: LanguageClient;
  private readonly rpc: ReturnType<typeof typedEndpoint>;
  /** The daemon this window attached to, if one served the workspace when it started. */
  readonly daemon: { socket: string; description: string } | undefined;
  readonly workspaceStateDir: string | undefined;
  private budgetTimer: ReturnType<typeof setTimeout> | undefined;
  /** Saves that settled while the agent was starting, by file: sent once it runs. */
  private readonly early = new Map<string, SettledDiagnosticsParams>();
  private starting = true;

  constructor(
    context: vscode.ExtensionContext,
    private readonly model: AgentModel,
    private readonly keys: ApiKeyStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
    const workspaceFolders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const location = stateLocation(context, workspaceFolders);
    this.workspaceStateDir = location.workspaceStateDir;
    const ruffBundled = bundledRuff();
    const initializationOptions: AgentInitOptions = { ...location, workspace: vscode.workspace.name ?? '', workspaceFolders, ...(ruffBundled ? { ruffBundled } : {}) };
    // A `nightshift watch` daemon already works on this workspace: attach to it rather than start a second engine.
    const holder = location.workspaceStateDir ? engineHolder(location.workspaceStateDir) : undefined;
    this.daemon = holder?.host === 'watch' && holder.socket ? { socket: holder.socket, description: describeHolder(holder) } : undefined;
    const own: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    const serverOptions: ServerOptions = this.daemon ? attachTo(this.daemon.socket, module, log) : own;
    const clientOptions: LanguageClientOptions = {
      // The agent reads no documents through LSP sync: the client forwards what it needs.
      documentSelector: [],
      // Changes on disk from outside the editor (a checkout, a formatter) reach the agent as LSP file events.
      // python.defaultInterpreterPath: which interpreter pyright and pytest use (the server reads it with the settings).
      synchronize: { configurationSection: ['nightshift', 'python.defaultInterpreterPath'], fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
      outputChannel: log,
      initializationOptions,
      // The settings the agent reads: the user's, with only what this workspace may set over them (tighter, never looser).
      middleware: { workspace: configurationMiddleware(log) },
    };
    this.client = new LanguageClient('nightshift', 'Nightshift Agent', serverOptions, clientOptions);
    this.rpc = typedEndpoint(this.client);
  }

  async start(): Promise<void> {
    this.rpc.onNotify(AgentStatusNotification, (status) => {
      this.model.setStatus(status);
      this.refreshBudgetSoon();
    });
    this.rpc.onNotify(ProposalsChangedNotification, ({ proposals }) => {
      this.model.setProposals(proposals);
      this.refreshBudgetSoon();
    });
    this.rpc.onNotify(EscalationsChangedNotification, ({ items }) => this.model.setEscalations(items));
    this.rpc.onNotify(UserMessageNotification, (params) => void this.showUserMessage(params));
    this.rpc.onRequest(ApproveCostRequest, async ({ message }) => ({ approved: await askApproval(message) }));
    this.rpc.onRequest(ApiKeyRequest, async ({ profile }) => {
      const stored = await this.keys.stored(profile);
      return { apiKey: stored?.key ?? null, ...(stored?.for ? { for: stored.for } : {}) };
    });
    this.rpc.onRequest(FindDefinitionRequest, async ({ symbol }) => ({ locations: await findDefinitions(symbol).catch(() => []) }));
    this.rpc.onRequest(SignaturesRequest, async ({ uri, lines }) => ({ signatures: await signaturesOn(uri, lines).catch(() => []) }));
    this.model.setHost(this.daemon?.description);
    if (this.daemon) this.log.info(`Attached to ${this.daemon.description} at ${this.daemon.socket}.`);
    this.starting = true;
    try {
      await this.client.start();
    } finally {
      this.starting = false;
    }
    for (const params of this.early.values()) this.rpc.notify(SettledDiagnosticsNotification, params);
    this.early.clear();
  }

  forwardDiagnostics(params: SettledDiagnosticsParams): void {
    if (this.client.isRunning()) this.rpc.notify(SettledDiagnosticsNotification, params);
    // A save in the seconds the agent takes to start is kept (the latest per file) and sent once it runs, not lost.
    else if (this.starting) this.early.set(params.uri, params);
  }

  userIdle(): void {
    if (this.client.isRunning()) this.rpc.notify(UserIdleNotification, {});
  }

  testConnection(): Promise<ConnectionTest> {
    return this.rpc.request(TestConnectionRequest, {});
  }

  taskAction(key: string, action: 'runNow' | 'cancel'): Promise<{ ok: boolean }> {
    return this.rpc.request(TaskActionRequest, { key, action });
  }

  userPresence(active: boolean): void {
    if (this.client.isRunning()) this.rpc.notify(UserPresenceNotification, { active });
  }

  filesDeleted(uris: string[]): void {
    if (this.client.isRunning() && uris.length > 0) this.rpc.notify(FilesDeletedNotification, { uris });
  }

  credentialsChanged(): void {
    if (this.client.isRunning()) this.rpc.notify(CredentialsChangedNotification, {});
  }

  decide(params: DecideProposalParams): Promise<{ ok: boolean; reason?: string }> {
    return this.rpc.request(DecideProposalRequest, params);
  }

  quoteEscalation(id: string): Promise<EscalationQuote> {
    return this.rpc.request(EscalationQuoteRequest, { id });
  }

  escalate(id: string): Promise<{ ok: boolean }> {
    return this.rpc.request(EscalateRequest, { id });
  }

  policyReport() {
    return this.rpc.request(PolicyReportRequest, {});
  }

  async tuningControl(kind: string, action: 'freeze' | 'unfreeze' | 'reset'): Promise<{ ok: boolean }> {
    const result = await this.rpc.request(TuningControlRequest, { kind, action });
    this.refreshBudgetSoon();
    return result;
  }

  budgetReport(): Promise<BudgetReport> {
    return this.rpc.request(BudgetReportRequest, {});
  }

  exportLedger(format: 'csv' | 'json', path: string): Promise<{ calls: number; decisions: number }> {
    return this.rpc.request(ExportLedgerRequest, { format, path });
  }

  /** The Budget view follows the agent's status, at most twice a second. */
  private refreshBudgetSoon(): void {
    if (this.budgetTimer) return;
    this.budgetTimer = setTimeout(() => {
      this.budgetTimer = undefined;
      if (!this.client.isRunning()) return;
      this.budgetReport().then(
        (report) => this.model.setBudget(report),
        (err: unknown) => this.log.warn(`Could not read the budget report: ${String(err)}`),
      );
    }, 500);
  }

  async detectLocalModels(): Promise<LocalModelServer[]> {
    return (await this.rpc.request(DetectLocalModelsRequest, {})).servers;
  }

  async setPaused(paused: boolean): Promise<void> {
    this.model.setStatus(await this.rpc.request(SetPausedRequest, { paused }));
  }

  private async showUserMessage({ level, message, action }: UserMessageParams): Promise<void> {
    const show = level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const label = action === 'setApiKey' ? 'Set API Key' : action === 'showLog' ? 'Show Log' : undefined;
    const picked = await (label ? show(message, label) : show(message));
    if (picked === 'Set API Key') await vscode.commands.executeCommand('nightshift.setApiKey');
    else if (picked === 'Show Log') this.log.show();
  }

  async dispose(): Promise<void> {
    if (this.budgetTimer) clearTimeout(this.budgetTimer);
    if (this.client.needsStop()) await this.client.stop();
  }
}

/** How long a cost question waits for an answer before the call is skipped. */
const APPROVAL_TIMEOUT_MS = 5 * 60_000;

async function askApproval(message: string): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), APPROVAL_TIMEOUT_MS)));
  const answer = await Promise.race([vscode.window.showWarningMessage(`Nightshift: ${message}`, 'Allow once', 'Skip'), timeout]);
  clearTimeout(timer);
  return answer === 'Allow once';
}
