/**
 * ESLint numbers: the lint check of one changed file in the warm ESLint checker process (as the
 * engine asks it: over IPC, the before and after texts both linted afresh with the workspace's own
 * ESLint and typescript-eslint config), on a 230-line file of this repository laid into the lint fixture;
 * and rung 0 over the lint fixture — the share of its problems ESLint's own fixes settle free, and
 * how many shown fixes fail an independent re-run of ESLint and tsc on a copy (the target is 0).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EslintProcess } from '../src/core/verify/eslint/EslintProcess';
import type { DiagnosticInfo } from '../src/shared/agentProtocol';
import { lintRungZero } from '../test/harness/lintRungZero';
import { sourceRoot, testedProject } from '../test/harness/testedFixture';
import type { Measured } from './providerBench';

const RUNS = 21;

const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function warmCheck(): Promise<{ fresh: number; known: number; lines: number }> {
  const body = fs.readFileSync(path.join(sourceRoot(), 'src', 'core', 'verify', 'silencing.ts'), 'utf8');
  const before = `${body}\nexport function count(): number {\n  let n = 1;\n  return n;\n}\n`;
  const line = before.split('\n').indexOf('  let n = 1;');
  const project = testedProject('eslint-ts', { 'src/silencing.ts': before });
  const eslint = new EslintProcess(project.root, { trusted: () => true });
  const target: DiagnosticInfo = { message: "'n' is never reassigned. Use 'const' instead.", severity: 'error', source: 'eslint', code: 'prefer-const', range: { startLine: line, startCharacter: 6, endLine: line, endCharacter: 7 } };
  const request = { filePath: project.file('src/silencing.ts'), before, after: before.replace('  let n = 1;', '  const n = 1;'), targets: [target] };
  try {
    const first = await eslint.verify(request);
    if (first.status !== 'passed') throw new Error(`the bench's right fix did not pass: ${JSON.stringify(first)}`);
    const fresh: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Both texts never linted before: the checker's recent results do not help.
      const mark = `\n// run ${i}\n`;
      let started = performance.now();
      const r = await eslint.verify({ ...request, before: request.before + mark, after: request.after + mark });
      fresh.push(performance.now() - started);
      if (r.status !== 'passed') throw new Error(`run ${i} did not pass: ${JSON.stringify(r)}`);
      // The file's text linted a moment ago (its problems came from this process, or a fix before this one was checked): only the change is linted.
      started = performance.now();
      await eslint.verify({ ...request, before: request.before + mark, after: `${request.after}${mark}// again\n` });
      known.push(performance.now() - started);
    }
    return { fresh: p50(fresh), known: p50(known), lines: before.split('\n').length };
  } finally {
    await eslint.dispose();
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}

export async function eslintRows(): Promise<Measured[]> {
  const check = await warmCheck();
  const rung0 = await lintRungZero();
  return [
    { metric: `ESLint check of one changed file (${check.lines} lines, typescript-eslint, both texts linted), warm, p50 of ${RUNS}`, measured: check.fresh, unit: 'ms', target: 300, kind: 'max' },
    { metric: `ESLint check of one changed file, its text linted a moment before (only the change linted), warm, p50 of ${RUNS}`, measured: check.known, unit: 'ms', target: 300, kind: 'max' },
    { metric: `rung 0 for lint: problems settled free by ESLint's own fixes (${rung0.settled} of ${rung0.problems}, ${rung0.freeTasks} of ${rung0.tasks} files)`, measured: (100 * rung0.settled) / Math.max(1, rung0.problems), unit: '%', target: 60, kind: 'min' },
    { metric: 'rung 0 for lint: shown fixes failing an independent re-run of ESLint + tsc', measured: rung0.failing.length, unit: 'proposals', target: 0, kind: 'max' },
    { metric: 'rung 0 for lint: time per fix task (ESLint cold for the first, checks included)', measured: rung0.msPerTask, unit: 'ms', target: 2000, kind: 'max' },
  ];
}

if (require.main === module) {
  void eslintRows().then((rows) => rows.forEach((row) => console.log(`${row.metric}: ${row.measured.toFixed(2)} ${row.unit} (target ${row.kind === 'max' ? '≤' : '≥'} ${row.target})`)));
}
