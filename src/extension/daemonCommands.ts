/**
 * "Keep Working After This Window Closes" and "Stop Background Daemon": hand the workspace's engine
 * from this window to a `nightshift watch` daemon (the bundled CLI, run by VS Code's own Node) and
 * back. The daemon gets this window's settings in force (what the workspace may set over the user's
 * only: workspaceSettings.ts) in its environment, and the keys through a pipe (core/keyHandover.ts)
 * — never an environment, a file or a command line another process could read — and this window
 * attaches to it.
 */
import { keyForBackend, profileTarget } from '../core/providers/keyScope';
import { openSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeHolder, engineHolder, type EngineHolder } from '../core/engine/engineLock';
import { spawnWithKeys } from '../core/keyHandover';
import { userStateDir, workspaceStateDir } from '../core/stateDirs';
import type { AgentClient } from './AgentClient';
import type { ApiKeyStore } from './ApiKeyStore';
import { settingsInForce } from './workspaceSettings';

export interface Handover {
  log: vscode.LogOutputChannel;
  keys: ApiKeyStore;
  cliPath: string;
  client(): AgentClient | undefined;
  stopAgent(): Promise<void>;
  startAgent(): Promise<void>;
}

async function until<T>(probe: () => T | undefined, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
}

function workspaceDir(): { folder: string; dir: string } | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return folder ? { folder, dir: workspaceStateDir(userStateDir(), folder) } : undefined;
}

/** The keys of every profile this window knows, by the variables the CLI reads them from (sent through a pipe, never an environment). */
async function keysByVariable(keys: ApiKeyStore, settings: vscode.WorkspaceConfiguration): Promise<Record<string, string>> {
  const names = new Set(['default', settings.get<string>('backgroundProfile') ?? '', settings.get<string>('escalationProfile') ?? '']);
  for (const p of settings.get<Array<{ name?: unknown }>>('profiles') ?? []) if (typeof p?.name === 'string') names.add(p.name);
  const env: Record<string, string> = {};
  for (const name of names) {
    if (!name) continue;
    // Only a key that belongs to where the profile points now (the daemon takes a handed-over key as the profile's).
    const target = profileTarget(name, { baseUrl: settings.get('baseUrl'), profiles: settings.get('profiles') });
    const key = target && keyForBackend((await keys.stored(name)) ?? null, target);
    if (key) env[`NIGHTSHIFT_API_KEY_${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`] = key;
  }
  return env;
}

export async function keepWorkingAfterClose(h: Handover): Promise<void> {
  const where = workspaceDir();
  if (!where) return void vscode.window.showWarningMessage('Nightshift: open a folder first; the daemon works on a workspace folder.');
  const running = h.client()?.daemon;
  if (running) return void vscode.window.showInformationMessage(`Nightshift already runs in ${running.description}; it keeps working when this window closes.`);
  const settings = vscode.workspace.getConfiguration('nightshift');
  const env = {
    ...process.env,
    // VS Code's own Node: the extension host's executable runs scripts as Node with this set.
    ELECTRON_RUN_AS_NODE: '1',
    NIGHTSHIFT_STATE_DIR: userStateDir(),
    NIGHTSHIFT_SETTINGS: JSON.stringify(settingsInForce().settings),
  };
  const keys = await keysByVariable(h.keys, settings);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Nightshift: handing over to a background daemon…' }, async () => {
    await h.stopAgent();
    const logFile = path.join(where.dir, 'daemon.log');
    const out = openSync(logFile, 'a');
    // The window's Workspace Trust goes with it: the daemon may run the workspace's tests only if the user trusted it here.
    const trust = vscode.workspace.isTrusted ? ['--trust'] : [];
    const child = spawnWithKeys(process.execPath, [h.cliPath, 'watch', where.folder, '--quiet', ...trust], { env, detached: true, stdio: ['ignore', out, out] }, keys);
    closeSync(out);
    child.unref();
    let exited: number | null | undefined;
    child.once('exit', (code) => (exited = code));
    const holder = await until<EngineHolder>(() => (exited !== undefined ? undefined : engineHolder(where.dir)?.socket ? engineHolder(where.dir) : undefined), 20_000);
    if (!holder) {
      h.log.error(`The Nightshift daemon did not start${exited !== undefined ? ` (it exited with ${exited})` : ''}; its log is ${logFile}.`);
      void vscode.window.showErrorMessage(`Nightshift: the background daemon did not start. See ${logFile}.`);
    } else {
      h.log.info(`Handed over to ${describeHolder(holder)}; its log is ${logFile}.`);
    }
    await h.startAgent();
  });
}

export async function stopDaemon(h: Handover): Promise<void> {
  const where = workspaceDir();
  const holder = where && engineHolder(where.dir);
  if (!where || !holder || holder.host !== 'watch') return void vscode.window.showInformationMessage('Nightshift: no background daemon works on this workspace.');
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Nightshift: stopping ${describeHolder(holder)}…` }, async () => {
    await h.stopAgent();
    try {
      process.kill(holder.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const gone = await until(() => (engineHolder(where.dir) ? undefined : true), 30_000);
    if (!gone) void vscode.window.showWarningMessage(`Nightshift: ${describeHolder(holder)} did not stop within 30 s.`);
    await h.startAgent();
  });
}
