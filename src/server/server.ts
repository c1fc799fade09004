/**
 * The agent server: an LSP host that wires the engine in src/core to the language-client
 * connection. Thin by design: it translates nightshift/* messages and owns no logic.
 */
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createConnection, FileChangeType, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import {
  AgentStatusNotification,
  ApproveCostRequest,
  BudgetReportRequest,
  CredentialsChangedNotification,
  DecideProposalRequest,
  DetectLocalModelsRequest,
  FilesDeletedNotification,
  ExportLedgerRequest,
  ProposalsChangedNotification,
  SetPausedRequest,
  SettledDiagnosticsNotification,
  UserMessageNotification,
  UserIdleNotification,
  EscalateRequest,
  EscalationQuoteRequest,
  EscalationsChangedNotification,
  FindDefinitionRequest,
  SignaturesRequest,
  typedEndpoint,
  type AgentInitOptions,
} from '../shared/agentProtocol';
import { BackgroundAgent } from '../core/agent/BackgroundAgent';
import { Escalations } from '../core/agent/escalations';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '../core/agent/agentHost';
import { WorkspaceContext, type LanguageFeatures } from '../core/context/WorkspaceContext';
import { WorkspaceFiles } from '../core/context/WorkspaceFiles';
import { GitWatcher } from './gitWatcher';
import { parseQuietHours } from '../core/agent/quietHours';
import { detectLocalServers } from '../core/providers/localDetection';
import { ProposalStore } from '../core/proposals/ProposalStore';
import { CommandVerifier, type CommandSettings } from '../core/verify/CommandVerifier';
import { allOf, byFolder } from '../core/verify/Verifier';
import { TypeScriptVerifier } from '../core/verify/TypeScriptVerifier';
import { BackendConfig } from './backendConfig';
import { FolderPrivacy } from './privacyRules';
import { createSpend, type Spend } from './spendSetup';

function main(): void {
  const connection: Connection = createConnection(ProposedFeatures.all);
  const rpc = typedEndpoint(connection);
  /** What VS Code knows about symbols, asked of the client when a task needs it. */
  const languageFeatures: LanguageFeatures = {
    definitions: async (symbol) => (await rpc.request(FindDefinitionRequest, { symbol })).locations,
    signatures: async (uri, lines) => (await rpc.request(SignaturesRequest, { uri, lines })).signatures,
  };
  const config = new BackendConfig(connection.workspace, rpc);
  let spend: Spend | undefined;
  let agent: BackgroundAgent | undefined;
  let privacy = new FolderPrivacy([]);
  let checks: CommandSettings = { commands: [], timeoutMs: 120_000 };
  let agentSettings: AgentSettings = DEFAULT_AGENT_SETTINGS;
  let gitWatchers: GitWatcher[] = [];
  const warn = (message: string) => {
    connection.console.warn(message);
    rpc.notify(UserMessageNotification, { level: 'warning', message, action: 'showLog' });
  };

  connection.onInitialize((params) => {
    const init = (params.initializationOptions ?? {}) as Partial<AgentInitOptions>;
    const stateDir = init.stateDir ?? path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'nightshift');
    spend = createSpend(stateDir, init.workspace ?? '', () => config.hasLocalProfile());
    const folders = init.workspaceFolders ?? [];
    privacy = new FolderPrivacy(init.workspaceFolders ?? []);
    const accountant = spend.accountant;
    const stateFile = (name: string) => (init.workspaceStateDir ? path.join(init.workspaceStateDir, name) : undefined);
    const proposals = new ProposalStore(stateFile('proposals.json'), warn);
    const escalations = new Escalations(stateFile('escalations.json'), warn);
    agent = new BackgroundAgent({
      resolveBackend: (o) => config.resolve(o.role, o),
      maxCompletionTokens: async () => (await config.current()).maxCompletionTokens,
      spend: accountant,
      privacy: (uri) => privacy.forFile(uri),
      verifier: byFolder(folders, (root) => allOf(new TypeScriptVerifier(root), new CommandVerifier(root, () => checks))),
      approveCost: async (message) => (await rpc.request(ApproveCostRequest, { message })).approved,
      onStatus: (status) => rpc.notify(AgentStatusNotification, status),
      onProposals: (proposals) => rpc.notify(ProposalsChangedNotification, { proposals }),
      onEscalations: (items) => rpc.notify(EscalationsChangedNotification, { items }),
      onUserMessage: (level, message, action) => rpc.notify(UserMessageNotification, { level, message, action }),
      log: (level, message) => connection.console[level === 'warn' ? 'warn' : level](message),
      now: () => new Date(),
      newId: () => randomUUID(),
      setTimer: (ms, fn) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      },
      health: () => config.healthSummary(Date.now()),
      settings: () => agentSettings,
      workspaces: folders.map((root) => new WorkspaceContext(new WorkspaceFiles(root), languageFeatures)),
    }, proposals, escalations);
    gitWatchers = folders.map((root) => new GitWatcher(root, (commit) => agent?.onCommit(commit, root), (m) => connection.console.info(m)));
    return { capabilities: {}, serverInfo: { name: 'nightshift-agent' } };
  });

  /** Settings changed (or first read): budget, profiles; the ledger is re-read for this year. */
  const applySettings = async () => {
    if (!spend || !agent) return;
    const settings = await config.current();
    settings.problems.forEach(warn);
    privacy.update({ exclude: settings.exclude, localOnly: settings.localOnly });
    checks = { commands: settings.checkCommands, timeoutMs: settings.checkTimeoutMs };
    agentSettings = settings.agent;
    const { quietHours } = settings.agent;
    if (quietHours && !parseQuietHours(quietHours)) warn(`nightshift.quietHours "${quietHours}" is not a window like "22:00-07:00"; it is ignored.`);
    const ledger = await spend.reload(settings.budget);
    ledger.problems.forEach(warn);
    agent.loadYields(ledger.aggregate.accepted, ledger.aggregate.rejected);
    try {
      await spend.ledger.checkWritable();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      connection.console.error(message);
      rpc.notify(UserMessageNotification, { level: 'error', message, action: 'showLog' });
      agent.setPaused(true);
    }
    agent.onBudgetChanged();
  };

  connection.onInitialized(() => {
    void applySettings().finally(() => agent?.publishAll());
    for (const w of gitWatchers) void w.start();
  });
  connection.onDidChangeConfiguration(() => {
    config.invalidateSettings();
    void applySettings().then(() => agent?.onCredentialsChanged());
  });
  rpc.onNotify(SettledDiagnosticsNotification, (params) => agent?.onSettledDiagnostics(params));
  rpc.onNotify(FilesDeletedNotification, ({ uris }) => agent?.onFilesDeleted(uris));
  // The client's file watcher: changes made outside the editor (a checkout, a formatter, another tool).
  connection.onDidChangeWatchedFiles(({ changes }) => {
    const events = changes.map((c) => ({ uri: c.uri, deleted: c.type === FileChangeType.Deleted }));
    void agent?.onDiskChanges(events, async (uri) => {
      try {
        return await readFile(fileURLToPath(uri), 'utf8');
      } catch {
        return undefined;
      }
    });
  });
  rpc.onNotify(UserIdleNotification, () => void agent?.onUserIdle());
  rpc.onNotify(CredentialsChangedNotification, () => {
    config.invalidateKeys();
    agent?.onCredentialsChanged();
  });
  rpc.onRequest(DecideProposalRequest, async (params) => (agent ? agent.decide(params) : { ok: false }));
  rpc.onRequest(EscalationQuoteRequest, ({ id }) => agent!.quoteEscalation(id));
  rpc.onRequest(EscalateRequest, ({ id }) => agent!.escalate(id));
  rpc.onRequest(SetPausedRequest, (params) => agent!.setPaused(params.paused === true));
  rpc.onRequest(BudgetReportRequest, async () => spend!.report(await config.frontier()));
  rpc.onRequest(ExportLedgerRequest, ({ format, path: file }) => spend!.exportTo(format === 'json' ? 'json' : 'csv', file));
  rpc.onRequest(DetectLocalModelsRequest, async () => ({ servers: await detectLocalServers() }));
  connection.onShutdown(async () => {
    agent?.dispose();
    for (const w of gitWatchers) w.dispose();
    await spend?.ledger.close();
  });
  connection.listen();
}

main();
