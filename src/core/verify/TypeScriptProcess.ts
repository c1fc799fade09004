/**
 * The workspace's TypeScript — the proposal checks and the compiler's own fixes (rung 0) — run in
 * a child process that ends after a spell unused, so a host that runs all day (the editor's server,
 * `nightshift watch`) gives a project's memory back between bursts of work. The checks themselves
 * are TypeScriptVerifier's, unchanged, in that process. A child that stops mid-request makes the
 * check `unchecked` (never `passed`) and offers no compiler fix.
 */
import * as path from 'node:path';
import type { CheckResult } from '../../shared/types';
import type { DiagnosticInfo } from '../../shared/agentProtocol';
import { IdleChild, WARM_WHILE_WORKED_ON_MS } from '../idleChild';
import type { CompilerFix, CompilerFixer } from './compilerFixes';
import { typeScriptVersion, UNTRUSTED } from './tsProject';
import type { Verifier, VerifyRequest } from './Verifier';

const CHILD_FILE = path.join(__dirname, 'typescriptProcessMain.js');
const TS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

export type TypeScriptRequest = { op: 'verify'; request: VerifyRequest } | { op: 'fixes'; filePath: string; text: string; target: DiagnosticInfo };

export class TypeScriptProcess implements Verifier, CompilerFixer {
  private readonly child: IdleChild<TypeScriptRequest>;
  private version: string | null | undefined;

  constructor(
    private readonly root: string,
    idleMs = WARM_WHILE_WORKED_ON_MS,
    /** Whether the repository is trusted to supply its own `typescript` (else Nightshift's own is used: workspaceTypeScript). */
    private readonly trusted = true,
  ) {
    this.child = new IdleChild(CHILD_FILE, trusted ? [root] : [root, UNTRUSTED], idleMs, 'The TypeScript checker');
  }

  /** The workspace is being worked on (a save): a warm checker stays another idle spell. */
  touch(): void {
    this.child.touch();
  }

  /** Whether the checker's process runs now. */
  get warm(): boolean {
    return this.child.warm();
  }

  async verify(request: VerifyRequest): Promise<CheckResult> {
    try {
      return (await this.child.ask({ op: 'verify', request })) as CheckResult;
    } catch (err) {
      return { status: 'unchecked', detail: `${err instanceof Error ? err.message : String(err)} The change was not checked.` };
    }
  }

  /** The TypeScript checked with and its version, read from its package.json (the compiler itself is not loaded here). */
  tool(filePath: string): string | undefined {
    if (!TS_FILE.test(filePath)) return undefined;
    if (this.version === undefined) this.version = typeScriptVersion(this.root, this.trusted) ?? null;
    if (!this.version) return undefined;
    return this.trusted ? `TypeScript ${this.version}` : `TypeScript ${this.version} (Nightshift's own: the repository is not trusted)`;
  }

  async fixes(filePath: string, text: string, target: DiagnosticInfo): Promise<CompilerFix[]> {
    if (!this.tool(filePath)) return [];
    try {
      return (await this.child.ask({ op: 'fixes', filePath, text, target })) as CompilerFix[];
    } catch {
      return [];
    }
  }

  dispose(): Promise<void> {
    return this.child.dispose();
  }
}
