/**
 * Rung 0 for lint: ESLint's own fixes and suggestions, each checked like a model's answer (the
 * composed check: silencing, types, lint) before any model is asked. Most of the lint fixture's
 * problems settle free, and every shown fix passes an independent re-run of ESLint and tsc on a
 * copy. Each problem goes to the fixer of the tool that reports it; a directive comment is never
 * shown as a fix.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { freeFix } from '../../../../src/core/agent/freeFix';
import type { Task } from '../../../../src/core/agent/taskSources';
import { applyReplacements } from '../../../../src/core/edits/searchReplace';
import { fixerBySource, type CompilerFixer } from '../../../../src/core/verify/compilerFixes';
import { EslintProcess } from '../../../../src/core/verify/eslint/EslintProcess';
import { silencingCheck } from '../../../../src/core/verify/silencingCheck';
import { TypeScriptVerifier } from '../../../../src/core/verify/TypeScriptVerifier';
import { weakestOf } from '../../../../src/core/verify/Verifier';
import type { DiagnosticInfo } from '../../../../src/shared/agentProtocol';
import { lintRungZero, type LintRungZero } from '../../../harness/lintRungZero';
import { testedProject, type TestedProject } from '../../../harness/testedFixture';

describe('rung 0 for lint (the lint fixture, ESLint’s own fixes)', () => {
  let run: LintRungZero;
  before(async () => {
    run = await lintRungZero();
  });

  it('settles most of the problems free, and no shown fix fails an independent re-run of ESLint and tsc', () => {
    assert.equal(run.problems, 25);
    assert.ok(run.settled / run.problems >= 0.6, `${run.settled} of ${run.problems} settled free`);
    assert.deepEqual(run.failing, []);
  });

  it('shows each as ESLint’s own, checked, at $0', () => {
    const cart = run.proposals.get('src/cart.ts');
    assert.ok(cart, [...run.proposals.keys()].join(', '));
    assert.match(cart.model, /^ESLint \d+\.\d+\.\d+$/);
    assert.equal(cart.source, 'compiler');
    assert.equal(cart.costUsd, 0);
    assert.equal(cart.check?.status, 'passed');
    assert.match(cart.check!.detail, /Checked with ESLint/);
    assert.match(cart.title, /^Fix prefer-const: 'discount' is never reassigned\. Use 'const' instead; Fix prefer-template: Unexpected string concatenation$/);
  });

  it('follows a fix through the problems it leaves, as eslint --fix does (no-var’s `let` becomes a `const`)', () => {
    const legacy = run.proposals.get('src/legacy.ts');
    assert.ok(legacy);
    assert.match(legacy.files[0].diff, /^\+\s+const words = text\.split/m);
    assert.match(legacy.title, /\(and ESLint's fix for the prefer-const it leaves\)/);
  });

  it('takes a suggestion where ESLint has no fix (eqeqeq between two values), checked by the types as well', () => {
    const store = run.proposals.get('src/store.ts');
    assert.ok(store);
    assert.match(store.title, /Use '===' instead of '=='/);
  });

  it('problem by problem: fixes what it can in a file with a problem no tool fixes (no-unused-vars, left to the model), and a file with four problems', () => {
    const report = run.proposals.get('src/report.ts');
    assert.deepEqual(
      report?.targets?.map((t) => t.code),
      ['prefer-const'],
    );
    assert.match(report!.rationale, /2 other problem\(s\) of the file go to the model\./);
    assert.equal(run.proposals.get('src/events.ts')?.targets?.length, 4);
    assert.equal(run.settled, 23, 'all but the two unused variables');
  });
});

describe('the fixer by source', () => {
  const fake = (name: string, seen: string[]): CompilerFixer => ({
    tool: () => name,
    fixes: async (_f, _t, target) => (seen.push(`${name}:${target.code}`), []),
  });
  const problem = (source: string | undefined, code: string): DiagnosticInfo => ({ message: 'm', severity: 'error', ...(source ? { source } : {}), code, range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 1 } });

  it('sends each problem to the tool that reports it: ESLint’s (any case) to ESLint, the rest to TypeScript', async () => {
    const seen: string[] = [];
    const fixer = fixerBySource({ eslint: fake('ESLint 9', seen) }, fake('TypeScript 6', seen));
    for (const p of [problem('eslint', 'prefer-const'), problem('ESLint', 'eqeqeq'), problem('ts', '2322'), problem(undefined, '2552')]) await fixer.fixes('/ws/a.ts', '', p);
    assert.deepEqual(seen, ['ESLint 9:prefer-const', 'ESLint 9:eqeqeq', 'TypeScript 6:2322', 'TypeScript 6:2552']);
    assert.equal(fixer.tool('/ws/a.ts', problem('eslint', 'x')), 'ESLint 9');
    assert.equal(fixer.tool('/ws/a.ts', problem('ts', '2322')), 'TypeScript 6');
    assert.equal(fixerBySource({ eslint: fake('ESLint 9', seen) }).tool('/ws/a.ts', problem('ts', '2322')), undefined, 'no fixer for a source nobody fixes');
  });
});

describe('rung 0 with ESLint and TypeScript in one file', () => {
  let project: TestedProject;
  let eslint: EslintProcess;
  let typescript: TypeScriptVerifier;
  const text = 'export function formatPrice(n: number): string {\n  return `$${n}`;\n}\nlet price = 250;\nexport const label = formatPirce(price);\n';
  const targets: DiagnosticInfo[] = [
    { message: "Cannot find name 'formatPirce'. Did you mean 'formatPrice'?", severity: 'error', source: 'ts', code: '2552', range: { startLine: 4, startCharacter: 21, endLine: 4, endCharacter: 32 } },
    { message: "'price' is never reassigned. Use 'const' instead.", severity: 'error', source: 'eslint', code: 'prefer-const', range: { startLine: 3, startCharacter: 4, endLine: 3, endCharacter: 9 } },
  ];
  const task = (diagnostics: DiagnosticInfo[]): Task => ({
    key: 'mixed',
    id: 'mixed',
    kind: 'fix',
    priority: 'normal',
    input: { uri: pathToFileURL(project.file('src/mixed.ts')).href, relativePath: 'src/mixed.ts', languageId: 'typescript', text, diagnostics },
  });
  before(() => {
    project = testedProject('eslint-ts', { 'src/mixed.ts': text });
    eslint = new EslintProcess(project.root, { trusted: () => true });
    typescript = new TypeScriptVerifier(project.root);
  });
  after(async () => {
    await eslint.dispose();
    fs.rmSync(project.root, { recursive: true, force: true });
  });
  const deps = () => ({ fixer: fixerBySource({ eslint }, typescript), verifier: weakestOf([silencingCheck, typescript, eslint]), root: project.root, newId: () => 'p', now: () => new Date() });

  it('fixes the type error with TypeScript’s fix and the lint problem with ESLint’s, in one checked proposal naming both tools', async () => {
    const r = await freeFix(task(targets), deps());
    assert.equal(r.kind, 'proposal', JSON.stringify(r));
    if (r.kind !== 'proposal') return;
    assert.match(r.tool, /^TypeScript [\d.]+ \+ ESLint [\d.]+$/);
    assert.equal(r.proposal.check?.status, 'passed');
    assert.equal(applyReplacements(text, r.proposal.files[0].replacements), text.replace('let price', 'const price').replace('formatPirce', 'formatPrice'));
  });

  it('never shows a directive comment as a fix, even when a fixer offers one', async () => {
    const disabling: CompilerFixer = {
      tool: () => 'ESLint 9',
      fixes: async (filePath) => [{ fixName: 'disable', description: 'Disable prefer-const for this line', files: [{ filePath, before: text, after: text.replace('let price = 250;', 'let price = 250; // eslint-disable-line prefer-const') }] }],
    };
    const r = await freeFix(task([targets[1]]), { ...deps(), fixer: fixerBySource({ eslint: disabling }, typescript) });
    assert.equal(r.kind === 'none' && r.reason, 'prefer-const at line 4: no compiler fix passed the check');
  });
});
