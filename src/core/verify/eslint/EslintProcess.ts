/**
 * The workspace's ESLint for one folder — proposal checks, ESLint's own fixes (rung 0) and a
 * headless host's lint problems — in a child process that ends after a spell unused (as
 * TypeScriptProcess does), with a check's clean environment: loading the config runs the
 * repository's code, so nothing starts in a repository the user does not trust. A check whose
 * process stops is `unchecked`, never `passed`. Claims ESLint's targets only.
 */
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../../shared/agentProtocol';
import type { CheckResult } from '../../../shared/types';
import { IdleChild, WARM_WHILE_WORKED_ON_MS } from '../../idleChild';
import type { FileDiagnostics } from '../../signals/tsDiagnostics';
import type { CompilerFix, CompilerFixer } from '../compilerFixes';
import { checkEnv } from '../processRun';
import type { Verifier, VerifyRequest } from '../Verifier';
import { isEslintTarget } from './eslintMessages';
import { eslintPackage, findConfig } from './workspaceEslint';

const CHILD_FILE = path.join(__dirname, 'eslintProcessMain.js');
/** ESLint and its config (typescript-eslint's parser, a TypeScript program for typed rules) are let go after this long unused (idleChild.ts). */
export const ESLINT_IDLE_MS = WARM_WHILE_WORKED_ON_MS;

export type EslintRequest = { op: 'verify'; request: VerifyRequest } | { op: 'fixes'; filePath: string; text: string; target: DiagnosticInfo } | { op: 'problems'; file: string } | { op: 'all' } | { op: 'unavailable' };

export interface EslintProcessOptions {
  /** Whether the user trusts the repository to run its own code (its ESLint config is code). */
  trusted: () => boolean;
  idleMs?: number;
}

export class EslintProcess implements Verifier, CompilerFixer {
  private readonly child: IdleChild<EslintRequest>;

  constructor(
    private readonly root: string,
    private readonly options: EslintProcessOptions,
  ) {
    const flat = process.env.ESLINT_USE_FLAT_CONFIG;
    this.child = new IdleChild(CHILD_FILE, [root], options.idleMs ?? ESLINT_IDLE_MS, 'The ESLint checker', { ...checkEnv(), ...(flat ? { ESLINT_USE_FLAT_CONFIG: flat } : {}) });
  }

  /** The workspace is being worked on (a save): a warm ESLint stays another idle spell. */
  touch(): void {
    this.child.touch();
  }

  /** Whether the checker's process runs now. */
  get warm(): boolean {
    return this.child.warm();
  }

  async verify(request: VerifyRequest): Promise<CheckResult> {
    const why = this.notHere();
    if (why) return { status: 'unchecked', detail: why, proved: [] };
    try {
      return (await this.child.ask({ op: 'verify', request })) as CheckResult;
    } catch (err) {
      return { status: 'unchecked', detail: `${err instanceof Error ? err.message : String(err)} The change was not checked with ESLint.`, proved: [] };
    }
  }

  /** "ESLint 9.39.5" for an ESLint target (or any, when none is given) where ESLint can run; else undefined. */
  tool(_filePath: string, target?: DiagnosticInfo): string | undefined {
    if ((target && !isEslintTarget(target)) || this.notHere()) return undefined;
    return `ESLint ${eslintPackage(this.root)!.version}`;
  }

  async fixes(filePath: string, text: string, target: DiagnosticInfo): Promise<CompilerFix[]> {
    if (!this.tool(filePath, target)) return [];
    try {
      return (await this.child.ask({ op: 'fixes', filePath, text, target })) as CompilerFix[];
    } catch {
      return [];
    }
  }

  /** One file's lint problems as on disk; undefined when ESLint does not lint it here. */
  async problems(file: string): Promise<DiagnosticInfo[] | undefined> {
    if (this.notHere()) return undefined;
    return (await this.child.ask({ op: 'problems', file })) as DiagnosticInfo[] | undefined;
  }

  /** Every linted file of the folder with problems. */
  async all(): Promise<FileDiagnostics[]> {
    if (this.notHere()) return [];
    return (await this.child.ask({ op: 'all' })) as FileDiagnostics[];
  }

  /** Why there are no ESLint checks or problems here, or undefined when there are (loads the config to know). */
  async unavailable(): Promise<string | undefined> {
    return this.notHere() ?? ((await this.child.ask({ op: 'unavailable' })) as string | undefined);
  }

  /** Whether the workspace lints with ESLint at all (a package and a config), whether or not it may run here. */
  usesEslint(): boolean {
    return eslintPackage(this.root) !== undefined && findConfig(this.root) !== undefined;
  }

  dispose(): Promise<void> {
    return this.child.dispose();
  }

  /** What keeps ESLint from running here, told without running anything of the repository's. */
  private notHere(): string | undefined {
    if (!eslintPackage(this.root)) return "The workspace has no 'eslint' package to check with.";
    if (!findConfig(this.root)) return 'No ESLint config (eslint.config.* or .eslintrc) applies to this folder.';
    if (!this.options.trusted()) return "ESLint did not run: its config is the repository's own code, and the repository is not trusted.";
    return undefined;
  }
}
