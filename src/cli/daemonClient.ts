/** A terminal command talking to a running `nightshift watch` over its socket, as an editor does. */
import * as net from 'node:net';
import { createMessageConnection, SocketMessageReader, SocketMessageWriter } from 'vscode-languageserver/node';
import { AgentStatusNotification, ProposalsChangedNotification, typedEndpoint } from '../shared/agentProtocol';
import type { AgentStatus, Proposal } from '../shared/types';

export interface DaemonSession {
  rpc: ReturnType<typeof typedEndpoint>;
  proposals: Proposal[];
  status: AgentStatus | undefined;
  close(): void;
}

/** `command`: what asks (the daemon's log says "A client connected: <command>"). */
export function connectDaemon(socket: string, timeoutMs = 5000, command = 'query'): Promise<DaemonSession> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(socket);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`The daemon at ${socket} did not answer within ${timeoutMs / 1000} s.`));
    }, timeoutMs);
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`Could not reach the daemon at ${socket}: ${err.message}`));
    });
    sock.once('connect', () => {
      const connection = createMessageConnection(new SocketMessageReader(sock), new SocketMessageWriter(sock));
      const rpc = typedEndpoint(connection);
      const session: DaemonSession = {
        rpc,
        proposals: [],
        status: undefined,
        close: () => {
          connection.dispose();
          sock.end();
        },
      };
      rpc.onNotify(ProposalsChangedNotification, ({ proposals }) => (session.proposals = proposals));
      rpc.onNotify(AgentStatusNotification, (status) => {
        const first = session.status === undefined;
        session.status = status;
        if (first) {
          clearTimeout(timer);
          resolve(session);
        }
      });
      connection.listen();
      void connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, clientInfo: { name: `nightshift ${command}` } }).then(() => connection.sendNotification('initialized', {}));
    });
  });
}
