/**
 * The tested check's cost on a generated vitest project of 20 source files and 500 tests: the first
 * check (the shadow worktree made, the runner started, the related tests run), the warm median (a
 * different passing change each time, so every check really runs its tests), and the kept-alive
 * runner's memory (its whole process group) while warm and after it has been idle.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestVerifier } from '../src/core/verify/tests/TestVerifier';
import { RUNNER_IDLE_MS } from '../src/core/verify/tests/warmTestRun';
import { sourceRoot } from '../test/harness/testedFixture';
import type { Measured } from './providerBench';

const MODULES = 20;
const TESTS_PER_MODULE = 25;
/** NIGHTSHIFT_RUNNER_IDLE_SECONDS shortens the two-minute idle spell for a quick run. */
const IDLE_MS = Number(process.env.NIGHTSHIFT_RUNNER_IDLE_SECONDS) * 1000 || RUNNER_IDLE_MS;

/** Modules in chains of five (each imports the one before), each with a test file of 25 tests. */
function makeProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-testbench-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.mkdirSync(path.join(root, 'test'));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'bench', type: 'module', scripts: { test: 'vitest run' } }));
  fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules\n');
  fs.writeFileSync(path.join(root, 'src', 'common.ts'), 'export const clamp = (n: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, n));\n');
  for (let i = 0; i < MODULES; i++) {
    const chained = i % 5 !== 0;
    fs.writeFileSync(path.join(root, 'src', `m${i}.ts`), moduleText(i, chained, ''));
    const tests = Array.from({ length: TESTS_PER_MODULE }, (_, t) => `  it('scales ${t}', () => {\n    expect(scale${i}(${t})).toBe(${expected(i, t, chained)});\n  });`);
    fs.writeFileSync(path.join(root, 'test', `m${i}.test.ts`), `import { describe, expect, it } from 'vitest';\nimport { scale${i} } from '../src/m${i}';\n\ndescribe('m${i}', () => {\n${tests.join('\n')}\n});\n`);
  }
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', ...args], { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'bench project');
  fs.symlinkSync(path.join(sourceRoot(), 'node_modules'), path.join(root, 'node_modules'), 'dir');
  return root;
}

function moduleText(i: number, chained: boolean, note: string): string {
  const dep = chained ? `import { scale${i - 1} } from './m${i - 1}';\n` : '';
  const body = chained ? `clamp(scale${i - 1}(n) + ${i}, 0, 100000)` : `clamp(n * 2 + ${i}, 0, 100000)`;
  return `import { clamp } from './common';\n${dep}${note}\nexport function scale${i}(n: number): number {\n  return ${body};\n}\n`;
}

function expected(i: number, n: number, chained: boolean): number {
  if (!chained) return Math.min(100000, n * 2 + i);
  return Math.min(100000, expected(i - 1, n, (i - 1) % 5 !== 0) + i);
}

/** Resident memory of a process and everything in its group (a runner's pool workers), in MB. */
function groupRssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  let kb = 0;
  for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(stat[2]) !== pid) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      /* gone meanwhile */
    }
  }
  return kb / 1024;
}

export async function testedCheckRows(runs = 15): Promise<Measured[]> {
  const root = makeProject();
  const verifier = new TestVerifier(root, () => ({ mode: 'auto', timeoutMs: 120_000 }), { runnerIdleMs: IDLE_MS });
  // A change in the middle of a chain: its own tests and those of the two modules importing it (75 tests).
  const file = path.join(root, 'src', 'm7.ts');
  const before = fs.readFileSync(file, 'utf8');
  const times: number[] = [];
  const failing: number[] = [];
  let rss = 0;
  // Sampled while the tests run, when the runner's pool workers are alive too.
  const sampler = setInterval(() => (rss = Math.max(rss, groupRssMb(verifier.runnerPid()))), 100);
  try {
    for (let i = 0; i <= runs; i++) {
      const after = moduleText(7, true, `// change ${i}`);
      const started = performance.now();
      const r = await verifier.verify({ filePath: file, before, after, targets: [] });
      times.push(performance.now() - started);
      if (r.status !== 'passed' || r.level !== 'tested') throw new Error(`the benchmark check should pass tested: ${JSON.stringify(r)}`);
    }
    // A wrong change: the related tests fail, and the base run (once, then remembered) says they did not before.
    for (let i = 0; i <= 5; i++) {
      const started = performance.now();
      const r = await verifier.verify({ filePath: file, before, after: moduleText(7, true, `// wrong ${i}`).replace(' + 7,', ' + 8,'), targets: [] });
      failing.push(performance.now() - started);
      if (r.status !== 'failed') throw new Error(`the wrong change should fail: ${JSON.stringify(r)}`);
    }
    clearInterval(sampler);
    const pid = verifier.runnerPid();
    const deadline = Date.now() + IDLE_MS + 30_000;
    while (groupRssMb(pid) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const [first, ...warm] = times;
    warm.sort((a, b) => a - b);
    const idle = Math.round(IDLE_MS / 1000);
    return [
      { metric: `tested check (vitest, ${MODULES} files, ${MODULES * TESTS_PER_MODULE} tests, 75 related), first`, measured: first, unit: 'ms', target: 8000, kind: 'max' },
      { metric: `tested check, warm p50 of ${runs}`, measured: warm[Math.floor(warm.length / 2)], unit: 'ms', target: 2000, kind: 'max' },
      { metric: '  warm, a change that fails 75 tests (base run once, then remembered), p50 of 5', measured: [...failing.slice(1)].sort((a, b) => a - b)[2], unit: 'ms', target: Infinity, kind: 'max' },
      { metric: 'tested check: warm runner memory (process group, peak while running)', measured: rss, unit: 'MB', target: 250, kind: 'max' },
      { metric: `tested check: runner memory still held ${idle} s idle`, measured: groupRssMb(pid), unit: 'MB', target: 0, kind: 'max' },
    ];
  } finally {
    clearInterval(sampler);
    await verifier.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void testedCheckRows().then((rows) => rows.forEach((row) => console.log(`${row.metric}: ${row.measured.toFixed(1)} ${row.unit} (target ${row.kind === 'max' ? '≤' : '≥'} ${row.target})`)));
}
