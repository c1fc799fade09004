/**
 * Checks a TypeScript/JavaScript proposal with the workspace's own `typescript` package and
 * tsconfig, on a shadow copy (nothing is written): the target errors must be proved gone — found
 * by code and position before the edit, absent after it — and no new error may appear in any file
 * the change can affect (the changed files, and the files importing them for as long as what
 * they export changes). One warm pair of language services per tsconfig (see tsProject.ts).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';
import type { CheckResult } from '../../shared/types';
import { introducedErrors, lineMap, locateTarget, remainingTarget, type FoundError } from './diagnosticMatch';
import { ImportGraph, inferredOptions, ShadowProgram, workspaceTypeScript } from './tsProject';
import type { Verifier, VerifyRequest } from './Verifier';
import { applyTextEdits, type CompilerFix, type CompilerFixer } from './compilerFixes';
import { addsGlobalDeclaration, addsSuppressionComment, silencesTarget } from './silencing';
import { loosensTypes } from './looseTypes';
import type { DiagnosticInfo } from '../../shared/agentProtocol';

const TS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;
/** Checked in an inferred project when no config includes them: TypeScript only (JavaScript there is not type-checked). */
const INFERRED_FILE = /\.(ts|tsx|mts|cts)$/i;
/** The key of the inferred project among the configs' projects. */
const INFERRED = '<inferred project>';

interface Project {
  base: ShadowProgram;
  proposed: ShadowProgram;
  graph: ImportGraph;
}

/** The language services are let go after this long unused (they hold most of a project in memory). */
export const RELEASE_AFTER_IDLE_MS = 2 * 60_000;

export class TypeScriptVerifier implements Verifier, CompilerFixer {
  private ts: typeof TS | undefined;
  private readonly projects = new Map<string, Project & { includes(file: string): boolean }>();
  private releaseTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly root: string,
    private readonly releaseAfterMs = RELEASE_AFTER_IDLE_MS,
    /** Whether the repository is trusted to supply its own `typescript` (workspaceTypeScript). */
    private readonly trusted = true,
  ) {}

  /** Whether language services are held now (they are let go when unused for a while). */
  get warm(): boolean {
    return this.projects.size > 0;
  }

  async verify(request: VerifyRequest): Promise<CheckResult> {
    if (!TS_FILE.test(request.filePath)) return { status: 'unchecked', detail: 'Not a TypeScript or JavaScript file.' };
    const ts = this.typescript();
    if (!ts) return { status: 'unchecked', detail: "The workspace has no 'typescript' package to check with." };
    const file = path.resolve(request.filePath);
    const found = this.projectFor(ts, file);
    if ('unchecked' in found) return { status: 'unchecked', detail: found.unchecked };
    const project = found.project;
    const { base, proposed } = project;
    // A file of the workspace this tsconfig leaves out (a test folder outside its include, say) is not its to check.
    const known = new Set(base.projectFiles());
    const changed = [{ filePath: file, before: request.before, after: request.after }, ...(request.also ?? []).map((o) => ({ ...o, filePath: path.resolve(o.filePath) }))].filter((c) => TS_FILE.test(c.filePath) && (c.filePath === file || known.has(c.filePath) || !existsSync(c.filePath)));
    try {
      for (const c of changed) {
        base.set(c.filePath, c.before);
        proposed.set(c.filePath, c.after);
      }
      const affected = this.affectedFiles(
        project,
        changed.map((c) => c.filePath),
      );
      const before = affected.flatMap((f) => base.errors(f));
      const after = affected.flatMap((f) => proposed.errors(f));
      const verdict = judge(request.targets, changed, before, after, affected, { version: `TypeScript ${ts.version}`, root: this.root });
      if (verdict.status === 'failed') return verdict;
      const hides = silencing(ts, request, changed);
      return hides ? { status: 'silences', detail: `${hides} (${verdict.detail})` } : verdict;
    } finally {
      base.clear();
      proposed.clear();
    }
  }

  tool(filePath: string): string | undefined {
    if (!TS_FILE.test(filePath)) return undefined;
    const ts = this.typescript();
    return ts && `TypeScript ${ts.version}`;
  }

  /** The compiler's code fixes for the target, on the file's `text` (laid over the project, nothing written). */
  async fixes(filePath: string, text: string, target: DiagnosticInfo): Promise<CompilerFix[]> {
    const ts = this.tool(filePath) ? this.typescript() : undefined;
    const file = path.resolve(filePath);
    const found = ts && this.projectFor(ts, file);
    if (!found || 'unchecked' in found) return [];
    const project = found.project;
    const { base } = project;
    try {
      base.set(file, text);
      const found = locateTarget(target, file, base.errors(file));
      if (!found) return [];
      return base.codeFixes(file, found).flatMap((fix) => {
        const files = fix.changes.map((c) => {
          const before = c.file === file ? text : base.text(c.file);
          return before === undefined ? undefined : { filePath: c.file, before, after: applyTextEdits(before, c.edits) };
        });
        // Only the workspace's own files: never a declaration outside it.
        if (files.some((f) => f === undefined || !f.filePath.startsWith(path.resolve(this.root) + path.sep))) return [];
        const ordered = (files as CompilerFix['files']).filter((f) => f.before !== f.after).sort((a, b) => Number(b.filePath === file) - Number(a.filePath === file));
        return ordered.length > 0 ? [{ fixName: fix.fixName, description: fix.description, files: ordered }] : [];
      });
    } finally {
      base.clear();
    }
  }

  /**
   * The changed files, then every file importing one whose declarations changed, and so on: a
   * change to what a file exports reaches its importers; a change inside a body does not. A file
   * that declares globals reaches every file.
   */
  private affectedFiles({ base, proposed, graph }: Project, changed: string[]): string[] {
    const files = proposed.projectFiles();
    const affected = new Set(changed);
    const queue = [...changed];
    while (queue.length > 0) {
      const f = queue.shift()!;
      const was = base.surface(f);
      const now = proposed.surface(f);
      if (was === 'global' || now === 'global') return [...new Set([...changed, ...files])];
      // Stryker disable next-line ConditionalExpression: `true` for the first half is equivalent, an undefined surface never equals a defined one
      if (was !== undefined && was === now) continue;
      for (const importer of graph.importersOf(f, files, proposed)) {
        if (affected.has(importer)) continue;
        affected.add(importer);
        queue.push(importer);
      }
    }
    return [...affected];
  }

  /** The compiler to check with (the workspace's own where trusted); looked for again while there is none (an `npm install` may bring it). */
  private typescript(): typeof TS | undefined {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, require caches the module
    return (this.ts ??= workspaceTypeScript(this.root, this.trusted));
  }

  /**
   * The project that holds the file, as tsserver finds it: the nearest tsconfig/jsconfig that
   * includes it (directly or through an import), else the next one up within the workspace, else
   * an inferred project with the editor's defaults (a sample or a script outside every config's
   * `include`), where only TypeScript files are checked: plain JavaScript there has no type check.
   */
  private projectFor(ts: typeof TS, file: string): { project: Project } | { unchecked: string } {
    const root = path.resolve(this.root);
    const inside = (dir: string) => dir === root || dir.startsWith(root + path.sep);
    let configPath = ts.findConfigFile(path.dirname(file), ts.sys.fileExists);
    let unreadable: string | undefined;
    while (configPath) {
      const project = this.project(ts, configPath);
      // Stryker disable next-line all: only a config file that cannot be read at all leaves no project, which a test running as root cannot make
      if (!project) unreadable ??= configPath;
      else if (project.includes(file)) return { project };
      const up = path.dirname(path.dirname(configPath));
      if (!inside(up) || up === path.dirname(configPath)) break;
      configPath = ts.findConfigFile(up, ts.sys.fileExists);
    }
    if (!INFERRED_FILE.test(file)) {
      if (unreadable) return { unchecked: `${path.relative(this.root, unreadable)} could not be read.` };
      return { unchecked: 'No tsconfig.json or jsconfig.json applies to this file.' };
    }
    const project = this.project(ts, INFERRED);
    project!.base.addRoot(file);
    project!.proposed.addRoot(file);
    return { project: project! };
  }

  private project(ts: typeof TS, configPath: string): (Project & { includes(file: string): boolean }) | undefined {
    // Warm while in use; an idle host (a daemon overnight) gives the memory back.
    clearTimeout(this.releaseTimer);
    // Never released (Infinity): a process of its own that ends when idle (TypeScriptProcess).
    if (Number.isFinite(this.releaseAfterMs)) {
      this.releaseTimer = setTimeout(() => this.projects.clear(), this.releaseAfterMs);
      this.releaseTimer.unref();
    }
    const known = this.projects.get(configPath);
    if (known) return known;
    const parsed = configPath === INFERRED ? { options: inferredOptions(ts), fileNames: [], errors: [] } : ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    // Stryker disable next-line ConditionalExpression: as for `projectFor` above
    if (!parsed) return undefined;
    const dir = configPath === INFERRED ? this.root : path.dirname(configPath);
    const registry = ts.createDocumentRegistry();
    const base = new ShadowProgram(ts, parsed, dir, registry);
    const roots = new Set(parsed.fileNames.map((f) => path.resolve(f)));
    const project = {
      base,
      proposed: new ShadowProgram(ts, parsed, dir, registry),
      graph: new ImportGraph(ts, parsed.options, dir),
      // A root of the config, or a file one of its roots imports (tsserver counts both as the project's).
      includes: (f: string) => roots.has(f) || base.projectFiles().includes(f),
    };
    this.projects.set(configPath, project);
    return project;
  }
}

/**
 * How the change hides a target instead of fixing it, if it does: a non-null assertion or a cast
 * through any/unknown on the target's lines, or a `declare global`, a suppression comment, an
 * explicit `any` or an error-hiding assertion added to any changed file (looseTypes.ts).
 */
function silencing(ts: typeof TS, request: VerifyRequest, changed: readonly ChangedFile[]): string | undefined {
  for (const t of request.targets) {
    const reason = silencesTarget(ts, request.filePath, request.before, request.after, { start: t.range.startLine, end: t.range.endLine });
    if (reason) return reason;
  }
  for (const c of changed) {
    const reason = addsGlobalDeclaration(ts, c.filePath, c.before, c.after) ?? addsSuppressionComment(ts, c.filePath, c.before, c.after) ?? (request.targets.length > 0 ? loosensTypes(ts, c.filePath, c.before, c.after) : undefined);
    if (reason) return reason;
  }
  return undefined;
}

/** A file the proposal changes (absolute path), with its two texts. */
interface ChangedFile {
  filePath: string;
  before: string;
  after: string;
}

/** The verdict on the errors of the affected files before and after the edit; `changed[0]` holds the targets. */
export function judge(targets: VerifyRequest['targets'], changed: readonly ChangedFile[], before: readonly FoundError[], after: readonly FoundError[], affected: readonly string[], about: { version: string; root: string }): CheckResult {
  const [main] = changed;
  const file = main.filePath;
  const where = (e: FoundError) => `${e.file === file ? '' : `${path.relative(about.root, e.file)}: `}line ${e.line + 1}: TS${e.code}: ${e.message}`;
  const scope = describeScope(affected, file, about.root);
  const maps = new Map(changed.map((c) => [c.filePath, lineMap(c.before, c.after)]));
  const located = targets.map((t) => ({ target: t, found: locateTarget(t, file, before) }));
  const still = located.flatMap(({ found }) => {
    if (!found) return [];
    const left = remainingTarget(found, maps.get(file)!(found.line), before, after);
    return left ? [left] : [];
  });
  if (still.length > 0) return { status: 'failed', detail: `The problem is still there (${about.version}).`, errors: still.map(where) };
  const placeOf = (e: FoundError) => {
    const map = maps.get(e.file);
    return map ? map(e.line) : e.line;
  };
  const introduced = introducedErrors(before, after, placeOf);
  if (introduced.length > 0) return { status: 'failed', detail: `The change adds ${introduced.length} new error(s) (${about.version}, ${scope}).`, errors: introduced.map(where) };
  const proved = located.flatMap((l, i) => (l.found ? [i] : []));
  const unseen = located.filter((l) => !l.found).map((l) => l.target);
  if (unseen.length > 0) {
    const what = unseen.map((t) => `${t.source ? `${t.source} ` : ''}${t.code ? `${t.code} ` : ''}at line ${t.range.startLine + 1}`).join(', ');
    return { status: 'unchecked', detail: `${about.version} does not report the problem (${what}), so it cannot prove it fixed; no new error appeared in ${scope}.`, proved };
  }
  const what = targets.length > 0 ? 'the problem is gone and no new error appeared' : 'no new error appeared';
  return { status: 'passed', level: 'type-checked', detail: `Checked with ${about.version}: ${what} in ${scope}.`, proved };
}

function describeScope(affected: readonly string[], file: string, root: string): string {
  const names = affected.slice(0, 3).map((f) => (f === file ? path.basename(f) : path.relative(root, f)));
  return affected.length > 3 ? `${names.join(', ')} and ${affected.length - 3} more file(s)` : names.join(', ');
}
