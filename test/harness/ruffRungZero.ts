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
import * as path from 'node:path';
import { fixerBySource } from '../../src/core/verify/compilerFixes';
import { PyrightVerifier } from '../../src/core/verify/python/PyrightVerifier';
import { pyrightPackage } from '../../src/core/verify/python/pythonEnv';
import { RuffChecker } from '../../src/core/verify/ruff/RuffChecker';
import { silencingCheck } from '../../src/core/verify/silencingCheck';
import { weakestOf } from '../../src/core/verify/Verifier';
import type { Proposal } from '../../src/shared/types';
import { realRuffDir } from './realRuff';
import { beyondLeft, copyWithProposals, runRungZero, type RungZeroRun } from './rungZeroRun';
import { sourceRoot, testedProject } from './testedFixture';

export interface RuffRungZero extends Omit<RungZeroRun, 'left'> {
  /** Problems Ruff calls safely fixable. */
  safe: number;
  /** Shown fixes the independent re-run finds wrong: a problem left that rung 0 said it fixed, a new Ruff problem, a pyright error. */
  failing: string[];
}

export async function ruffRungZero(): Promise<RuffRungZero> {
  const more = Object.fromEntries(['checks.py', 'moves.py', 'audit.py'].map((f) => [`inventory/${f}`, fs.readFileSync(path.join(sourceRoot(), 'test', 'harness', 'ruffRungZero', f), 'utf8')]));
  const project = testedProject('python-ruff', more);
  const ruff = new RuffChecker(project.root, { trusted: () => true, interpreter: () => undefined, pathEnv: realRuffDir() });
  const pyright = new PyrightVerifier(project.root, { trusted: () => true });
  try {
    const { left, ...run } = await runRungZero(project.root, await ruff.all(), 'python', fixerBySource({ ruff }), weakestOf([silencingCheck, pyright, ruff]));
    const report = JSON.parse(ruffCheck(project.root)) as Array<{ fix: { applicability: string } | null }>;
    return { ...run, safe: report.filter((r) => r.fix?.applicability === 'safe').length, failing: independentRecheck(project.root, run.proposals, left) };
  } finally {
    await pyright.dispose();
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}

/** `ruff check` on a folder from scratch: its JSON report. */
const ruffCheck = (cwd: string) => execFileSync(path.join(realRuffDir(), 'ruff'), ['check', '--no-cache', '--output-format=json', '--exit-zero', '.'], { cwd, encoding: 'utf8' });

/** Each proposal written to a fresh copy; then `ruff check` and pyright's command line there. A fixed file keeps only the problems rung 0 left to the model. */
function independentRecheck(root: string, proposals: ReadonlyMap<string, Proposal>, left: ReadonlyMap<string, readonly string[]>): string[] {
  const copy = copyWithProposals(root, proposals, 'nightshift-ruff-recheck-');
  try {
    const lint = JSON.parse(ruffCheck(copy)) as Array<{ filename: string; code: string | null; location: { row: number } }>;
    let types: string;
    try {
      types = execFileSync(process.execPath, [pyrightPackage()!.cli, '--outputjson', '-p', '.'], { cwd: copy, encoding: 'utf8', maxBuffer: 1 << 24 });
    } catch (err) {
      types = (err as { stdout?: string }).stdout ?? '';
    }
    const typeErrors = (JSON.parse(types) as { generalDiagnostics: Array<{ file: string; severity: string; range: { start: { line: number } }; message: string }> }).generalDiagnostics.filter((d) => d.severity === 'error');
    const rel = (file: string) => path.relative(copy, file).split(path.sep).join('/');
    return beyondLeft(proposals, left, (file) => [
      ...lint.filter((r) => rel(r.filename) === file).map((m) => ({ code: m.code ?? '', where: `${file}:${m.location.row} ${m.code ?? 'syntax'} (ruff)` })),
      ...typeErrors.filter((d) => rel(d.file) === file).map((d) => ({ code: 'pyright', where: `${file}:${d.range.start.line + 1} ${d.message} (pyright)` })),
    ]);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
