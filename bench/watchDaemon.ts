/**
 * A `nightshift watch` daemon for the benches, through the built binary: started with `--json`, its
 * event lines kept with the time each arrived, a wait for the first line that matches, and a stop
 * that waits for the exit; and the project it watches, committed. watchBench.ts and serviceBench.ts
 * both drive one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TempRepo } from '../test/harness/gitRepo';

/** Finishes a repository of TypeScript files for a daemon to watch: its tsconfig, this repository's typescript as its own, one commit. */
export function commitTypeScriptProject(repo: TempRepo, repoRoot: string, tsconfig: object): string {
  fs.writeFileSync(path.join(repo.root, 'tsconfig.json'), JSON.stringify(tsconfig));
  fs.mkdirSync(path.join(repo.root, 'node_modules'));
  fs.symlinkSync(path.join(repoRoot, 'node_modules', 'typescript'), path.join(repo.root, 'node_modules', 'typescript'), 'dir');
  fs.writeFileSync(path.join(repo.root, '.gitignore'), 'node_modules/\n');
  repo.git('add', '.');
  repo.git('commit', '-qm', 'project');
  return repo.root;
}

export interface WatchDaemon {
  readonly child: ChildProcess;
  /** Every JSON event line so far, with when it arrived (performance.now()). */
  readonly seen: Array<{ at: number; line: Record<string, unknown> }>;
  /** When the first line from index `from` on that matches arrived; throws on a timeout or an exit. */
  waitFor(match: (line: Record<string, unknown>) => boolean, from?: number, ms?: number): Promise<number>;
  /** SIGTERM, then the exit. */
  stop(): Promise<void>;
}

export function startWatchDaemon(node: string, repoRoot: string, args: readonly string[], env: NodeJS.ProcessEnv, name: string): WatchDaemon {
  const child = spawn(node, [path.join(repoRoot, 'dist', 'cli.js'), 'watch', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const seen: WatchDaemon['seen'] = [];
  let buffer = '';
  child.stderr!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.startsWith('{')) seen.push({ at: performance.now(), line: JSON.parse(line) as Record<string, unknown> });
    }
  });
  return {
    child,
    seen,
    async waitFor(match, from = 0, ms = 60_000) {
      const until = Date.now() + ms;
      for (;;) {
        const hit = seen.slice(from).find((s) => match(s.line));
        if (hit) return hit.at;
        if (Date.now() > until || child.exitCode !== null) throw new Error(`${name}: timed out (exit ${child.exitCode})`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
    },
  };
}
