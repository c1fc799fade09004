/**
 * The agent server: an LSP host that wires the engine in src/core to the language-client
 * connection. Thin by design: it translates nightshift/* messages and owns no logic.
 */
import { randomUUID } from 'node:crypto';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import {
  AgentStatusNotification,
  CredentialsChangedNotification,
  DecideProposalRequest,
  DetectLocalModelsRequest,
  ProposalsChangedNotification,
  SetPausedRequest,
  SettledDiagnosticsNotification,
  UserMessageNotification,
  typedEndpoint,
} from '../shared/agentProtocol';
import { BackgroundAgent } from '../core/agent/BackgroundAgent';
import { detectLocalServers } from '../core/providers/localDetection';
import { BackendConfig } from './backendConfig';

function main(): void {
  const connection: Connection = createConnection(ProposedFeatures.all);
  const rpc = typedEndpoint(connection);
  const config = new BackendConfig(connection.workspace, rpc);

  const agent = new BackgroundAgent({
    resolveBackend: () => config.resolve(),
    maxCompletionTokens: async () => (await config.current()).maxCompletionTokens,
    onStatus: (status) => rpc.notify(AgentStatusNotification, status),
    onProposals: (proposals) => rpc.notify(ProposalsChangedNotification, { proposals }),
    onUserMessage: (level, message, action) => rpc.notify(UserMessageNotification, { level, message, action }),
    log: (level, message) => connection.console[level === 'warn' ? 'warn' : level](message),
    now: () => new Date(),
    newId: () => randomUUID(),
    setTimer: (ms, fn) => {
      const timer = setTimeout(fn, ms);
      return () => clearTimeout(timer);
    },
    health: () => config.healthSummary(Date.now()),
  });

  connection.onInitialize(() => ({ capabilities: {}, serverInfo: { name: 'nightshift-agent' } }));
  connection.onInitialized(() => rpc.notify(AgentStatusNotification, agent.status()));
  connection.onDidChangeConfiguration(() => {
    config.invalidateSettings();
    agent.onCredentialsChanged();
  });
  rpc.onNotify(SettledDiagnosticsNotification, (params) => agent.onSettledDiagnostics(params));
  rpc.onNotify(CredentialsChangedNotification, () => {
    config.invalidateKeys();
    agent.onCredentialsChanged();
  });
  rpc.onRequest(DecideProposalRequest, (params) => agent.decide(params));
  rpc.onRequest(SetPausedRequest, (params) => agent.setPaused(params.paused === true));
  rpc.onRequest(DetectLocalModelsRequest, async () => ({ servers: await detectLocalServers() }));
  connection.onShutdown(() => agent.dispose());
  connection.listen();
}

main();
