/**
 * The workspace's ruff as a checker for one folder's Python files: proposal checks (texts go to
 * `ruff check` on stdin as the files they would be; nothing is written), Ruff's own safe fixes
 * (rung 0) and a headless host's Ruff problems. Ruff is a program of the user's Python environment
 * (findRuff), not ours: it runs with a check's clean environment, its cache off, fixing nothing, and
 * reads the folder's Ruff config, which is data (Ruff runs no code of the repository's).
 * A target of Ruff's is judged as ESLint's are: rule and place gone, no new Ruff problem.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../../shared/agentProtocol';
import type { CheckResult } from '../../../shared/types';
import type { FileDiagnostics } from '../../signals/tsDiagnostics';
import { sha256 } from '../../hash';
import { applyTextEdits, type CompilerFix } from '../compilerFixes';
import { judgeLint, type LintedFile } from '../eslint/eslintJudge';
import { isLinterTarget, locateMessage } from '../eslint/eslintMessages';
import type { LintResult } from '../eslint/workspaceEslint';
import { checkEnv, killGroup } from '../processRun';
import { isPythonFile } from '../python/PyrightVerifier';
import type { PythonInterpreter } from '../python/pythonEnv';
import { silencingIn } from '../silencing';
import type { VerifyRequest } from '../Verifier';
import { findRuff, usesRuff, type FoundRuff } from './findRuff';
import { diagnosticOf, messagesOf, parseRuffReport, RUFF, type RuffMessage } from './ruffOutput';

/** One `ruff check` may take this long (a whole folder's, in a large repository). */
const RUN_MS = 60_000;
const OUTPUT_LIMIT = 32 * 1024 * 1024;
/** A text checked in the last half minute is not checked again (rung 0 checks one text against its fix; a retry does too). */
const RECENT_MS = 30_000;
const RECENT_MAX = 32;
/** `ruff check` as a checker runs it: JSON, no cache written into the repository, no fix applied whatever the config says, excludes honoured for stdin too. */
const CHECK_ARGS = ['check', '--output-format=json', '--no-cache', '--no-fix', '--no-unsafe-fixes', '--exit-zero', '--force-exclude'];

export interface RuffCheckerOptions {
  trusted: () => boolean;
  /** The folder's Python interpreter (a ruff beside it comes first). */
  interpreter: () => PythonInterpreter | undefined;
  pathEnv?: string;
  /** The editor's Ruff extension's own ruff, when there is no other. */
  bundled?: string;
}

export class RuffChecker {
  private readonly versions = new Map<string, string>();
  private readonly recent = new Map<string, { at: number; result: RuffMessage[] | string }>();

  constructor(
    private readonly root: string,
    private readonly options: RuffCheckerOptions,
  ) {}

  /** The ruff to run here, if any. */
  ruff(): FoundRuff | undefined {
    return findRuff(this.root, this.options.interpreter(), { trusted: this.options.trusted(), ...(this.options.pathEnv !== undefined ? { pathEnv: this.options.pathEnv } : {}), ...(this.options.bundled ? { bundled: this.options.bundled } : {}) });
  }

  /** Whether the folder configures Ruff (its problems are then signals of the headless host, and every Python change is checked with it). */
  usesRuff(): boolean {
    return usesRuff(this.root);
  }

  /** "Ruff 0.16.10" for a Ruff target (or any, when none is given) where a ruff is found; else undefined. */
  tool(_filePath: string, target?: DiagnosticInfo): string | undefined {
    if (target && !isLinterTarget(target, RUFF)) return undefined;
    const ruff = this.ruff();
    return ruff ? `Ruff ${this.version(ruff)}`.trim() : undefined;
  }

  async verify(request: VerifyRequest): Promise<CheckResult> {
    const main = path.resolve(request.filePath);
    const changed = [{ filePath: main, before: request.before, after: request.after }, ...(request.also ?? []).map((o) => ({ ...o, filePath: path.resolve(o.filePath) }))].filter((f) => isPythonFile(f.filePath) && this.inside(f.filePath));
    if (changed.length === 0) return { status: 'unchecked', detail: 'No Python file changed: nothing for Ruff to check.', proved: [] };
    const ours = request.targets.some((t) => isLinterTarget(t, RUFF));
    if (!ours && !this.usesRuff()) return { status: 'unchecked', detail: 'The folder does not configure Ruff.', proved: [] };
    const ruff = this.ruff();
    if (!ruff) return { status: 'unchecked', detail: this.notFound(), proved: [] };
    const files: LintedFile[] = [];
    for (const c of changed) {
      // The targets' file is read with `# noqa` honoured and ignored: what only the second finds was hidden by a comment (judgeLint calls that silencing).
      const hidden = ours && c.filePath === main;
      const was = await this.result(ruff, c.filePath, c.before, hidden);
      if (typeof was === 'string') return { status: 'unchecked', detail: was, proved: [] };
      const now = c.after === c.before ? was : await this.result(ruff, c.filePath, c.after, hidden);
      if (typeof now === 'string') return { status: 'unchecked', detail: now, proved: [] };
      files.push({ ...c, was, now });
    }
    return judgeLint(
      request.targets,
      files.find((f) => f.filePath === main),
      files,
      { version: this.version(ruff), root: this.root, linter: RUFF },
    );
  }

  /** Ruff's own fix for the target, when Ruff calls it safe; never a `# noqa`. */
  async fixes(filePath: string, text: string, target: DiagnosticInfo): Promise<CompilerFix[]> {
    const ruff = isLinterTarget(target, RUFF) ? this.ruff() : undefined;
    if (!ruff) return [];
    const file = path.resolve(filePath);
    const messages = await this.check(ruff, file, text);
    if (typeof messages === 'string') return [];
    const m = locateMessage(target, messages, RUFF) as RuffMessage | undefined;
    const fix = m?.ruffFix;
    if (!m?.ruleId || fix?.applicability !== 'safe') return [];
    const after = applyTextEdits(text, fix.edits);
    if (after === text || silencingIn([{ filePath: file, before: text, after }])) return [];
    return [{ fixName: m.ruleId, description: `Ruff's fix for ${m.ruleId}: ${(fix.description ?? m.message).replace(/\.$/, '')}`, files: [{ filePath: file, before: text, after }] }];
  }

  /** One file's Ruff problems as on disk; undefined when the folder does not configure Ruff, no ruff is found or it is not Python. */
  async problems(file: string): Promise<DiagnosticInfo[] | undefined> {
    const ruff = this.usesRuff() && isPythonFile(file) && this.inside(path.resolve(file)) ? this.ruff() : undefined;
    if (!ruff) return undefined;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const messages = await this.check(ruff, path.resolve(file), text);
    return typeof messages === 'string' ? undefined : messages.map(diagnosticOf);
  }

  /** Every file of the folder with Ruff problems, as `ruff check .` finds them. */
  async all(): Promise<FileDiagnostics[]> {
    const ruff = this.usesRuff() ? this.ruff() : undefined;
    if (!ruff) return [];
    const ran = await runRuff(ruff.path, [...CHECK_ARGS, '.'], this.root);
    if ('error' in ran) return [];
    const byFile = new Map<string, ReturnType<typeof parseRuffReport>>();
    for (const r of parseRuffReport(ran.report)) {
      const file = path.resolve(this.root, r.filename);
      byFile.set(file, [...(byFile.get(file) ?? []), r]);
    }
    return [...byFile].flatMap(([file, report]) => {
      try {
        return [{ file, diagnostics: messagesOf(report, readFileSync(file, 'utf8')).map(diagnosticOf) }];
      } catch {
        return [];
      }
    });
  }

  /** Why Ruff does not check here, or undefined when it does. */
  unavailable(): string | undefined {
    if (!this.usesRuff()) return 'The folder does not configure Ruff.';
    return this.ruff() ? undefined : this.notFound();
  }

  private notFound(): string {
    return `No ruff found beside the folder's Python${this.options.bundled ? ', on PATH or in the Ruff extension' : ' or on PATH'}${this.options.trusted() ? '' : ' (a ruff inside an untrusted folder is never run)'}.`;
  }

  private inside(file: string): boolean {
    const rel = path.relative(this.root, file);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  }

  private version(ruff: FoundRuff): string {
    let v = this.versions.get(ruff.path);
    if (v === undefined) {
      try {
        v = /\d+\.\d+\.\d+\S*/.exec(execFileSync(ruff.path, ['--version'], { encoding: 'utf8', timeout: 10_000, env: checkEnv() }))?.[0] ?? '';
      } catch {
        v = '';
      }
      this.versions.set(ruff.path, v);
    }
    return v;
  }

  /** Ruff's results for `text` as the file at `file`; with `hidden`, also what `# noqa` comments hide (as ESLint's suppressedMessages). */
  private async result(ruff: FoundRuff, file: string, text: string, hidden: boolean): Promise<LintResult | string> {
    const messages = await this.check(ruff, file, text);
    if (typeof messages === 'string' || !hidden) return typeof messages === 'string' ? messages : { filePath: file, messages };
    const all = await this.check(ruff, file, text, true);
    if (typeof all === 'string') return all;
    const shown = messages.map((m) => `${m.ruleId}:${m.line}:${m.column}`);
    const suppressedMessages = all.filter((m) => {
      const at = shown.indexOf(`${m.ruleId}:${m.line}:${m.column}`);
      if (at >= 0) shown.splice(at, 1);
      return at < 0;
    });
    return { filePath: file, messages, suppressedMessages };
  }

  /** Ruff's problems for `text` as the file at `file` (or why it could not say), from the last half minute's when checked then. */
  private async check(ruff: FoundRuff, file: string, text: string, ignoreNoqa = false): Promise<RuffMessage[] | string> {
    const key = `${ruff.path}\0${file}\0${ignoreNoqa}\0${sha256(text)}`;
    const hit = this.recent.get(key);
    if (hit && Date.now() - hit.at < RECENT_MS) return hit.result;
    const ran = await runRuff(ruff.path, [...CHECK_ARGS, ...(ignoreNoqa ? ['--ignore-noqa'] : []), '--stdin-filename', file, '-'], this.root, text);
    let result: RuffMessage[] | string;
    try {
      result = 'error' in ran ? ran.error : messagesOf(parseRuffReport(ran.report), text);
    } catch (err) {
      result = (err as Error).message;
    }
    this.recent.delete(key);
    this.recent.set(key, { at: Date.now(), result });
    for (const old of this.recent.keys()) if (this.recent.size > RECENT_MAX) this.recent.delete(old);
    return result;
  }
}

/** Runs ruff: its report (stdout), or why it gave none (with its own last words). */
function runRuff(program: string, args: string[], cwd: string, stdin?: string): Promise<{ report: string } | { error: string }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd, env: checkEnv(), detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let size = 0;
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (size <= OUTPUT_LIMIT) out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4000)));
    const timer = setTimeout(() => killGroup(child.pid), RUN_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ error: `Ruff could not start (${e.message}).` });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const said = err.trim().split('\n').filter(Boolean).slice(-3).join(' ').replace(/\s+/g, ' ');
      if (signal) resolve({ error: `Ruff was stopped (${signal}${signal === 'SIGKILL' ? `, after ${RUN_MS / 1000} s` : ''}).` });
      else if (size > OUTPUT_LIMIT) resolve({ error: `Ruff's report is over ${OUTPUT_LIMIT / 1024 / 1024} MB.` });
      else if (code !== 0) resolve({ error: `Ruff could not check (exit ${code}${said ? `: ${said}` : ''}).` });
      else resolve({ report: Buffer.concat(out).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ?? '');
  });
}
