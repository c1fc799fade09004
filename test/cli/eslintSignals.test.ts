/**
 * `nightshift scan` and `watch` (the built binary) on a project that lints with ESLint and has no
 * check commands and no model key: ESLint's problems are their signals, ESLint's own fixes are
 * offered free, each checked by the composed check (TypeScript and ESLint); an untrusted
 * repository runs none of its ESLint config, and says so.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { testedProject, type TestedProject } from '../harness/testedFixture';
import { cliEnv, runCli, RunningCli } from './cliHarness';

interface Report {
  filesWithProblems: number;
  notDone: string[];
  proposals: Array<{ title: string; model: string; source: string; costUsd: number; evidence: string; check: { status: string; detail: string }; files: Array<{ path: string }> }>;
}

describe('nightshift scan and watch on a project linted with ESLint (no key, no check commands)', () => {
  const projects: TestedProject[] = [];
  const project = () => {
    const p = testedProject('eslint-ts');
    projects.push(p);
    return { root: p.root, stateDir: path.join(p.root, '..', `${path.basename(p.root)}-state`) };
  };
  after(() => projects.forEach((p) => [p.root, `${p.root}-state`].forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }))));

  it('offers ESLint’s own fixes free with no key, each checked (ESLint proves the problem gone)', async () => {
    const { root, stateDir } = project();
    const run = await runCli(['scan', root, '--trust'], cliEnv(stateDir));
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.filesWithProblems, 9, run.stderr);
    const free = report.proposals.filter((p) => p.source === 'compiler');
    assert.equal(free.length, report.proposals.length);
    // Rung 0 goes problem by problem: the two files with a problem no tool fixes get a free proposal for the rest.
    assert.deepEqual(free.map((p) => p.files[0].path).sort(), ['src/cart.ts', 'src/config.ts', 'src/events.ts', 'src/guards.ts', 'src/legacy.ts', 'src/lookup.ts', 'src/math.ts', 'src/report.ts', 'src/store.ts']);
    for (const p of free) {
      assert.match(p.model, /^ESLint \d+\.\d+\.\d+$/);
      assert.equal(p.costUsd, 0);
      assert.equal(p.check.status, 'passed', p.check.detail);
      assert.equal(p.evidence, 'type-checked');
      assert.match(p.check.detail, /^Checked with ESLint [\d.]+: the problem is gone and no new problem appeared in \w+\.ts\.$/);
    }
    assert.match(report.notDone.join(' '), /No API key/, 'the problems rung 0 cannot settle wait for a backend');
    assert.equal(run.code, 3, run.stderr);
  });

  it('runs none of an untrusted repository’s ESLint config: no lint problems, and it says why', async () => {
    const { root, stateDir } = project();
    const run = await runCli(['scan', root], cliEnv(stateDir));
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.filesWithProblems, 0);
    assert.deepEqual(report.proposals, []);
    assert.match(run.stderr, /No ESLint problems: ESLint did not run: its config is the repository's own code, and the repository is not trusted\./);
  });

  it('watch: a lint problem written while it runs is a signal, and ESLint’s fix for it a free proposal', async () => {
    const { root, stateDir } = project();
    const watch = new RunningCli(['watch', root, '--trust', '--json', '--settleDelayMs', '200'], cliEnv(stateDir));
    try {
      await watch.waitFor(/"event":"start".*Watching files/, 60_000);
      fs.writeFileSync(path.join(root, 'src', 'late.ts'), "export function late(): string {\n  let word = 'late';\n  return word;\n}\n");
      await watch.waitFor(/"event":"diagnostics".*src\/late\.ts: 1 problem/, 60_000);
      await watch.waitFor(/"event":"proposal".*src\/late\.ts/, 60_000);
      const proposal = watch.events().find((e) => e.event === 'proposal' && String(e.text).includes('src/late.ts'))!;
      assert.match(String(proposal.text), /Fix prefer-const: 'word' is never reassigned/);
      assert.equal(proposal.evidence, 'type-checked');
    } finally {
      assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
    }
  });
});
