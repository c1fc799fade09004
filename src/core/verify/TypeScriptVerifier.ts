/**
 * Checks a TypeScript/JavaScript proposal with the workspace's own `typescript` package and
 * tsconfig: the file's errors with the proposal applied in memory (a shadow copy; nothing is
 * written) against its errors before. One language service per tsconfig stays warm between
 * checks, so only the first check pays for building the program.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type * as TS from 'typescript';
import type { CheckResult } from '../../shared/types';
import type { Verifier, VerifyRequest } from './Verifier';

const TS_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/i;

interface Project {
  service: TS.LanguageService;
  overlay: Map<string, { text: string; version: number }>;
}

export class TypeScriptVerifier implements Verifier {
  private ts: typeof TS | undefined | null;
  private readonly projects = new Map<string, Project>();

  constructor(private readonly root: string) {}

  async verify(request: VerifyRequest): Promise<CheckResult> {
    if (!TS_FILE.test(request.filePath)) return { status: 'unchecked', detail: 'Not a TypeScript or JavaScript file.' };
    const ts = this.typescript();
    if (!ts) return { status: 'unchecked', detail: "The workspace has no 'typescript' package to check with." };
    const configPath = ts.findConfigFile(path.dirname(request.filePath), ts.sys.fileExists);
    if (!configPath) return { status: 'unchecked', detail: 'No tsconfig.json or jsconfig.json applies to this file.' };
    const project = this.project(ts, configPath);
    if (!project) return { status: 'unchecked', detail: `${path.relative(this.root, configPath)} could not be read.` };

    const file = path.resolve(request.filePath);
    const others = (request.also ?? []).filter((o) => TS_FILE.test(o.filePath)).map((o) => ({ ...o, filePath: path.resolve(o.filePath) }));
    const setText = (f: string, text: string) => project.overlay.set(f, { text, version: (project.overlay.get(f)?.version ?? 0) + 1 });
    /**
     * The errors of the changed files with the old or the new texts in place, as "TS2322: message"
     * (line numbers kept apart: edits move them); another file's errors name the file.
     */
    const errorsWith = (side: 'before' | 'after'): Array<{ problem: string; line: number }> => {
      setText(file, request[side]);
      for (const o of others) setText(o.filePath, o[side]);
      return [file, ...others.map((o) => o.filePath)].flatMap((f) =>
        [...project.service.getSyntacticDiagnostics(f), ...project.service.getSemanticDiagnostics(f)]
          .filter((d) => d.category === ts.DiagnosticCategory.Error)
          .map((d) => ({
            problem: `${f === file ? '' : `${path.relative(this.root, f)}: `}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
            line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
          })),
      );
    };
    try {
      const before = errorsWith('before');
      const after = errorsWith('after');
      // A target is fixed when fewer errors of its kind remain than before (it may have moved, not gone).
      const count = (list: typeof before, code: string | undefined, message: string) => list.filter((e) => sameProblem(e.problem, code, message)).length;
      const remaining = request.targets.filter((t) => count(after, t.code, t.message) >= Math.max(1, count(before, t.code, t.message)));
      const introduced = subtract(after.map((e) => e.problem), before.map((e) => e.problem));
      const atLine = (problem: string) => `line ${after.find((e) => e.problem === problem)?.line ?? '?'}: ${problem}`;
      const version = `TypeScript ${ts.version}`;
      if (remaining.length > 0) {
        const still = after.filter((e) => remaining.some((t) => sameProblem(e.problem, t.code, t.message)));
        return { status: 'failed', detail: `The problem is still there (${version}).`, errors: still.map((e) => `line ${e.line}: ${e.problem}`) };
      }
      if (introduced.length > 0) return { status: 'failed', detail: `The change adds ${introduced.length} new error(s) (${version}).`, errors: introduced.map(atLine) };
      const where = [file, ...others.map((o) => o.filePath)].map((f) => path.basename(f)).join(', ');
      const what = request.targets.length > 0 ? 'the problem is gone and no new error appeared' : 'no new error appeared';
      return { status: 'passed', detail: `Checked with ${version}: ${what} in ${where}.` };
    } finally {
      project.overlay.delete(file);
      for (const o of others) project.overlay.delete(o.filePath);
    }
  }

  private typescript(): typeof TS | undefined {
    if (this.ts === undefined) {
      try {
        const req = createRequire(path.join(this.root, 'package.json'));
        this.ts = req(req.resolve('typescript', { paths: [this.root] })) as typeof TS;
      } catch {
        this.ts = null;
      }
    }
    return this.ts ?? undefined;
  }

  private project(ts: typeof TS, configPath: string): Project | undefined {
    const known = this.projects.get(configPath);
    if (known) return known;
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
    if (!parsed) return undefined;
    const overlay = new Map<string, { text: string; version: number }>();
    const host: TS.LanguageServiceHost = {
      getScriptFileNames: () => [...new Set([...parsed.fileNames.map((f) => path.resolve(f)), ...overlay.keys()])],
      getScriptVersion: (f) => {
        const o = overlay.get(path.resolve(f));
        return o ? `overlay-${o.version}` : `disk-${ts.sys.getModifiedTime?.(f)?.getTime() ?? 0}`;
      },
      getScriptSnapshot: (f) => {
        const o = overlay.get(path.resolve(f));
        const text = o?.text ?? (existsSync(f) ? ts.sys.readFile(f) : undefined);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => path.dirname(configPath),
      getCompilationSettings: () => parsed.options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => overlay.has(path.resolve(f)) || ts.sys.fileExists(f),
      readFile: (f) => overlay.get(path.resolve(f))?.text ?? ts.sys.readFile(f),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    const project = { service: ts.createLanguageService(host, ts.createDocumentRegistry()), overlay };
    this.projects.set(configPath, project);
    return project;
  }
}

function sameProblem(error: string, code: string | undefined, message: string): boolean {
  return error.endsWith(message) && (!code || error.startsWith(`TS${code}:`));
}

/** `after` less one occurrence of each item in `before`. */
function subtract(after: string[], before: string[]): string[] {
  const left = [...before];
  return after.filter((e) => {
    const i = left.indexOf(e);
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}
