/**
 * Python files checked with pyright, for one workspace folder: the change's Python files and the
 * modules importing them (pythonImports.ts) are analysed by the warm language server
 * (PyrightServer) with the texts before the change, then after it, and judged (pyrightJudge.ts).
 * The folder's interpreter (pythonEnv.ts) and its pyrightconfig.json / pyproject.toml are what
 * pyright checks with. pyright runs none of the repository's code, so it checks untrusted folders
 * too — with an interpreter from outside the folder. Also the headless host's Python problems.
 * Claims pyright's targets only; a file it cannot check is `unchecked`, never `passed`.
 */
import { statSync } from 'node:fs';
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../../shared/agentProtocol';
import type { CheckResult } from '../../../shared/types';
import type { FileDiagnostics } from '../../signals/tsDiagnostics';
import { sha256 } from '../../hash';
import type { Verifier, VerifyRequest } from '../Verifier';
import { PyrightServer, type LspDiagnostic } from './PyrightServer';
import { counts, diagnosticOf, isPyrightTarget, judgePyright, type CheckedFile } from './pyrightJudge';
import { findInterpreter, looksLikePython, pyrightPackage, type PythonInterpreter } from './pythonEnv';
import { affectedBy, configuredIn, importsOf, moduleRoots, pythonFiles } from './pythonImports';

/** How many bases' diagnostics are kept. */
const BASES_KEPT = 8;

export const isPythonFile = (file: string): boolean => /\.pyi?$/i.test(file);

export interface PyrightVerifierOptions {
  /** Whether the user trusts the repository (an interpreter inside it is its code). */
  trusted: () => boolean;
  /** The editor's `python.defaultInterpreterPath` for the folder, if set. */
  configuredInterpreter?: () => string | undefined;
  /** The setting the configured interpreter comes from (default: python.defaultInterpreterPath). */
  configuredFrom?: string;
  idleMs?: number;
}

/** What the Activity view says about a folder's Python: the interpreter and what checks with it. */
export interface PythonSetup {
  interpreter: PythonInterpreter | undefined;
  pyright: string | undefined;
}

export class PyrightVerifier implements Verifier {
  private readonly server: PyrightServer;
  /** Each Python file's imports, kept while its modification time and size hold. */
  private readonly imports = new Map<string, { stamp: string; deps: string[] }>();
  /** pyright's diagnostics of recent bases (the texts before a change), by what they were made of. */
  private readonly bases = new Map<string, Map<string, LspDiagnostic[]>>();

  constructor(
    private readonly root: string,
    private readonly options: PyrightVerifierOptions,
  ) {
    this.server = new PyrightServer(root, { interpreter: () => this.interpreter(), trusted: options.trusted, idleMs: options.idleMs });
  }

  /** Whether pyright's process runs now. */
  get warm(): boolean {
    return this.server.warm;
  }

  pid(): number | undefined {
    return this.server.pid();
  }

  interpreter(): PythonInterpreter | undefined {
    return findInterpreter(this.root, { configured: this.options.configuredInterpreter?.(), ...(this.options.configuredFrom ? { configuredFrom: this.options.configuredFrom } : {}), trusted: this.options.trusted() });
  }

  /** The folder's Python setup, or undefined when it holds no Python. */
  setup(): PythonSetup | undefined {
    if (!looksLikePython(this.root)) return undefined;
    const pkg = pyrightPackage();
    return { interpreter: this.interpreter(), pyright: pkg ? `pyright ${pkg.version}` : undefined };
  }

  async verify(request: VerifyRequest): Promise<CheckResult> {
    const changed = [request, ...(request.also ?? [])].map((f) => ({ ...f, filePath: path.resolve(f.filePath) })).filter((f) => isPythonFile(f.filePath) && this.inside(f.filePath));
    const main = path.resolve(request.filePath);
    const ours = request.targets.some(isPyrightTarget);
    // Not Python: nothing to say (another part checks it).
    if (changed.length === 0 && !ours) return { status: 'unchecked', detail: '', proved: [] };
    const pkg = pyrightPackage();
    if (!pkg) return { status: 'unchecked', detail: 'pyright is not installed with Nightshift, so Python files are not checked.', proved: [] };
    if (changed.length === 0) return { status: 'unchecked', detail: `${path.basename(main)} is not a Python file in this folder: pyright does not check it.`, proved: [] };
    const interpreter = this.interpreter();
    const graph = this.importers();
    const affected = affectedBy(
      changed.map((f) => f.filePath),
      graph.importers,
    ).filter((f) => !changed.some((c) => c.filePath === f));
    let was: Map<string, LspDiagnostic[]>;
    let now: Map<string, LspDiagnostic[]>;
    try {
      // The base is the same for every candidate of a task (rung 0's, a model's retries): analysed once while no Python file changes on disk.
      const baseKey = sha256([interpreter?.path ?? '', graph.stamp, ...changed.flatMap((f) => [f.filePath, f.before]), ...affected].join('\0'));
      was = this.bases.get(baseKey) ?? (await this.server.diagnostics([...changed.map((f) => ({ filePath: f.filePath, text: f.before })), ...affected.map((filePath) => ({ filePath }))]));
      this.bases.delete(baseKey);
      this.bases.set(baseKey, was);
      for (const old of this.bases.keys()) if (this.bases.size > BASES_KEPT) this.bases.delete(old);
      now = await this.server.diagnostics([...changed.map((f) => ({ filePath: f.filePath, text: f.after })), ...affected.map((filePath) => ({ filePath }))]);
    } catch (err) {
      return { status: 'unchecked', detail: `${err instanceof Error ? err.message : String(err)} The change was not checked with pyright.`, proved: [] };
    }
    const files: CheckedFile[] = [...changed.map((f) => ({ ...f, was: was.get(f.filePath) ?? [], now: now.get(f.filePath) ?? [] })), ...affected.map((filePath) => ({ filePath, before: '', after: '', was: was.get(filePath) ?? [], now: now.get(filePath) ?? [] }))];
    const about = { version: pkg.version, root: this.root, interpreter: interpreter ? `Python at ${interpreter.path}, from ${interpreter.from}` : 'no Python interpreter found' };
    return judgePyright(request.targets, main, files, about);
  }

  /** One Python file's problems as on disk (errors and warnings); undefined for a file pyright does not check here. */
  async problems(file: string): Promise<DiagnosticInfo[] | undefined> {
    if (!isPythonFile(file) || !this.inside(file) || !pyrightPackage()) return undefined;
    const found = await this.server.diagnostics([{ filePath: file }]);
    return (found.get(path.resolve(file)) ?? []).filter(counts).map(diagnosticOf);
  }

  /** Every Python file of the folder with problems. */
  async all(): Promise<FileDiagnostics[]> {
    if (!pyrightPackage()) return [];
    const files = pythonFiles(this.root).filter(configuredIn(this.root));
    if (files.length === 0) return [];
    const found = await this.server.diagnostics(files.map((filePath) => ({ filePath })));
    return [...found].map(([file, list]) => ({ file, diagnostics: list.filter(counts).map(diagnosticOf) })).filter((f) => f.diagnostics.length > 0);
  }

  /** Starts pyright (if it is not running) without waiting: the first check then finds it warm. */
  prepare(): void {
    if (pyrightPackage()) void this.server.diagnostics([]).catch(() => undefined);
  }

  dispose(): Promise<void> {
    return this.server.dispose();
  }

  private inside(file: string): boolean {
    return path.resolve(file).startsWith(path.resolve(this.root) + path.sep);
  }

  /** Who imports whom among the folder's Python files, and a stamp of them all; a file is read again only when it changed on disk. */
  private importers(): { importers: Map<string, string[]>; stamp: string } {
    const roots = moduleRoots(this.root);
    const importers = new Map<string, string[]>();
    const files = pythonFiles(this.root);
    const stamps: string[] = [];
    const live = new Set(files);
    for (const f of this.imports.keys()) if (!live.has(f)) this.imports.delete(f);
    for (const f of files) {
      let stamp = '';
      try {
        const s = statSync(f);
        stamp = `${s.mtimeMs}:${s.size}`;
        stamps.push(`${f}:${stamp}`);
      } catch {
        continue;
      }
      let known = this.imports.get(f);
      if (known?.stamp !== stamp) {
        known = { stamp, deps: importsOf(f, roots) };
        this.imports.set(f, known);
      }
      for (const dep of known.deps) importers.set(dep, [...(importers.get(dep) ?? []), f]);
    }
    return { importers, stamp: sha256(stamps.join('\n')) };
  }
}
