/**
 * The workspace's ESLint as a checker, for one folder: proposal checks (nothing written: texts go
 * to `lintText` as the files they would be), ESLint's own fixes (rung 0) and a headless host's
 * lint problems. ESLint and its config stay loaded between requests and are loaded again when the
 * config file changes. Runs the repository's config code: only in the checker's child process
 * (EslintProcess), only where the repository is trusted.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../../shared/agentProtocol';
import type { CheckResult } from '../../../shared/types';
import type { FileDiagnostics } from '../../signals/tsDiagnostics';
import type { CompilerFix } from '../compilerFixes';
import type { VerifyRequest } from '../Verifier';
import { judgeLint, type LintedFile } from './eslintJudge';
import { lintFixes } from './eslintFixes';
import { diagnosticOf } from './eslintMessages';
import { configStamp, eslintPackage, WorkspaceEslint, type LintResult } from './workspaceEslint';
import { sha256 } from '../../hash';

/** A text linted in the last half minute is not linted again (rung 0 checks one file's text against several fixes; a retry does too). */
const RECENT_MS = 30_000;
const RECENT_MAX = 32;

export class EslintChecker {
  private loaded: { stamp: string; eslint: Promise<WorkspaceEslint | string> } | undefined;
  private readonly recent = new Map<string, { at: number; result: LintResult | undefined }>();

  constructor(private readonly root: string) {}

  async verify(request: VerifyRequest): Promise<CheckResult> {
    const eslint = await this.eslint();
    if (typeof eslint === 'string') return { status: 'unchecked', detail: eslint, proved: [] };
    const main = path.resolve(request.filePath);
    const changed = [{ filePath: main, before: request.before, after: request.after }, ...(request.also ?? []).map((o) => ({ ...o, filePath: path.resolve(o.filePath) }))];
    const files: LintedFile[] = [];
    for (const c of changed) {
      const was = await this.lint(eslint, c.filePath, c.before);
      if (!was) continue;
      const now = c.after === c.before ? was : await this.lint(eslint, c.filePath, c.after);
      if (now) files.push({ ...c, was, now });
    }
    if (files.length === 0) return { status: 'unchecked', detail: `No ESLint config applies to ${path.relative(this.root, main)}.`, proved: [] };
    return judgeLint(
      request.targets,
      files.find((f) => f.filePath === main),
      files,
      { version: eslint.version, root: this.root },
    );
  }

  async fixes(filePath: string, text: string, target: DiagnosticInfo): Promise<CompilerFix[]> {
    const eslint = await this.eslint();
    return typeof eslint === 'string' ? [] : lintFixes((file, t) => this.lint(eslint, file, t), path.resolve(filePath), text, target);
  }

  /** One file's lint problems as on disk; undefined when ESLint does not lint it. */
  async problems(file: string): Promise<DiagnosticInfo[] | undefined> {
    const eslint = await this.eslint();
    if (typeof eslint === 'string') return undefined;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const result = await this.lint(eslint, path.resolve(file), text);
    return result?.messages.filter((m) => m.ruleId !== null).map(diagnosticOf);
  }

  /** Every linted file of the folder that has problems (as `eslint .` finds them). */
  async all(): Promise<FileDiagnostics[]> {
    const eslint = await this.eslint();
    if (typeof eslint === 'string') return [];
    return (await eslint.lintAll()).map((r) => ({ file: path.resolve(r.filePath), diagnostics: r.messages.filter((m) => m.ruleId !== null).map(diagnosticOf) })).filter((f) => f.diagnostics.length > 0);
  }

  /** Why ESLint cannot check here, or undefined when it can. */
  async unavailable(): Promise<string | undefined> {
    const eslint = await this.eslint();
    return typeof eslint === 'string' ? eslint : undefined;
  }

  /** ESLint with the config as it is now: loaded once per config (and package) version. */
  private eslint(): Promise<WorkspaceEslint | string> {
    const stamp = `${eslintPackage(this.root)?.version ?? ''}|${configStamp(this.root)}`;
    if (this.loaded?.stamp !== stamp) {
      this.loaded = { stamp, eslint: WorkspaceEslint.open(this.root) };
      this.recent.clear();
    }
    return this.loaded.eslint;
  }

  /** ESLint's results for `text` as the file at `file`, from the last half minute's when it was linted then. */
  private async lint(eslint: WorkspaceEslint, file: string, text: string): Promise<LintResult | undefined> {
    const key = `${file}\0${sha256(text)}`;
    const hit = this.recent.get(key);
    if (hit && Date.now() - hit.at < RECENT_MS) return hit.result;
    const result = await eslint.lint(file, text);
    this.recent.delete(key);
    this.recent.set(key, { at: Date.now(), result });
    for (const old of this.recent.keys()) if (this.recent.size > RECENT_MAX) this.recent.delete(old);
    return result;
  }
}
