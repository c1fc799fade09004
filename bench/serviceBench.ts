/**
 * The daemon as a service, warm where it matters: the real dist/cli.js `watch` on a TypeScript
 * project of 400 files (20 modules the other 380 import), with the loopback model server answering each injected error with its fix.
 * An error is written into a different file every 5 minutes (beyond the old 2-minute idle spell of
 * both TypeScript processes) and the time from the write to its proposal is measured — once with
 * today's idle spell (15 minutes from the last save) and once as before (2 minutes: cold at every
 * save). Then, after the quiet spell, what the daemon and its children hold, against the figure
 * they held at rest before any work.
 *
 * The clock: NIGHTSHIFT_IDLE_SCALE multiplies every helper's idle spell (idleChild.ts), and here
 * the spacing of saves and the waits too; `--quick` sets it to 0.03 (saves 9 s apart, the 15-minute
 * spell 27 s, the old one 3.6 s), so the run takes minutes instead of well over an hour. Not
 * smaller: what the daemon does between two saves (the check, the model) is not scaled, and on a
 * loaded machine it must stay well inside the scaled spell, as it is inside 15 real minutes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WARM_WHILE_WORKED_ON_MS } from '../src/core/idleChild';
import { FakeModelServer } from '../test/fakes/fakeModelServer';
import type { Measured } from './providerBench';
import { commitTypeScriptProject, startWatchDaemon } from './watchDaemon';
import { tempRepo } from '../test/harness/gitRepo';

const FILES = 400;
const SAVES = 5;
const SPACING_MS = 5 * 60_000;
const OLD_IDLE_MS = 2 * 60_000;
/** The daemon at rest: watchBench's target for its idle resident memory. */
const IDLE_TARGET_MB = 120;

/** Modules the others import (a project's core); the rest are leaves, where the errors are written. */
const CORE = 20;

/** A TypeScript project: CORE modules and FILES - CORE leaves that import two of them each, committed, with the repository's typescript as its own. */
export function project(repoRoot: string): string {
  const repo = tempRepo('service');
  const root = repo.root;
  fs.mkdirSync(path.join(root, 'src'));
  for (let i = 0; i < FILES; i++) {
    const deps = i < CORE ? [] : [i % CORE, (i + 1) % CORE];
    const imports = deps.map((d) => `import { total${d} } from './m${d}';\n`).join('');
    const base = deps.length ? deps.map((d) => `total${d}([${i}])`).join(' + ') : '0';
    const body = Array.from({ length: 8 }, (_, k) => `export function f${i}_${k}(xs: readonly number[]): number {\n  return xs.reduce((a, b) => a + b * ${k}, ${base});\n}\n`).join('');
    fs.writeFileSync(path.join(root, 'src', `m${i}.ts`), `${imports}export interface Row${i} { id: number; name: string }\n${body}export const total${i} = (xs: readonly number[]): number => f${i}_1(xs);\n`);
  }
  return commitTypeScriptProject(repo, repoRoot, { compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'commonjs' }, include: ['src'] });
}

/** Resident memory of a process and all its descendants (Linux /proc), and how many descendants there are. */
export function treeRss(pid: number): { mb: number; children: number } {
  const parent = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, ppid] of parent) if (ppid === tree[i]) tree.push(child);
  let kb = 0;
  for (const p of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return { mb: kb / 1024, children: tree.length - 1 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  /** Write to proposal, per save. */
  toProposal: number[];
  restMb: number;
  warmMb: number;
  afterQuietMb: number;
  childrenAfterQuiet: number;
}

/** One daemon: rest figure, SAVES errors SPACING apart (scaled), then the quiet spell. `idleScale` is the child's NIGHTSHIFT_IDLE_SCALE. */
async function runDaemon(node: string, repoRoot: string, url: string, clock: number, idleScale: number, quiet: boolean): Promise<Run> {
  const root = project(repoRoot);
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-service-state-'));
  const args = [root, '--json', '--trust', '--baseUrl', url, '--settleDelayMs', '100', '--reviewSavedChanges', 'false', '--idleSweepMinutes', '0'];
  const daemon = startWatchDaemon(node, repoRoot, args, { NIGHTSHIFT_STATE_DIR: state, NIGHTSHIFT_IDLE_SCALE: String(idleScale) }, 'service bench');
  const { child, seen } = daemon;
  const waitFor = (match: (l: Record<string, unknown>) => boolean, from = 0) => daemon.waitFor(match, from, 120_000);
  const idleMs = WARM_WHILE_WORKED_ON_MS * idleScale;
  try {
    await waitFor((l) => l.event === 'start' && String(l.text).startsWith('Watching files'));
    // At rest: the first pass over the project (a clean one) is done and its checker let go.
    await sleep(idleMs);
    const restUntil = Date.now() + 5 * 60_000;
    while (treeRss(child.pid!).children > 0 && Date.now() < restUntil) await sleep(500);
    await sleep(1000);
    const rest = treeRss(child.pid!);
    const toProposal: number[] = [];
    let warmMb = 0;
    for (let i = 0; i < SAVES; i++) {
      if (i > 0) await sleep(SPACING_MS * clock);
      const from = seen.length;
      const file = path.join(root, 'src', `m${CORE + ((i * 37) % (FILES - CORE))}.ts`);
      const t0 = performance.now();
      fs.writeFileSync(file, `${fs.readFileSync(file, 'utf8')}export const bad${i}: number = "${i}";\n`);
      toProposal.push((await waitFor((l) => l.event === 'proposal' && String(l.text).includes(path.basename(file)), from)) - t0);
      warmMb = Math.max(warmMb, treeRss(child.pid!).mb);
      if (!quiet) process.stderr.write(`  save ${i + 1}: ${Math.round(toProposal[i])} ms to its proposal\n`);
    }
    // The quiet spell: nobody saves; the checkers give their memory back.
    await sleep(idleMs + 3000);
    const after = treeRss(child.pid!);
    return { toProposal, restMb: rest.mb, warmMb, afterQuietMb: after.mb, childrenAfterQuiet: after.children };
  } finally {
    await daemon.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(state, { recursive: true, force: true });
  }
}

export async function serviceRows(quick = process.argv.includes('--quick'), node = process.execPath, repoRoot = path.resolve(__dirname, '..', '..')): Promise<Measured[]> {
  // The clock: a minute becomes 1.8 s with --quick (or NIGHTSHIFT_IDLE_SCALE's factor).
  const clock = Number(process.env.NIGHTSHIFT_IDLE_SCALE) > 0 ? Number(process.env.NIGHTSHIFT_IDLE_SCALE) : quick ? 0.03 : 1;
  const server = new FakeModelServer();
  const url = await server.start();
  // Each injected error's fix: its line with the string made a number.
  server.respondWith((r) => {
    const m = /export const (bad\d+): number = \\?"(\d+)\\?";/.exec(r.rawBody);
    return m ? { content: ['TITLE: Make it a number', 'WHY: a string was assigned to a number', '<<<<<<< SEARCH', `export const ${m[1]}: number = "${m[2]}";`, '=======', `export const ${m[1]}: number = ${m[2]};`, '>>>>>>> REPLACE'].join('\n') } : { content: 'TITLE: none' };
  });
  try {
    const now = await runDaemon(node, repoRoot, url, clock, clock, quick);
    // As before: the same clock, the old 2-minute idle spell (a scale that makes 15 minutes 2).
    const before = await runDaemon(node, repoRoot, url, clock, (clock * OLD_IDLE_MS) / WARM_WHILE_WORKED_ON_MS, quick);
    const spacing = quick ? `${((SPACING_MS * clock) / 1000).toFixed(0)} s apart (5 min at --quick's clock ×${clock})` : '5 min apart';
    return [
      { metric: `service: injected error to proposal, saves ${spacing}, p50 of ${SAVES}`, measured: median(now.toProposal), unit: 'ms', target: 5000, kind: 'max' },
      { metric: `service: the same, slowest save (the first starts both TypeScript processes cold)`, measured: Math.max(...now.toProposal), unit: 'ms', target: Infinity, kind: 'max' },
      { metric: `service: the same with the old 2-min idle spell (cold at every save), p50`, measured: median(before.toProposal), unit: 'ms', target: Infinity, kind: 'max' },
      { metric: 'service: resident memory at rest before work (daemon + children)', measured: now.restMb, unit: 'MB', target: Infinity, kind: 'max' },
      { metric: 'service: resident memory while warm (daemon + both TypeScript processes)', measured: now.warmMb, unit: 'MB', target: Infinity, kind: 'max' },
      // Back to the idle figure: the watch bench's target for the daemon at rest (its own heap grows a little with the work: the model client, the proposals).
      { metric: 'service: resident memory after the 15-min quiet spell (the idle target)', measured: now.afterQuietMb, unit: 'MB', target: IDLE_TARGET_MB, kind: 'max' },
      { metric: "service: of which above the figure at rest before work (the daemon's own heap)", measured: now.afterQuietMb - now.restMb, unit: 'MB', target: Infinity, kind: 'max' },
      { metric: 'service: child processes left after the quiet spell', measured: now.childrenAfterQuiet, unit: '', target: 0, kind: 'max' },
    ];
  } finally {
    await server.close();
  }
}

if (require.main === module) {
  void serviceRows().then((rows) => {
    for (const r of rows) console.log(`${r.metric.padEnd(100)} ${r.measured.toFixed(r.unit === 'ms' ? 0 : 1).padStart(8)} ${r.unit.padEnd(3)} ${Number.isFinite(r.target) ? `target ${r.kind === 'max' ? '≤' : '≥'} ${r.target}` : ''}`);
  });
}
