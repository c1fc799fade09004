/**
 * `npm run bench`: measures the numbers the issues set and prints them beside their targets.
 * Activation is measured in the real extension host (code-server through the `code` stand-in);
 * sizes are read from the production build and the packaged .vsix.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeRunDir } from '../test/harness/codeServer';
import { execFileSync } from 'node:child_process';
import { REPO_ROOT, testEnv } from '../test/harness/testEnv';
import type { Measured } from './providerBench';
import { panelRows } from './panelBench';
import { workbenchRows } from './workbenchBench';
import { tunerRows } from './tunerBench';
import { rungZeroRows } from './rungZeroBench';
import { eslintRows } from './eslintBench';
import { ruffRows } from './ruffBench';
import { pythonRows } from './pythonBench';
import { testedCheckRows } from './testedCheckBench';
import { wrongAnswerRows } from './wrongAnswerBench';
import { unitTierRows } from './unitTierBench';
import { serviceRows } from './serviceBench';

type Row = Measured;

const ACTIVATION_RUNS = 3;

async function activationMs(): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < ACTIVATION_RUNS; i++) {
    const runDir = makeRunDir('bench');
    const out = path.join(runDir, 'activation.json');
    const workspace = path.join(runDir, 'project');
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'ts-error'), workspace, { recursive: true });
    await runTests({
      vscodeExecutablePath: path.join(REPO_ROOT, 'test', 'harness', 'code'),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'bench', 'activationProbe.js'),
      launchArgs: [workspace, `--user-data-dir=${path.join(runDir, 'user-data')}`, `--extensions-dir=${path.join(runDir, 'extensions')}`],
      extensionTestsEnv: { NIGHTSHIFT_BENCH_OUT: out },
      stdout: { write: () => true } as unknown as NodeJS.WriteStream,
    });
    samples.push((JSON.parse(fs.readFileSync(out, 'utf8')) as { activationMs: number }).activationMs);
  }
  return samples;
}

/** The engine's benchmarks, on the extension host's Node generation (see serverBench.ts). */
function serverRows(): Row[] {
  const out = execFileSync(testEnv().node24, [path.join(REPO_ROOT, 'out', 'bench', 'serverBench.js')], { encoding: 'utf8', maxBuffer: 1 << 24 });
  const { node, rows } = JSON.parse(out) as { node: string; rows: Row[] };
  return rows.map((r) => ({ ...r, metric: `${r.metric} (Node ${node})`, target: r.target ?? Infinity }));
}

function kb(file: string): number {
  return fs.statSync(path.join(REPO_ROOT, file)).size / 1024;
}

/** The metric column's width: a row is printed the moment it is measured, so the width is fixed. */
const WIDTH = 96;
const met = (r: Row) => (r.kind === 'max' ? r.measured <= r.target : r.measured >= r.target);

function printRow(r: Row): void {
  const target = Number.isFinite(r.target) ? `${r.kind === 'max' ? '≤' : '≥'} ${r.target.toLocaleString('en-US')} ${r.unit}` : '—';
  const value = r.measured >= 1000 ? Math.round(r.measured).toLocaleString('en-US') : r.measured.toFixed(2);
  console.log(`${r.metric.padEnd(WIDTH)}  ${`${value} ${r.unit}`.padStart(20)}  ${target.padStart(22)}  ${met(r) ? 'ok' : 'MISSED'}`);
}

async function main(): Promise<void> {
  // --quick: the idle soaks last 60 s instead of 10 minutes (the soak's rows say how long they ran).
  const quick = process.argv.includes('--quick');
  if (quick) process.env.NIGHTSHIFT_IDLE_SECONDS ??= '60';
  const started = Date.now();
  const rows: Row[] = [];
  let activation: number[] = [];
  const sources: Array<[string, () => Row[] | Promise<Row[]>]> = [
    // First: the inner loop's time shows even when a run is cut short.
    ['unit tier', () => unitTierRows()],
    [
      'activation and sizes',
      async () => {
        activation = await activationMs();
        const median = [...activation].sort((a, b) => a - b)[Math.floor(activation.length / 2)];
        return [
          { metric: `activate() median of ${ACTIVATION_RUNS} (real extension host)`, measured: median, unit: 'ms', target: 30, kind: 'max' },
          { metric: `activate() worst of ${ACTIVATION_RUNS}`, measured: Math.max(...activation), unit: 'ms', target: 30, kind: 'max' },
          { metric: 'packaged .vsix', measured: kb('dist-vsix/nightshift.vsix') / 1024, unit: 'MB', target: 3, kind: 'max' },
          { metric: 'extension bundle (minified)', measured: kb('dist/extension.js'), unit: 'KB', target: 600, kind: 'max' },
          { metric: 'webview bundle (minified, js+css)', measured: kb('dist/webview.js') + kb('dist/webview.css'), unit: 'KB', target: 300, kind: 'max' },
        ];
      },
    ],
    ['tuner', () => tunerRows()],
    ['rung 0', () => rungZeroRows()],
    ['ESLint', () => eslintRows()],
    ['Python (pyright)', () => pythonRows()],
    ['Ruff', () => ruffRows()],
    ['tested check', () => testedCheckRows()],
    ['wrong-answer corpus', () => wrongAnswerRows()],
    ['panel', () => panelRows()],
    ['workbench', () => workbenchRows()],
    // Saves 5 minutes apart (9 s at --quick's 0.03 clock: NIGHTSHIFT_IDLE_SCALE), then the 15-minute quiet spell.
    ['service', () => serviceRows(quick)],
    ['engine (Node 24)', () => serverRows()],
  ];
  console.log(`${'metric'.padEnd(WIDTH)}  ${'measured'.padStart(20)}  ${'target'.padStart(22)}  result${quick ? '   (--quick: 60 s idle soaks)' : ''}`);
  for (const [, measure] of sources) {
    for (const r of await measure()) {
      rows.push(r);
      printRow(r);
    }
  }
  const minutes = (Date.now() - started) / 60_000;
  console.log(`\n${rows.filter(met).length} of ${rows.length} rows ok; the run took ${minutes.toFixed(1)} min${quick ? ' (--quick)' : ''}.`);
  const resultsDir = path.join(REPO_ROOT, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), JSON.stringify({ when: new Date().toISOString(), quick, minutes, activationSamplesMs: activation, rows }, null, 2));
  if (!rows.every(met)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
