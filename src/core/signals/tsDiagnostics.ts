/**
 * A headless host's diagnostics for TypeScript and JavaScript: the workspace's own `typescript`
 * language service over its tsconfig (the same loading as the check), kept warm, so a changed file
 * is re-checked incrementally — files are re-read only when their modification time moves.
 */
import { statSync } from 'node:fs';
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
  /** When each config's file list was read (ms since the epoch): a file made later may be one it lists now. */
  private readonly readAt = new Map<string, number>();
  /** Files a fresh reading of their config left out, and when: saved again, they are not a reason to read it again until the config itself changes. */
  private readonly leftOut = new Map<string, number>();
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
    const abs = path.resolve(file);
    const program = this.programFor(path.dirname(file));
    if (!program || (!program.projectFiles().includes(abs) && !this.takeInNew(program, abs))) return undefined;
    return this.diagnosticsIn(program, abs);
  }

  /**
   * A file made after its config's file list was read (created, renamed into place, checked out):
   * the list is read again, and the file becomes one of the program's roots if the config takes it
   * in. An older file the config leaves out, or one a reading already left out (until the config
   * changes), is not read for again: saving such a file stays cheap.
   */
  private takeInNew(program: ShadowProgram, file: string): boolean {
    const ts = this.ts!;
    const config = ts.findConfigFile(path.dirname(file), ts.sys.fileExists);
    const readAt = config ? this.readAt.get(config) : undefined;
    // The inode's change time too: a rename keeps a file's modification time.
    const madeAt = changedAt(file);
    if (!config || readAt === undefined || madeAt === undefined || madeAt < readAt) return false;
    const leftOutAt = this.leftOut.get(file);
    if (leftOutAt !== undefined && (changedAt(config) ?? Infinity) < leftOutAt) return false;
    const now = Date.now();
    this.readAt.set(config, now);
    const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (!parsed) return false;
    // Every file the config takes in now and the program lacks (others made meanwhile, too).
    const known = new Set(program.projectFiles());
    const listed = parsed.fileNames.map((f) => path.resolve(f));
    for (const f of listed) if (!known.has(f)) program.addRoot(f);
    if (listed.includes(file)) return true;
    this.leftOut.set(file, now);
    return false;
  }

  private programFor(dir: string): ShadowProgram | undefined {
    const ts = this.ts;
    if (!ts || !this.registry) return undefined;
    const config = ts.findConfigFile(dir, ts.sys.fileExists);
    if (!config || !path.resolve(config).startsWith(path.resolve(this.root) + path.sep)) return undefined;
    if (!this.programs.has(config)) {
      this.readAt.set(config, Date.now());
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

/** When a file last changed, its content or its name (the later of mtime and ctime); undefined when it cannot be read. */
function changedAt(file: string): number | undefined {
  try {
    const stat = statSync(file);
    return Math.max(stat.mtimeMs, stat.ctimeMs);
  } catch {
    return undefined;
  }
}
