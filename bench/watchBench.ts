/**
 * The headless host at work and at rest: the real dist/cli.js `watch` on a workspace of 20,000
 * files (a git repository; a tsconfig over one folder of 100 of them, the rest outside any
 * project, as docs, assets and other languages are), with the workspace's own TypeScript.
 * Measured: start to ready, idle CPU per minute and resident memory, a file change to its
 * diagnostics (warm), and attaching (connect to the first status from the daemon).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { connectDaemon } from '../src/cli/daemonClient';
import { commitTypeScriptProject, startWatchDaemon } from './watchDaemon';
import { tempRepo } from '../test/harness/gitRepo';
import type { Measured } from './providerBench';
import { cpuMs, IDLE_SECONDS, rssMb } from './idleBench';
import { TS_IDLE_MS } from '../src/core/signals/tsDiagnosticsService';

function workspace(repoRoot: string, files: number): string {
  const repo = tempRepo('watch');
  const root = repo.root;
  for (let d = 0; d < files / 100; d++) {
    fs.mkdirSync(path.join(root, `dir${d}`));
    for (let f = 0; f < 100; f++) fs.writeFileSync(path.join(root, `dir${d}`, `f${f}.ts`), `export const v${f}: number = ${f};\n`);
  }
  return commitTypeScriptProject(repo, repoRoot, { compilerOptions: { strict: true, noEmit: true }, include: ['dir0'] });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function watchHost(node: string, repoRoot: string, seconds = IDLE_SECONDS, files = 20_000): Promise<Measured[]> {
  const root = workspace(repoRoot, files);
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-watch-state-'));
  // The host at rest is measured after its checkers' idle spell: the old 2 minutes here (NIGHTSHIFT_IDLE_SCALE), not the 15 a
  // workspace being worked on gets — serviceBench.ts measures that.
  const idleScale = Number(process.env.NIGHTSHIFT_IDLE_SCALE) > 0 ? Number(process.env.NIGHTSHIFT_IDLE_SCALE) : 120_000 / TS_IDLE_MS;
  const started = performance.now();
  // A loopback port nothing listens on: no call is made (no file has an error until the bench writes one, and then only its diagnostics are timed).
  const daemon = startWatchDaemon(node, repoRoot, [root, '--json', '--baseUrl', 'http://127.0.0.1:9/v1', '--settleDelayMs', '0', '--reviewSavedChanges', 'false'], { NIGHTSHIFT_STATE_DIR: state, NIGHTSHIFT_IDLE_SCALE: String(idleScale) }, 'watch bench');
  const { child, seen, waitFor } = daemon;
  try {
    const ready = (await waitFor((l) => l.event === 'start')) - started;
    const socket = String(seen.find((s) => s.line.event === 'start')!.line.socket);
    const watching = (await waitFor((l) => l.event === 'start' && String(l.text).startsWith('Watching files'))) - started;
    await new Promise((r) => setTimeout(r, 5000)); // the first pass over the project, after ready
    // A file change to its diagnostics: an error written, five times over (the first warms the checker).
    const changes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const from = seen.length;
      const t0 = performance.now();
      fs.writeFileSync(path.join(root, 'dir0', 'f1.ts'), `export const v1: number = "${i}";\n`);
      changes.push((await waitFor((l) => l.event === 'diagnostics' && String(l.text).startsWith('dir0/f1.ts'), from)) - t0);
      fs.writeFileSync(path.join(root, 'dir0', 'f1.ts'), 'export const v1: number = 1;\n');
      await new Promise((r) => setTimeout(r, 400));
    }
    const attach: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const session = await connectDaemon(socket);
      attach.push(performance.now() - t0);
      session.close();
    }
    // Past the checker's idle spell, so what is measured is the host at rest.
    await new Promise((r) => setTimeout(r, TS_IDLE_MS * idleScale + 3000));
    const before = cpuMs(child.pid!);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const used = cpuMs(child.pid!) - before;
    const rss = rssMb(child.pid!);
    const window = seconds >= 600 ? '10 min' : `${seconds} s`;
    return [
      { metric: `watch: start to ready, ${files.toLocaleString('en-US')}-file workspace`, measured: ready, unit: 'ms', target: 1000, kind: 'max' },
      { metric: `watch: start to files watched (native watcher's crawl)`, measured: watching, unit: 'ms', target: Infinity, kind: 'max' },
      { metric: `watch: idle CPU per minute (over ${window})`, measured: used / (seconds / 60), unit: 'ms', target: 20, kind: 'max' },
      { metric: `watch: idle resident memory (after ${window})`, measured: rss, unit: 'MB', target: 120, kind: 'max' },
      { metric: 'watch: file change to its diagnostics, warm (median of 4)', measured: median(changes.slice(1)), unit: 'ms', target: 500, kind: 'max' },
      { metric: 'watch: attach, connect to first status (median of 5)', measured: median(attach), unit: 'ms', target: 300, kind: 'max' },
    ];
  } finally {
    await daemon.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
