/**
 * The agent server: an LSP host that gives the engine assembly (src/core/engine) the editor's
 * ports and translates nightshift/* messages into its calls. Owns no logic. Its keys come from the
 * editor's SecretStorage on request, never from its environment: any key variable it inherited
 * (VS Code started from a shell that exported one) is taken out before anything runs.
 */
import { pathToFileURL } from 'node:url';
import { createConnection, FileChangeType, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { AgentStatusNotification, ApiKeyRequest, ApproveCostRequest, ProposalsChangedNotification, UserMessageNotification, EscalationsChangedNotification, FindDefinitionRequest, SignaturesRequest, typedEndpoint, type AgentInitOptions } from '../shared/agentProtocol';
import { createEngine, type Engine } from '../core/engine/engine';
import { bindEngineProtocol } from '../core/engine/protocolBinding';
import { userStateDir } from '../core/stateDirs';
import { claimWorkspace, describeHolder, type Claim } from '../core/engine/engineLock';
import { holdKeys } from '../core/keyHandover';

function main(): void {
  // Not used here (keys come from SecretStorage), and out of reach of every command the checks run.
  const held = holdKeys(process.env);
  const inherited = { names: Object.keys(held.keys), notes: held.notes };
  const connection: Connection = createConnection(ProposedFeatures.all);
  const rpc = typedEndpoint(connection);
  let engine: Engine | undefined;

  let claim: Claim | undefined;

  connection.onInitialize(async (params) => {
    const init = (params.initializationOptions ?? {}) as Partial<AgentInitOptions>;
    const stateDir = init.stateDir ?? userStateDir();
    // One engine per workspace: a daemon that started in between keeps the proposals; this window's stay in memory.
    let workspaceStateDir = init.workspaceStateDir;
    if (workspaceStateDir) {
      claim = await claimWorkspace(workspaceStateDir, { host: 'editor' }, (m) => connection.console.error(m)).catch(() => undefined);
      if (claim && !claim.ok) {
        const message = `${describeHolder(claim.holder)} works on this workspace; this window keeps its proposals in memory. Reload the window to attach to it.`;
        connection.console.warn(message);
        workspaceStateDir = undefined;
      }
    }
    engine = createEngine(
      { stateDir, workspace: init.workspace ?? '', workspaceFolders: init.workspaceFolders ?? [], workspaceStateDir },
      {
        settings: async () => {
          const own = ((await connection.workspace.getConfiguration('nightshift')) ?? {}) as Record<string, unknown>;
          return { ...own, organizationPolicy: own.organizationPolicy || process.env.NIGHTSHIFT_ORG_POLICY || '' };
        },
        // The Python extension's interpreter setting for the folder: what pyright and pytest run with.
        ...(init.ruffBundled ? { ruffBundled: init.ruffBundled } : {}),
        pythonInterpreter: async (folder) => {
          const python = (await connection.workspace.getConfiguration({ scopeUri: pathToFileURL(folder).href, section: 'python' })) as { defaultInterpreterPath?: unknown } | null;
          return typeof python?.defaultInterpreterPath === 'string' ? python.defaultInterpreterPath : undefined;
        },
        apiKey: async (profile) => {
          const { apiKey, for: given } = await rpc.request(ApiKeyRequest, { profile });
          return apiKey === null ? null : { key: apiKey, ...(typeof given === 'string' ? { for: given } : {}) };
        },
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

  connection.onInitialized(() => {
    if (inherited.names.length > 0) connection.console.info(`Key variables inherited from the editor's environment (${inherited.names.join(', ')}) were taken out of this process's environment; the agent reads keys from 'Nightshift: Set API Key' only.`);
    for (const note of inherited.notes) connection.console.warn(note);
    void engine?.start();
  });
  connection.onDidChangeConfiguration(() => void engine?.settingsChanged());
  // The client's file watcher: changes made outside the editor (a checkout, a formatter, another tool).
  connection.onDidChangeWatchedFiles(({ changes }) => {
    void engine?.diskChanges(changes.map((c) => ({ uri: c.uri, deleted: c.type === FileChangeType.Deleted })));
  });
  bindEngineProtocol(rpc, () => engine);
  connection.onShutdown(async () => {
    await engine?.dispose();
    if (claim?.ok) await claim.release();
  });
  connection.listen();
}

main();
