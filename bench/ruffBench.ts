/**
 * Ruff numbers: the Ruff check of one changed file (the workspace's ruff run on the before and
 * after texts, as the engine asks it), and rung 0 for Ruff — the share of the problems Ruff's own
 * safe fixes settle free over 25 everyday problems, and how many shown fixes fail an independent
 * re-run of `ruff check` and pyright on a copy (the target is 0).
 */
import * as fs from 'node:fs';
import { RuffChecker } from '../src/core/verify/ruff/RuffChecker';
import type { DiagnosticInfo } from '../src/shared/agentProtocol';
import { realRuffDir } from '../test/harness/realRuff';
import { ruffRungZero } from '../test/harness/ruffRungZero';
import { testedProject } from '../test/harness/testedFixture';
import type { Measured } from './providerBench';

const RUNS = 21;
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A 300-line module with one unused import; the right fix removes it. */
async function check(): Promise<{ ms: number; lines: number }> {
  const body = Array.from({ length: 60 }, (_, i) => `\n\ndef step_${i}(value: int) -> int:\n    return value + ${i}`).join('\n');
  const before = `"""Steps."""\nimport os\n${body}\n`;
  const project = testedProject('python-ruff', { 'inventory/steps.py': before });
  const ruff = new RuffChecker(project.root, { trusted: () => true, interpreter: () => undefined, pathEnv: realRuffDir() });
  const target: DiagnosticInfo = { message: '`os` imported but unused', severity: 'warning', source: 'Ruff', code: 'F401', range: { startLine: 1, startCharacter: 7, endLine: 1, endCharacter: 9 } };
  try {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const mark = `\n# run ${i}\n`;
      const started = performance.now();
      const r = await ruff.verify({ filePath: project.file('inventory/steps.py'), before: before + mark, after: before.replace('import os\n', '') + mark, targets: [target] });
      times.push(performance.now() - started);
      if (r.status !== 'passed') throw new Error(`run ${i} did not pass: ${JSON.stringify(r)}`);
    }
    return { ms: p50(times), lines: before.split('\n').length };
  } finally {
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}

export async function ruffRows(): Promise<Measured[]> {
  const c = await check();
  const rung0 = await ruffRungZero();
  return [
    { metric: `Ruff check of one changed file (${c.lines} lines; before, after and with # noqa ignored), p50 of ${RUNS}`, measured: c.ms, unit: 'ms', target: 300, kind: 'max' },
    { metric: `rung 0 for Ruff: problems settled free by Ruff's safe fixes (${rung0.settled} of ${rung0.problems}; ${rung0.safe} safely fixable; ${rung0.freeTasks} of ${rung0.tasks} files)`, measured: (100 * rung0.settled) / Math.max(1, rung0.problems), unit: '%', target: 60, kind: 'min' },
    { metric: 'rung 0 for Ruff: shown fixes failing an independent re-run of ruff + pyright', measured: rung0.failing.length, unit: 'proposals', target: 0, kind: 'max' },
    { metric: 'rung 0 for Ruff: time per fix task (pyright cold for the first, checks included)', measured: rung0.msPerTask, unit: 'ms', target: 2000, kind: 'max' },
  ];
}

if (require.main === module) {
  void ruffRows().then((rows) => rows.forEach((row) => console.log(`${row.metric}: ${row.measured.toFixed(2)} ${row.unit} (target ${row.kind === 'max' ? '≤' : '≥'} ${row.target})`)));
}
