/**
 * The workspace's vitest or jest kept alive in a child process between checks (testRunnerMain.ts),
 * so that a check pays for its tests and not for starting the runner. The child runs in the shadow
 * folder with the check's clean environment, in its own process group: at the time limit the
 * whole group is killed, and after a spell unused (two minutes) it ends and gives its memory back.
 * Results come from the runner's JSON report only. A runner whose API lacks what is needed is run
 * through its command line instead (cliRun.ts).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildAnswer } from '../../idleChild';
import { checkEnv, killGroup } from '../processRun';
import { CliTestRun, lastLines, nodeExecutable, type RunOutcome, type Selection, type TestRun } from './cliRun';
import type { DetectedRunner } from './detectRunner';
import type { RunnerAnswer, RunnerRequest } from './testRunnerMain';
import { parseJestJson } from './testReport';

const CHILD_FILE = path.join(__dirname, 'testRunnerMain.js');
/** Whether the child's script is there (beside this module, or beside the bundle). */
export function warmRunnerAvailable(): boolean {
  return existsSync(CHILD_FILE);
}

/** Files a runner reads once, when it starts: a change to one restarts it. */
const CONFIG_FILE = /^((vitest|vite|jest)\.config\.[cm]?[jt]s|jest\.config\.json|package\.json|tsconfig(\..+)?\.json|babel\.config\.[cm]?js|\.babelrc(\.json)?)$/;

/** A kept-alive runner ends after this long unused. */
export const RUNNER_IDLE_MS = 2 * 60_000;

interface Child {
  process: ChildProcess;
  dir: string;
  scratch: string;
  stderr: string;
  pending: Map<number, (answer: RunnerAnswer) => void>;
}

export class WarmTestRun implements TestRun {
  private child: Child | undefined;
  private fallback: CliTestRun | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private nextId = 1;

  constructor(
    private readonly runner: DetectedRunner & { name: 'vitest' | 'jest'; api: string },
    private readonly idleMs = RUNNER_IDLE_MS,
  ) {}

  /** The child's process id while it runs (for measuring it). */
  pid(): number | undefined {
    return this.child?.process.pid;
  }

  async run(dir: string, selection: Selection, changed: string[], timeoutMs: number): Promise<RunOutcome> {
    if (this.fallback) return this.fallback.run(dir, selection, changed, timeoutMs);
    clearTimeout(this.idleTimer);
    try {
      // A shadow made anew is another folder, and a changed config is another runner: either way it starts over.
      if (this.child && (this.child.dir !== dir || changed.some((f) => CONFIG_FILE.test(path.basename(f))))) await this.dispose();
      const child = this.child ?? this.start(dir);
      const reportFile = path.join(child.scratch, 'report.json');
      rmSync(reportFile, { force: true });
      const started = performance.now();
      const answer = await this.ask(child, { runner: this.runner.name, api: this.runner.api, dir, selection, changed, reportFile, cacheDir: path.join(child.scratch, 'cache') }, timeoutMs);
      const ms = performance.now() - started;
      if (answer === 'timeout') return { kind: 'timeout' };
      if (!answer.ran && answer.unsupported) {
        await this.dispose();
        this.fallback = new CliTestRun(this.runner);
        return this.fallback.run(dir, selection, changed, timeoutMs);
      }
      if (!answer.ran) return { kind: 'failed', reason: answer.reason };
      if (answer.empty) return { kind: 'report', report: { files: [], tests: [] }, ms };
      const report = existsSync(reportFile) ? parseJestJson(readFileSync(reportFile, 'utf8')) : undefined;
      if (!report) return { kind: 'failed', reason: `${this.runner.name} wrote no report it could read: ${lastLines(child.stderr)}` };
      return { kind: 'report', report, ms };
    } finally {
      this.armIdle();
    }
  }

  async dispose(): Promise<void> {
    clearTimeout(this.idleTimer);
    const child = this.child;
    this.child = undefined;
    if (!child) return;
    const exited = child.process.pid === undefined || child.process.exitCode !== null || child.process.signalCode !== null ? Promise.resolve() : new Promise((r) => child.process.once('exit', r));
    killGroup(child.process.pid);
    await exited;
    rmSync(child.scratch, { recursive: true, force: true });
  }

  private start(dir: string): Child {
    const node = nodeExecutable();
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'nightshift-runner-'));
    const proc = fork(CHILD_FILE, [], {
      cwd: dir,
      execPath: node.command,
      env: { ...checkEnv(), ...node.env },
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const child: Child = { process: proc, dir, scratch, stderr: '', pending: new Map() };
    proc.stderr?.on('data', (d: Buffer) => (child.stderr = (child.stderr + d.toString('utf8')).slice(-8192)));
    proc.on('message', (m: ChildAnswer) => {
      const answer: RunnerAnswer = m.error !== undefined ? { ran: false, reason: `${this.runner.name} failed: ${m.error}` } : (m.result as RunnerAnswer);
      child.pending.get(m.id)?.(answer);
      child.pending.delete(m.id);
    });
    const gone = (why: string) => {
      for (const answer of child.pending.values()) answer({ ran: false, reason: `${this.runner.name} stopped (${why}): ${lastLines(child.stderr)}` });
      child.pending.clear();
      if (this.child === child) this.child = undefined;
    };
    proc.on('exit', (code, signal) => gone(signal ?? `exit ${code}`));
    proc.on('error', (err) => gone(err.message));
    this.child = child;
    return child;
  }

  private ask(child: Child, request: Omit<RunnerRequest, 'id'>, timeoutMs: number): Promise<RunnerAnswer | 'timeout'> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.pending.delete(id);
        resolve('timeout');
        void this.dispose();
      }, timeoutMs);
      child.pending.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      child.process.send({ ...request, id });
    });
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (!this.child) return;
    this.idleTimer = setTimeout(() => void this.dispose(), this.idleMs);
    this.idleTimer.unref?.();
  }
}
