/**
 * The agent server: an LSP host that gives the engine assembly (src/core/engine) the editor's
 * ports and translates nightshift/* messages into its calls. Owns no logic.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { createConnection, FileChangeType, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
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
import { createEngine, type Engine } from '../core/engine/engine';

function main(): void {
  const connection: Connection = createConnection(ProposedFeatures.all);
  const rpc = typedEndpoint(connection);
  let engine: Engine | undefined;

  connection.onInitialize((params) => {
    const init = (params.initializationOptions ?? {}) as Partial<AgentInitOptions>;
    const stateDir = init.stateDir ?? path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'nightshift');
    engine = createEngine(
      { stateDir, workspace: init.workspace ?? '', workspaceFolders: init.workspaceFolders ?? [], workspaceStateDir: init.workspaceStateDir },
      {
        settings: () => connection.workspace.getConfiguration('nightshift'),
        apiKey: async (profile) => (await rpc.request(ApiKeyRequest, { profile })).apiKey,
        // What VS Code knows about symbols, asked of the client when a task needs it.
        languageFeatures: {
          definitions: async (symbol) => (await rpc.request(FindDefinitionRequest, { symbol })).locations,
          signatures: async (uri, lines) => (await rpc.request(SignaturesRequest, { uri, lines })).signatures,
        },
        approveCost: async (message) => (await rpc.request(ApproveCostRequest, { message })).approved,
        onStatus: (status) => rpc.notify(AgentStatusNotification, status),
        onProposals: (proposals) => rpc.notify(ProposalsChangedNotification, { proposals }),
        onEscalations: (items) => rpc.notify(EscalationsChangedNotification, { items }),
        onUserMessage: (level, message, action) => rpc.notify(UserMessageNotification, { level, message, action }),
        log: (level, message) => connection.console[level === 'warn' ? 'warn' : level](message),
      },
    );
    return { capabilities: {}, serverInfo: { name: 'nightshift-agent' } };
  });

  connection.onInitialized(() => void engine?.start());
  connection.onDidChangeConfiguration(() => void engine?.settingsChanged());
  rpc.onNotify(SettledDiagnosticsNotification, (params) => engine?.agent.onSettledDiagnostics(params));
  rpc.onNotify(FilesDeletedNotification, ({ uris }) => engine?.agent.onFilesDeleted(uris));
  // The client's file watcher: changes made outside the editor (a checkout, a formatter, another tool).
  connection.onDidChangeWatchedFiles(({ changes }) => {
    void engine?.diskChanges(changes.map((c) => ({ uri: c.uri, deleted: c.type === FileChangeType.Deleted })));
  });
  rpc.onNotify(UserIdleNotification, () => void engine?.agent.onUserIdle());
  rpc.onNotify(CredentialsChangedNotification, () => engine?.credentialsChanged());
  rpc.onRequest(DecideProposalRequest, async (params) => (engine ? engine.agent.decide(params) : { ok: false }));
  rpc.onRequest(EscalationQuoteRequest, ({ id }) => engine!.agent.quoteEscalation(id));
  rpc.onRequest(EscalateRequest, ({ id }) => engine!.agent.escalate(id));
  rpc.onRequest(SetPausedRequest, (params) => engine!.agent.setPaused(params.paused === true));
  rpc.onRequest(BudgetReportRequest, () => engine!.budgetReport());
  rpc.onRequest(ExportLedgerRequest, ({ format, path: file }) => engine!.exportLedger(format === 'json' ? 'json' : 'csv', file));
  rpc.onRequest(DetectLocalModelsRequest, async () => ({ servers: await engine!.detectLocalModels() }));
  connection.onShutdown(() => engine?.dispose());
  connection.listen();
}

main();
