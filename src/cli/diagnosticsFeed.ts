/**
 * The headless host's diagnostics, in the shape the editor sends: the workspace's TypeScript
 * language service for TS/JS, the workspace's ESLint (warm in the ESLint checker's process) for
 * what its config lints, pyright (the engine's Python checker, warm) for Python files, ruff where
 * the folder configures Ruff, and the configured check commands' output read with the problem
 * matchers for every other language. Errors only unless `includeWarnings`.
 */
import { exec } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DiagnosticInfo, SettledDiagnosticsParams } from '../shared/agentProtocol';
import { languageOf } from '../core/agent/taskSources';
import { byFile, matchProblems } from '../core/signals/problemMatcher';
import { TsDiagnosticsService } from '../core/signals/tsDiagnosticsService';
import { TS_SOURCE } from '../core/signals/tsDiagnostics';
import { checkEnv } from '../core/verify/processRun';
import type { EslintProcess } from '../core/verify/eslint/EslintProcess';
import type { PyrightVerifier } from '../core/verify/python/PyrightVerifier';
import type { RuffChecker } from '../core/verify/ruff/RuffChecker';
import type { KeptLook } from '../core/agent/proposalBoard';

/** How much of a check command's output is read for problems. */
const OUTPUT_LIMIT = 4 * 1024 * 1024;

export class DiagnosticsFeed {
  readonly ts: TsDiagnosticsService;
  /** Files with problems that could not be read, by workspace-relative path, and why (a scan lists them). */
  readonly unreadable = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly settings: () => Record<string, unknown>,
    /** Whether the team policy lets the check commands run (privacy.checkCommands). */
    private readonly commandsAllowed: () => boolean = () => true,
    /** The workspace's ESLint (the engine's checker for the folder); none: no lint problems. */
    private readonly eslint?: Pick<EslintProcess, 'problems' | 'all' | 'unavailable' | 'usesEslint'>,
    /** Whether the repository is trusted to supply its own `typescript` (else Nightshift's own is used). */
    trusted = true,
    /** pyright for the folder's Python files (the engine's checker); none: no Python problems. */
    private readonly python?: Pick<PyrightVerifier, 'problems' | 'all'>,
    /** The folder's ruff (the engine's checker); none, or a folder that does not configure Ruff: no Ruff problems. */
    private readonly ruff?: Pick<RuffChecker, 'problems' | 'all' | 'unavailable' | 'usesRuff'>,
  ) {
    this.ts = new TsDiagnosticsService(root, undefined, trusted);
  }

  /** Every file with problems now: the whole TypeScript project, what ESLint, pyright and Ruff find, then each check command's findings. */
  async all(): Promise<SettledDiagnosticsParams[]> {
    const found = new Map<string, DiagnosticInfo[]>();
    for (const f of await this.ts.all()) found.set(f.file, f.diagnostics);
    for (const f of (await this.eslint?.all().catch(() => [])) ?? []) found.set(f.file, [...(found.get(f.file) ?? []), ...f.diagnostics]);
    for (const f of (await this.python?.all().catch(() => [])) ?? []) found.set(f.file, [...(found.get(f.file) ?? []), ...f.diagnostics]);
    for (const f of (await this.ruff?.all().catch(() => [])) ?? []) found.set(f.file, [...(found.get(f.file) ?? []), ...f.diagnostics]);
    for (const [file, list] of await this.fromCommands()) found.set(file, [...(found.get(file) ?? []), ...list]);
    return [...found].flatMap(([file, list]) => this.params(file, list));
  }

  /** One changed file's TypeScript, ESLint, pyright and Ruff problems (none when it is clean; undefined when none checks it). */
  async file(file: string): Promise<SettledDiagnosticsParams[] | undefined> {
    const types = TS_SOURCE.test(file) ? await this.ts.file(file) : undefined;
    const lint = await this.eslint?.problems(file).catch(() => undefined);
    const python = await this.python?.problems(file).catch(() => undefined);
    const ruff = await this.ruff?.problems(file).catch(() => undefined);
    if (types === undefined && lint === undefined && python === undefined && ruff === undefined) return undefined;
    return this.params(file, [...(types ?? []), ...(lint ?? []), ...(python ?? []), ...(ruff ?? [])]);
  }

  /** What the checkers say of one file now, unfiltered, and which of them looked; undefined when none did or it cannot be read. */
  async look(file: string): Promise<KeptLook | undefined> {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const types = TS_SOURCE.test(file) ? await this.ts.file(file) : undefined;
    const lint = await this.eslint?.problems(file).catch(() => undefined);
    const python = await this.python?.problems(file).catch(() => undefined);
    const ruff = await this.ruff?.problems(file).catch(() => undefined);
    const sources = [...(types ? ['ts'] : []), ...(lint ? ['eslint'] : []), ...(python ? ['Pyright', ...python.flatMap((d) => (d.source ? [d.source] : []))] : []), ...(ruff ? ['Ruff'] : [])];
    return sources.length > 0 ? { text, sources, problems: [...(types ?? []), ...(lint ?? []), ...(python ?? []), ...(ruff ?? [])] } : undefined;
  }

  /** Why Ruff reports no problems here, for a folder that configures Ruff; undefined when it does, or when the folder does not configure it. */
  ruffUnavailable(): string | undefined {
    return this.ruff?.usesRuff() ? this.ruff.unavailable() : undefined;
  }

  /** Why ESLint reports no problems here, for a workspace that lints with ESLint; undefined when it does, or when the workspace has no ESLint. */
  async lintUnavailable(): Promise<string | undefined> {
    return this.eslint?.usesEslint() ? this.eslint.unavailable().catch((err: Error) => err.message) : undefined;
  }

  /** The check commands' problems, by file (commands run in the workspace folder, one at a time, with a check's clean environment). */
  async fromCommands(): Promise<Map<string, DiagnosticInfo[]>> {
    if (!this.commandsAllowed()) return new Map();
    const commands = (this.settings().checkCommands as unknown[] | undefined)?.filter((c): c is string => typeof c === 'string' && c.trim() !== '') ?? [];
    const all = new Map<string, DiagnosticInfo[]>();
    for (const command of commands) {
      const output = await new Promise<string>((resolve) => {
        exec(command, { cwd: this.root, maxBuffer: OUTPUT_LIMIT, timeout: 300_000, env: { ...checkEnv(), FORCE_COLOR: '0' } }, (_err, stdout, stderr) => resolve(`${stdout}\n${stderr}`));
      });
      const source = command
        .trim()
        .split(/\s+/)
        .find((w) => !/^(npx|npm|run|exec|pnpm|yarn)$/.test(w));
      for (const [file, list] of byFile(matchProblems(output, this.root, source))) {
        if (!file.startsWith(this.root + path.sep)) continue;
        all.set(file, [...(all.get(file) ?? []), ...list]);
      }
    }
    return all;
  }

  /**
   * What the editor would send for this file: its text and problems (errors only unless
   * includeWarnings). Nothing when no problem is left, unless `evenIfClean` (a save: markers, reviews).
   */
  params(file: string, diagnostics: DiagnosticInfo[], evenIfClean = false): SettledDiagnosticsParams[] {
    const wanted = this.settings().includeWarnings === true ? diagnostics : diagnostics.filter((d) => d.severity === 'error');
    if (wanted.length === 0 && !evenIfClean) return [];
    const relativePath = path.relative(this.root, file).split(path.sep).join('/');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      this.unreadable.set(relativePath, `it has problems but could not be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      return [];
    }
    this.unreadable.delete(relativePath);
    return [{ uri: pathToFileURL(file).href, relativePath, languageId: languageOf(relativePath), text, diagnostics: wanted }];
  }
}
