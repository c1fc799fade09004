/**
 * The agent server at rest: the real dist/server.js, started as VS Code starts it and initialized
 * on a workspace of 20,000 files, then left alone for a minute. Its CPU time (from /proc) and
 * resident memory are what an idle window pays for Nightshift.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { Measured } from './providerBench';

const CLOCK_TICKS_PER_SECOND = 100;

export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the command name.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

export function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return kb / 1024;
}

/** Ten minutes, as the issue asks; NIGHTSHIFT_IDLE_SECONDS shortens it for a quick run. */
export const IDLE_SECONDS = Number(process.env.NIGHTSHIFT_IDLE_SECONDS) || 600;

export async function idleServer(node: string, repoRoot: string, seconds = IDLE_SECONDS, files = 20_000): Promise<Measured[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-idle-'));
  for (let d = 0; d < files / 100; d++) {
    fs.mkdirSync(path.join(root, `dir${d}`));
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(root, `dir${d}`, `f${f}.ts`), `export const v${f} = ${f};\n`);
  }
  // A git repository with history, as most workspaces are: the commit watcher is armed.
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', ...args], { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'files');
  const child = spawn(node, [path.join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
  connection.onRequest('nightshift/apiKey', () => ({ apiKey: null }));
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification(() => undefined);
  connection.listen();
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true } },
      initializationOptions: { stateDir: path.join(root, '.state'), workspace: 'idle', workspaceFolders: [root], workspaceStateDir: path.join(root, '.ws') },
    });
    await connection.sendNotification('initialized', {});
    await new Promise((r) => setTimeout(r, 3000)); // let start-up work finish
    const before = cpuMs(child.pid!);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const used = cpuMs(child.pid!) - before;
    const rss = rssMb(child.pid!);
    return [
      { metric: `agent server idle ${Math.round(seconds / 60)} min, ${files.toLocaleString('en-US')}-file git workspace: CPU per minute`, measured: (used * 60) / seconds, unit: 'ms', target: 20, kind: 'max' },
      { metric: 'agent server idle: resident memory', measured: rss, unit: 'MB', target: 80, kind: 'max' },
    ];
  } finally {
    connection.dispose();
    child.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
