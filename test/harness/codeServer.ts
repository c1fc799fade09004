/**
 * Runs a real VS Code workbench for tests: code-server (VS Code's workbench and its Node extension
 * host) on a loopback port, with a fresh profile, and headless Debian Chromium driven by
 * playwright-core. Everything it starts is stopped by `stop()`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { testEnv } from './testEnv';

export interface CodeServerOptions {
  /** Folder for this run's profile, extensions, XDG dirs and TMPDIR. */
  runDir: string;
  userDataDir?: string;
  extensionsDir?: string;
  /** User settings merged over the test defaults. */
  settings?: Record<string, unknown>;
  workspaceTrust?: boolean;
  /** Extra environment for the code-server process (reaches the extension host). */
  env?: Record<string, string>;
  extraArgs?: string[];
}

export interface RunningCodeServer {
  port: number;
  baseUrl: string;
  userDataDir: string;
  extensionsDir: string;
  stop(): Promise<void>;
}

const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function mkdirs(...dirs: string[]): void {
  for (const d of dirs) fs.mkdirSync(d, { recursive: true });
}

/** Runs `code-server` with the given arguments to completion (e.g. --install-extension). */
export async function runCodeServerCli(options: CodeServerOptions, args: string[]): Promise<void> {
  const env = testEnv();
  const { processEnv, userDataDir, extensionsDir } = prepare(options);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(env.node24, [env.codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, ...args], {
      env: processEnv,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`code-server ${args.join(' ')} exited with ${code}`))));
  });
}

function prepare(options: CodeServerOptions) {
  const userDataDir = options.userDataDir ?? path.join(options.runDir, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(options.runDir, 'extensions');
  const xdg = path.join(options.runDir, 'xdg');
  mkdirs(userDataDir, extensionsDir, path.join(userDataDir, 'User'), path.join(xdg, 'config'), path.join(xdg, 'data'), path.join(xdg, 'tmp'));
  const settings = {
    ...DEFAULT_SETTINGS,
    'security.workspace.trust.enabled': options.workspaceTrust ?? false,
    ...options.settings,
  };
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const processEnv: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    // Nightshift's ledger and proposals: this run's own, never the user's.
    // (A run that starts a daemon first names the folder the daemon uses.)
    NIGHTSHIFT_STATE_DIR: process.env.NIGHTSHIFT_TEST_STATE_DIR ?? path.join(xdg, 'state', 'nightshift'),
    TMPDIR: path.join(xdg, 'tmp'),
    // No marketplace look-ups from the test workbench: a closed loopback port answers them.
    EXTENSIONS_GALLERY: JSON.stringify({ serviceUrl: 'http://127.0.0.1:9/gallery', itemUrl: 'http://127.0.0.1:9/item' }),
    ...options.env,
  };
  // Never hand the user's model keys to the workbench under test.
  for (const k of Object.keys(processEnv)) if (/API_KEY|OPENAI_/.test(k)) delete processEnv[k];
  return { processEnv, userDataDir, extensionsDir };
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const env = testEnv();
  const { processEnv, userDataDir, extensionsDir } = prepare(options);
  const port = await freePort();
  const args = [
    env.codeServerEntry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    ...(options.extraArgs ?? []),
  ];
  const logFile = fs.openSync(path.join(options.runDir, 'code-server.log'), 'a');
  const child: ChildProcess = spawn(env.node24, args, { env: processEnv, detached: true, stdio: ['ignore', logFile, logFile] });
  fs.closeSync(logFile);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const killer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000);
      await exited;
      clearTimeout(killer);
    }
  };
  const deadline = Date.now() + 60_000;
  while (!(await healthy(baseUrl))) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}; see ${options.runDir}/code-server.log`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz in 60 s; see ${options.runDir}/code-server.log`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { port, baseUrl, userDataDir, extensionsDir, stop };
}

function healthy(baseUrl: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${baseUrl}/healthz`, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => req.destroy());
  });
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(runDir: string): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(runDir, 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: testEnv().chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close: () => context.close() };
}

export function workbenchUrl(server: RunningCodeServer, folder: string, payload?: Array<[string, string]>): string {
  // A multi-root workspace file opens as a workspace, a folder as a folder.
  const params = new URLSearchParams(folder.endsWith('.code-workspace') ? { workspace: folder } : { folder });
  if (payload) params.set('payload', JSON.stringify(payload));
  return `${server.baseUrl}/?${params.toString()}`;
}

export function makeRunDir(name: string): string {
  const base = process.env.NIGHTSHIFT_TEST_RUN_DIR ?? path.join(os.tmpdir(), 'nightshift-test-runs');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${name}-`));
}
