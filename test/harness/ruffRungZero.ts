/**
 * Rung 0 for Ruff over the Ruff fixture (test/fixtures/python-ruff) and three more modules of
 * everyday Ruff problems (test/harness/ruffRungZero/: 25 problems in all, 20 with a fix Ruff calls
 * safe), shared by its test and the bench: each file's fix task as the agent makes it (the file's
 * Ruff problems), tried with Ruff's own fixes under the engine's composed check (silencing, pyright,
 * Ruff); then every shown fix re-checked independently — written to a fresh copy, `ruff check` and
 * pyright's command line run there from scratch.
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
import { PyrightVerifier } from '../../src/core/verify/python/PyrightVerifier';
import { pyrightPackage } from '../../src/core/verify/python/pythonEnv';
import { RuffChecker } from '../../src/core/verify/ruff/RuffChecker';
import { silencingCheck } from '../../src/core/verify/silencingCheck';
import { weakestOf } from '../../src/core/verify/Verifier';
import type { Proposal } from '../../src/shared/types';
import { realRuffDir } from './realRuff';
import { sourceRoot, testedProject } from './testedFixture';

export interface RuffRungZero {
  problems: number;
  /** Problems Ruff calls safely fixable, and how many a free proposal settled. */
  safe: number;
  settled: number;
  tasks: number;
  freeTasks: number;
  proposals: Map<string, Proposal>;
  /** Shown fixes the independent re-run finds wrong: a problem left that rung 0 said it fixed, a new Ruff problem, a pyright error. */
  failing: string[];
  msPerTask: number;
}

export async function ruffRungZero(): Promise<RuffRungZero> {
  const more = Object.fromEntries(['checks.py', 'moves.py', 'audit.py'].map((f) => [`inventory/${f}`, fs.readFileSync(path.join(sourceRoot(), 'test', 'harness', 'ruffRungZero', f), 'utf8')]));
  const project = testedProject('python-ruff', more);
  const ruff = new RuffChecker(project.root, { trusted: () => true, interpreter: () => undefined, pathEnv: realRuffDir() });
  const pyright = new PyrightVerifier(project.root, { trusted: () => true });
  try {
    const fixer = fixerBySource({ ruff });
    const verifier = weakestOf([silencingCheck, pyright, ruff]);
    const found = await ruff.all();
    const proposals = new Map<string, Proposal>();
    const left = new Map<string, string[]>();
    let settled = 0;
    const started = performance.now();
    for (const { file, diagnostics } of found) {
      const relativePath = path.relative(project.root, file).split(path.sep).join('/');
      const task: Task = { key: relativePath, id: relativePath, kind: 'fix', priority: 'normal', input: { uri: pathToFileURL(file).href, relativePath, languageId: 'python', text: fs.readFileSync(file, 'utf8'), diagnostics } };
      const r = await freeFix(task, { fixer, verifier, root: project.root, newId: () => relativePath, now: () => new Date() });
      if (r.kind !== 'proposal') continue;
      proposals.set(relativePath, r.proposal);
      settled += diagnostics.length - r.notFixed.length;
      left.set(
        relativePath,
        r.notFixed.map((n) => String(n.target.code)),
      );
    }
    const msPerTask = (performance.now() - started) / Math.max(1, found.length);
    const report = JSON.parse(execFileSync(path.join(realRuffDir(), 'ruff'), ['check', '--no-cache', '--output-format=json', '--exit-zero', '.'], { cwd: project.root, encoding: 'utf8' })) as Array<{ fix: { applicability: string } | null }>;
    return {
      problems: found.reduce((n, f) => n + f.diagnostics.length, 0),
      safe: report.filter((r) => r.fix?.applicability === 'safe').length,
      settled,
      tasks: found.length,
      freeTasks: proposals.size,
      proposals,
      failing: independentRecheck(project.root, proposals, left),
      msPerTask,
    };
  } finally {
    await pyright.dispose();
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}

/** Each proposal written to a fresh copy; then `ruff check` and pyright's command line there. A fixed file keeps only the problems rung 0 left to the model. */
function independentRecheck(root: string, proposals: ReadonlyMap<string, Proposal>, left: ReadonlyMap<string, readonly string[]>): string[] {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-ruff-recheck-'));
  try {
    fs.cpSync(root, copy, { recursive: true, filter: (src) => !src.split(path.sep).includes('node_modules') && !src.endsWith(`${path.sep}.git`) });
    for (const p of proposals.values()) {
      for (const f of p.files) {
        const target = path.join(copy, path.relative(root, fileURLToPath(f.uri)));
        fs.writeFileSync(target, applyReplacements(fs.readFileSync(target, 'utf8'), f.replacements));
      }
    }
    const lint = JSON.parse(execFileSync(path.join(realRuffDir(), 'ruff'), ['check', '--no-cache', '--output-format=json', '--exit-zero', '.'], { cwd: copy, encoding: 'utf8' })) as Array<{ filename: string; code: string | null; location: { row: number } }>;
    let types: string;
    try {
      types = execFileSync(process.execPath, [pyrightPackage()!.cli, '--outputjson', '-p', '.'], { cwd: copy, encoding: 'utf8', maxBuffer: 1 << 24 });
    } catch (err) {
      types = (err as { stdout?: string }).stdout ?? '';
    }
    const typeErrors = (JSON.parse(types) as { generalDiagnostics: Array<{ file: string; severity: string; range: { start: { line: number } }; message: string }> }).generalDiagnostics.filter((d) => d.severity === 'error');
    const failing: string[] = [];
    for (const [rel, p] of proposals) {
      for (const f of p.files) {
        const expected = f.relativePath === rel ? [...(left.get(rel) ?? [])] : [];
        for (const m of lint.filter((r) => path.relative(copy, r.filename).split(path.sep).join('/') === f.relativePath)) {
          const i = expected.indexOf(m.code ?? '');
          if (i >= 0) expected.splice(i, 1);
          else failing.push(`${rel}: ${f.relativePath}:${m.location.row} ${m.code ?? 'syntax'} (ruff)`);
        }
        for (const d of typeErrors.filter((e) => path.relative(copy, e.file).split(path.sep).join('/') === f.relativePath)) failing.push(`${rel}: ${f.relativePath}:${d.range.start.line + 1} ${d.message} (pyright)`);
      }
    }
    return failing;
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
