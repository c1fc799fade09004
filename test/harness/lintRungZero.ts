/**
 * Rung 0 over the lint fixture (test/fixtures/eslint-ts), shared by its test and the bench: each
 * file's fix task as the agent makes it (the file's ESLint errors), tried with ESLint's and
 * TypeScript's own fixes under the engine's composed check; then every shown fix re-checked
 * independently — written to a fresh copy of the project, the ESLint and tsc command lines run
 * there from scratch, in processes of their own.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixerBySource } from '../../src/core/verify/compilerFixes';
import { EslintProcess } from '../../src/core/verify/eslint/EslintProcess';
import { silencingCheck } from '../../src/core/verify/silencingCheck';
import { TypeScriptVerifier } from '../../src/core/verify/TypeScriptVerifier';
import { weakestOf } from '../../src/core/verify/Verifier';
import type { Proposal } from '../../src/shared/types';
import { beyondLeft, copyWithProposals, runRungZero, type RungZeroRun } from './rungZeroRun';
import { sourceRoot, testedProject } from './testedFixture';

export interface LintRungZero extends Omit<RungZeroRun, 'left'> {
  /** Shown fixes that the independent re-run finds wrong: a problem left, a new lint problem, a type error. */
  failing: string[];
}

export async function lintRungZero(): Promise<LintRungZero> {
  const project = testedProject('eslint-ts');
  const eslint = new EslintProcess(project.root, { trusted: () => true });
  const typescript = new TypeScriptVerifier(project.root);
  try {
    const found = (await eslint.all()).map((f) => ({ ...f, diagnostics: f.diagnostics.filter((d) => d.severity === 'error') })).filter((f) => f.diagnostics.length > 0);
    const { left, ...run } = await runRungZero(project.root, found, 'typescript', fixerBySource({ eslint }, typescript), weakestOf([silencingCheck, typescript, eslint]));
    return { ...run, failing: independentRecheck(project.root, run.proposals, left) };
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
  const copy = copyWithProposals(root, proposals, 'nightshift-lint-recheck-');
  try {
    fs.symlinkSync(path.join(sourceRoot(), 'node_modules'), path.join(copy, 'node_modules'), 'dir');
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
    const types = node('typescript/bin/tsc', ['-p', '.', '--noEmit', '--pretty', 'false']).split('\n');
    return beyondLeft(proposals, left, (file) => [
      ...(lint.find((r) => path.relative(copy, r.filePath).split(path.sep).join('/') === file)?.messages ?? []).map((m) => ({ code: m.ruleId ?? '', where: `${file}:${m.line} ${m.ruleId ?? 'parsing'} (ESLint)` })),
      ...types.filter((l) => l.startsWith(`${file}(`)).map((l) => ({ code: 'tsc', where: `${l} (tsc)` })),
    ]);
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
  }
}
