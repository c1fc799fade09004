/**
 * Runs the real built `nightshift` binary (dist/cli.js) as a child process against throw-away
 * workspaces and the loopback model server; state goes to a per-test folder, never the user's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../harness/testEnv';

export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

/** A workspace copied from a fixture, with the repository's `typescript` as its own. */
export function workspaceFrom(fixture: string, files: Record<string, string> = {}): { root: string; stateDir: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-cli-'));
  const root = path.join(base, 'ws');
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', fixture), root, { recursive: true });
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(root, 'node_modules', 'typescript'), 'dir');
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return { root, stateDir: path.join(base, 'state') };
}

/** The environment a run gets: its own state folder, no key of the user's. */
export function cliEnv(stateDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NIGHTSHIFT_STATE_DIR: stateDir, ...extra };
  for (const k of Object.keys(env)) if (/API_KEY|OPENAI_/.test(k) && !(k in extra)) delete env[k];
  return env;
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running `nightshift watch`, with its output as it comes. */
export class RunningCli {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private readonly exited: Promise<number | null>;

  /** `cli`: another build of the binary (a packaged one). */
  constructor(args: string[], env: NodeJS.ProcessEnv, cli = CLI) {
    this.child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (d: Buffer) => (this.stdout += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Resolves when the output (stderr, where events go) matches, or rejects after `ms`. */
  async waitFor(pattern: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const m = pattern.exec(this.stderr);
      if (m) return m;
      if (this.child.exitCode !== null) throw new Error(`nightshift exited (${this.child.exitCode}) before ${pattern}:\n${this.stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`Timed out waiting for ${pattern}:\n${this.stderr}`);
  }

  events(): Array<Record<string, unknown>> {
    return this.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exited;
  }
}
