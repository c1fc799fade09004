/**
 * A headless host's diagnostics for TypeScript and JavaScript: the workspace's own `typescript`
 * language service over its tsconfig (the same loading as the check), kept warm, so a changed file
 * is re-checked incrementally — files are re-read only when their modification time moves.
 */
import * as path from 'node:path';
import type * as TS from 'typescript';
import type { DiagnosticInfo } from '../../shared/agentProtocol';
import { ShadowProgram, workspaceTypeScript } from '../verify/tsProject';

export const TS_SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

export interface FileDiagnostics {
  /** Absolute path. */
  file: string;
  diagnostics: DiagnosticInfo[];
}

export class TsDiagnostics {
  private ts: typeof TS | undefined;
  private readonly programs = new Map<string, ShadowProgram | undefined>();
  private readonly registry: TS.DocumentRegistry | undefined;

  constructor(
    private readonly root: string,
    /** Whether the repository is trusted to supply its own `typescript` (workspaceTypeScript). */
    private readonly trusted = true,
  ) {
    this.ts = workspaceTypeScript(root, trusted);
    this.registry = this.ts?.createDocumentRegistry();
  }

  /** Why there are no TypeScript diagnostics here, or undefined when there are. */
  unavailable(): string | undefined {
    if (!this.ts) this.ts = workspaceTypeScript(this.root, this.trusted);
    if (!this.ts) return this.trusted ? "the workspace has no 'typescript' package (run npm install)" : "the repository is not trusted, so its own 'typescript' package is not loaded, and Nightshift has none of its own here (trust it with nightshift trust <folder>)";
    if (!this.ts.findConfigFile(this.root, this.ts.sys.fileExists)) return 'no tsconfig.json or jsconfig.json at the workspace root';
    return undefined;
  }

  /** Every file of the root project that has errors or warnings. */
  all(): FileDiagnostics[] {
    const program = this.programFor(this.root);
    if (!program) return [];
    return program
      .projectFiles()
      .map((file) => ({ file, diagnostics: this.diagnosticsIn(program, file) }))
      .filter((f) => f.diagnostics.length > 0);
  }

  /** One file's diagnostics now (as on disk); undefined when no project covers it. */
  file(file: string): DiagnosticInfo[] | undefined {
    if (!TS_SOURCE.test(file)) return undefined;
    const program = this.programFor(path.dirname(file));
    if (!program || !program.projectFiles().includes(path.resolve(file))) return undefined;
    return this.diagnosticsIn(program, path.resolve(file));
  }

  private programFor(dir: string): ShadowProgram | undefined {
    const ts = this.ts;
    if (!ts || !this.registry) return undefined;
    const config = ts.findConfigFile(dir, ts.sys.fileExists);
    if (!config || !path.resolve(config).startsWith(path.resolve(this.root) + path.sep)) return undefined;
    if (!this.programs.has(config)) {
      const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
      this.programs.set(config, parsed ? new ShadowProgram(ts, parsed, path.dirname(config), this.registry) : undefined);
    }
    return this.programs.get(config);
  }

  private diagnosticsIn(program: ShadowProgram, file: string): DiagnosticInfo[] {
    const ts = this.ts!;
    const found = [...program.service.getSyntacticDiagnostics(file), ...program.service.getSemanticDiagnostics(file)];
    return found
      .filter((d) => d.category === ts.DiagnosticCategory.Error || d.category === ts.DiagnosticCategory.Warning)
      .map((d) => {
        const source = d.file ?? program.service.getProgram()?.getSourceFile(file);
        const at = (offset: number) => source?.getLineAndCharacterOfPosition(offset) ?? { line: 0, character: 0 };
        const start = at(d.start ?? 0);
        const end = at((d.start ?? 0) + (d.length ?? 0));
        return {
          message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
          severity: d.category === ts.DiagnosticCategory.Error ? ('error' as const) : ('warning' as const),
          source: 'ts',
          code: String(d.code),
          range: { startLine: start.line, startCharacter: start.character, endLine: end.line, endCharacter: end.character },
        };
      });
  }
}
