/**
 * Connects the language client to a `nightshift watch` daemon's socket instead of starting a server.
 * If the daemon is gone by the time the client connects, the window starts its own server (over
 * stdio) rather than run without an engine.
 */
import { fork } from 'node:child_process';
import * as net from 'node:net';
import type * as vscode from 'vscode';
import type { ServerOptions, StreamInfo } from 'vscode-languageclient/node';

export function attachTo(socket: string, serverModule: string, log: vscode.LogOutputChannel): ServerOptions {
  return () =>
    new Promise((resolve) => {
      const sock = net.connect(socket);
      let connected = false;
      sock.once('connect', () => {
        connected = true;
        resolve({ reader: sock, writer: sock } satisfies StreamInfo);
      });
      sock.once('error', (err) => {
        // After connecting, a broken socket is the client's to report (it stops and says so).
        if (connected) return;
        log.warn(`The Nightshift daemon at ${socket} could not be reached (${err.message}); this window runs its own agent.`);
        resolve(fork(serverModule, ['--stdio'], { silent: true }));
      });
    });
}
