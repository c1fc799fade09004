/**
 * Rung 0 over the lint fixture (test/fixtures/eslint-ts), shared by its test and the bench: each
 * file's fix task as the agent makes it (the file's ESLint errors), tried with ESLint's and
 * TypeScript's own fixes under the engine's composed check; then every shown fix re-checked
 * independently — written to a fresh copy of the project, the ESLint and tsc command lines run
 * there from scratch, in processes of their own.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freeFix } from '../../src/core/agent/freeFix';
import type { Task } from '../../src/core/agent/taskSources';
import { applyReplacements } from '../../src/core/edits/searchReplace';
import { fixerBySource } from '../../src/core/verify/compilerFixes';
import { EslintProcess } from '../../src/core/verify/eslint/EslintProcess';
import { silencingCheck } from '../../src/core/verify/silencingCheck';
import { TypeScriptVerifier } from '../../src/core/verify/TypeScriptVerifier';
import { weakestOf } from '../../src/core/verify/Verifier';
import type { Proposal } from '../../src/shared/types';
import { sourceRoot, testedProject } from './testedFixture';

export interface LintRungZero {
  /** ESLint errors in the fixture, and how many of them a free proposal settled. */
  problems: number;
  settled: number;
  tasks: number;
  freeTasks: number;
  /** The shown proposals, by the file they fix (relative). */
  proposals: Map<string, Proposal>;
  /** Shown fixes that the independent re-run finds wrong: a problem left, a new lint problem, a type error. */
  failing: string[];
  /** Time per fix task, the checks included (ESLint warm after the first). */
  msPerTask: number;
}

export async function lintRungZero(): Promise<LintRungZero> {
  const project = testedProject('eslint-ts');
  const eslint = new EslintProcess(project.root, { trusted: () => true });
  const typescript = new TypeScriptVerifier(project.root);
  try {
    const fixer = fixerBySource({ eslint }, typescript);
    const verifier = weakestOf([silencingCheck, typescript, eslint]);
    const found = (await eslint.all()).map((f) => ({ ...f, diagnostics: f.diagnostics.filter((d) => d.severity === 'error') })).filter((f) => f.diagnostics.length > 0);
    const proposals = new Map<string, Proposal>();
    const left = new Map<string, string[]>();
    let settled = 0;
    const started = performance.now();
    for (const { file, diagnostics } of found) {
      const relativePath = path.relative(project.root, file).split(path.sep).join('/');
      const uri = pathToFileURL(file).href;
      const task: Task = { key: relativePath, id: relativePath, kind: 'fix', priority: 'normal', input: { uri, relativePath, languageId: 'typescript', text: fs.readFileSync(file, 'utf8'), diagnostics } };
      const r = await freeFix(task, { fixer, verifier, root: project.root, newId: () => relativePath, now: () => new Date() });
      if (r.kind !== 'proposal') continue;
      proposals.set(relativePath, r.proposal);
      // Problem by problem: the ones it left go to the model, and are expected still there.
      settled += diagnostics.length - r.notFixed.length;
      left.set(
        relativePath,
        r.notFixed.map((n) => String(n.target.code)),
      );
    }
    const msPerTask = (performance.now() - started) / Math.max(1, found.length);
    const problems = found.reduce((n, f) => n + f.diagnostics.length, 0);
    return { problems, settled, tasks: found.length, freeTasks: proposals.size, proposals, failing: independentRecheck(project.root, proposals, left), msPerTask };
  } finally {
    await eslint.dispose();
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}

/**
 * Each proposal written to a fresh copy of the project; then ESLint's and tsc's own command lines
 * on the copy. A fixed file must come out with no lint problem and no type error at all (the
 * fixture's files have none but the lint problems rung 0 was asked about), but for the problems
 * rung 0 said it left to the model (`left`: their rules, by file).
 */
function independentRecheck(root: string, proposals: ReadonlyMap<string, Proposal>, left: ReadonlyMap<string, readonly string[]>): string[] {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-lint-recheck-'));
  try {
    fs.cpSync(root, copy, { recursive: true, filter: (src) => !src.split(path.sep).includes('node_modules') && !src.endsWith(`${path.sep}.git`) });
    fs.symlinkSync(path.join(sourceRoot(), 'node_modules'), path.join(copy, 'node_modules'), 'dir');
    for (const p of proposals.values()) {
      for (const f of p.files) {
        const target = path.join(copy, path.relative(root, fileURLToPath(f.uri)));
        fs.writeFileSync(target, applyReplacements(fs.readFileSync(target, 'utf8'), f.replacements));
      }
    }
    // Problems found exit 1 (ESLint) or 2 (tsc); anything else (a tool that did not run) throws.
    const node = (script: string, args: string[]) => {
      try {
        return execFileSync(process.execPath, [path.join(sourceRoot(), 'node_modules', script), ...args], { cwd: copy, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        const e = err as { status?: number; stdout?: string; stderr?: string };
        if ((e.status === 1 || e.status === 2) && e.stdout) return e.stdout;
        throw new Error(`${script} did not run on the copy (exit ${e.status}): ${e.stderr ?? ''}`);
      }
    };
    const lint = JSON.parse(node('eslint/bin/eslint.js', ['--format', 'json', '.'])) as Array<{ filePath: string; messages: Array<{ ruleId: string | null; line: number }> }>;
    const types = node('typescript/bin/tsc', ['-p', '.', '--noEmit', '--pretty', 'false']);
    const failing: string[] = [];
    for (const [rel, p] of proposals) {
      for (const f of p.files) {
        const fileRel = f.relativePath;
        const expected = fileRel === rel ? [...(left.get(rel) ?? [])] : [];
        const found = lint.find((r) => path.relative(copy, r.filePath).split(path.sep).join('/') === fileRel)?.messages ?? [];
        for (const m of found) {
          const i = expected.indexOf(m.ruleId ?? '');
          if (i >= 0) expected.splice(i, 1);
          else failing.push(`${rel}: ${fileRel}:${m.line} ${m.ruleId ?? 'parsing'} (ESLint)`);
        }
        types
          .split('\n')
          .filter((l) => l.startsWith(`${fileRel}(`))
          .forEach((l) => failing.push(`${rel}: ${l} (tsc)`));
      }
    }
    return failing;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
