/**
 * `nightshift watch` serves the nightshift/* protocol to editors that attach: a Unix socket in
 * the workspace's state folder (a named pipe on Windows), in a folder only the user can enter
 * (daemonSocket.ts); no TCP port. Each editor gets the engine's status, proposals and escalations
 * when it says `initialized`, and everything after; its decisions go to the one engine, and an
 * accept is booked only when the files hold the proposal's result (any process of the user can
 * connect: its word is not taken for it). An editor that leaves (shutdown, exit, a closed window)
 * ends only its own connection: the daemon keeps working.
 */
import { chmodSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createMessageConnection, SocketMessageReader, SocketMessageWriter, type MessageConnection } from 'vscode-languageserver/node';
import { AgentStatusNotification, ApproveCostRequest, EscalationsChangedNotification, ProposalsChangedNotification, UserMessageNotification, typedEndpoint } from '../shared/agentProtocol';
import type { AgentStatus, EscalationItem, Proposal, UserAction } from '../shared/types';
import { bindEngineProtocol } from '../core/engine/protocolBinding';
import type { Headless } from './headless';
import { ensurePrivateFolder, socketPathFor } from './daemonSocket';

export interface Daemon {
  socket: string;
  clients(): number;
  broadcastStatus(status: AgentStatus): void;
  broadcastProposals(proposals: Proposal[]): void;
  broadcastEscalations(items: EscalationItem[]): void;
  broadcastMessage(level: 'info' | 'warning' | 'error', message: string, action?: UserAction): void;
  /** Asks the first attached editor; no editor: declined. */
  approveCost(message: string): Promise<boolean>;
  close(): Promise<void>;
}

export async function serveDaemon(h: Headless, log: (message: string) => void): Promise<Daemon> {
  const socket = socketPathFor(h.workspaceStateDir);
  if (process.platform !== 'win32') {
    ensurePrivateFolder(path.dirname(socket));
    // Ours: the workspace lock is held, so a socket file left here is a dead daemon's.
    rmSync(socket, { force: true });
  }
  const connections = new Set<MessageConnection>();
  /** The connections that are terminal queries, not editors: never asked to approve a cost. */
  const queries = new WeakSet<MessageConnection>();
  let lastEscalations: EscalationItem[] = [];
  const server = net.createServer((sock) => {
    const connection = createMessageConnection(new SocketMessageReader(sock), new SocketMessageWriter(sock));
    const rpc = typedEndpoint(connection);
    bindEngineProtocol(rpc, () => h.engine, { editorSignals: true, acceptsFromDisk: true });
    // Who connects: a terminal query names itself "nightshift <command>" (daemonClient.ts); anything else is an editor.
    let query: string | undefined;
    const who = () => (query ? `a client (${query})` : 'an editor');
    connection.onRequest('initialize', (params: { clientInfo?: { name?: unknown } } | undefined) => {
      const name = typeof params?.clientInfo?.name === 'string' ? params.clientInfo.name : '';
      if (name.startsWith('nightshift '))
        query =
          name
            .slice('nightshift '.length)
            .replace(/[^\w -]/g, '')
            .slice(0, 40) || 'nightshift';
      return { capabilities: {}, serverInfo: { name: 'nightshift-daemon', version: String(process.pid) } };
    });
    connection.onNotification('initialized', () => {
      connections.add(connection);
      if (query) queries.add(connection);
      log(query ? `A client connected: ${query} (${connections.size} connected).` : `An editor attached (${connections.size} connected).`);
      rpc.notify(ProposalsChangedNotification, { proposals: h.proposals() });
      rpc.notify(EscalationsChangedNotification, { items: lastEscalations });
      rpc.notify(AgentStatusNotification, h.engine.agent.status());
    });
    // The editor's settings and file events are its own; the daemon has its config file and watcher.
    connection.onNotification('workspace/didChangeConfiguration', () => undefined);
    connection.onNotification('workspace/didChangeWatchedFiles', () => undefined);
    const drop = () => {
      if (connections.delete(connection)) log(`${who().replace(/^a/, 'A')} left (${connections.size} connected).`);
      connection.dispose();
    };
    connection.onRequest('shutdown', () => null);
    // Leaving: no longer broadcast to before the socket is ended (a write after its end threw).
    connection.onNotification('exit', () => {
      drop();
      sock.end();
    });
    sock.on('end', drop);
    sock.on('close', drop);
    sock.on('error', drop);
    connection.listen();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socket, () => resolve());
  });
  if (process.platform !== 'win32') chmodSync(socket, 0o600);
  const each = (fn: (rpc: ReturnType<typeof typedEndpoint>) => void) => {
    for (const c of connections) fn(typedEndpoint(c));
  };
  return {
    socket,
    clients: () => connections.size,
    broadcastStatus: (status) => each((rpc) => rpc.notify(AgentStatusNotification, status)),
    broadcastProposals: (proposals) => each((rpc) => rpc.notify(ProposalsChangedNotification, { proposals })),
    broadcastEscalations: (items) => {
      lastEscalations = items;
      each((rpc) => rpc.notify(EscalationsChangedNotification, { items }));
    },
    broadcastMessage: (level, message, action) => each((rpc) => rpc.notify(UserMessageNotification, { level, message, action })),
    async approveCost(message) {
      const first = [...connections].find((c) => !queries.has(c));
      if (!first) return false;
      return (await typedEndpoint(first).request(ApproveCostRequest, { message })).approved;
    },
    async close() {
      for (const c of connections) c.dispose();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (process.platform !== 'win32') rmSync(socket, { force: true });
    },
  };
}
