/**
 * `nightshift scan` (the built binary) on a Python package (test/fixtures/python-pkg): pyright's
 * problems are its signals with no check commands, and a model's answer is checked with pyright
 * and the pytest tests that reach it — tested where the user trusts the repository, type-checked
 * (pyright still checks: it runs none of the repository's code) with the reason where not.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { testedProject } from '../harness/testedFixture';
import * as path from 'node:path';
import { cliEnv, runCli, RunningCli } from './cliHarness';

const fix = (search: string, replace: string, indent: string) => ['TITLE: Fix it', 'WHY: the name is wrong', '<<<<<<< SEARCH', `${indent}${search}`, '=======', `${indent}${replace}`, '>>>>>>> REPLACE'].join('\n');
const CART = fix('return sum(i.qty for i in self.items)', 'return sum(i.quantity for i in self.items)', '        ');
const RECEIPT = fix('return "Receipt for " + len(store)', 'return "Receipt for " + store', '    ');

interface Report {
  filesWithProblems: number;
  proposals: Array<{ title: string; evidence: string; files: Array<{ path: string }>; check: { status: string; level?: string; untested?: string; detail: string } }>;
}

describe('nightshift scan on a Python package (the built binary, real pyright and pytest)', () => {
  const server = new FakeModelServer();
  let url = '';
  const projects: string[] = [];
  const project = () => {
    const p = testedProject('python-pkg');
    projects.push(p.root);
    return { root: p.root, stateDir: `${p.root}-state` };
  };
  const byFile = (r: Report, file: string) => r.proposals.find((p) => p.files.some((f) => f.path === file));

  before(async () => {
    url = await server.start();
    server.respondWith((r) => {
      const body = JSON.stringify(r.body);
      // By the problem asked about (a prompt may name the other file too).
      return { content: body.includes('not supported for types') ? RECEIPT : body.includes('Cannot access attribute') ? CART : 'TITLE: none' };
    });
  });
  after(async () => {
    await server.close();
    for (const root of projects) [root, `${root}-state`].forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  it('finds pyright’s problems and shows the fixes checked: tested where a test reaches, type-checked where none does', async () => {
    const { root, stateDir } = project();
    const run = await runCli(['scan', root, '--trust', '--baseUrl', url], cliEnv(stateDir));
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.filesWithProblems, 2, run.stderr);
    const cart = byFile(report, 'shop/cart.py');
    assert.equal(cart?.evidence, 'tested', JSON.stringify(cart?.check));
    assert.match(cart!.check.detail, /Checked with pyright [\d.]+ \(Python at .+\): the problem is gone and no new problem appeared in shop\/cart\.py and 2 module\(s\) importing it\./);
    assert.match(cart!.check.detail, /2 tests in test_cart\.py pass \([\d.]+ s, pytest\)/);
    const receipt = byFile(report, 'shop/receipt.py');
    assert.equal(receipt?.evidence, 'type-checked', JSON.stringify(receipt?.check));
    assert.equal(receipt!.check.untested, 'no test reaches this change');
  });

  it('checks with pyright but runs no test in an untrusted repository, and says why', async () => {
    const { root, stateDir } = project();
    const run = await runCli(['scan', root, '--baseUrl', url], cliEnv(stateDir));
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.filesWithProblems, 2, run.stderr);
    const cart = byFile(report, 'shop/cart.py');
    assert.equal(cart?.evidence, 'type-checked', JSON.stringify(cart?.check));
    assert.match(cart!.check.detail, /Checked with pyright/);
    assert.match(cart!.check.untested ?? '', /trust/);
  });

  it('checks with the Python the user names (pythonInterpreter), never one the repository names, and status says which', async () => {
    const { root, stateDir } = project();
    const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
    assert.ok(python, 'python3 on PATH');
    fs.mkdirSync(path.join(root, '.nightshift'), { recursive: true });
    fs.writeFileSync(path.join(root, '.nightshift', 'config.json'), JSON.stringify({ pythonInterpreter: '/nonexistent/python' }));
    const plain = await runCli(['status', root], cliEnv(stateDir));
    assert.match(plain.stdout, /^Python \(.+\): .+ — from PATH · pyright [\d.]+ · pytest/m, plain.stdout);
    assert.match(plain.stderr, /\.nightshift\/config\.json sets "pythonInterpreter", which only you may set \(which program runs\); it is ignored/);
    const named = await runCli(['status', root, '--pythonInterpreter', python], cliEnv(stateDir));
    assert.ok(named.stdout.includes(`: ${python} — from pythonInterpreter · pyright`), named.stdout);
    const run = await runCli(['scan', root, '--trust', '--baseUrl', url, '--pythonInterpreter', python], cliEnv(stateDir));
    const cart = byFile(JSON.parse(run.stdout) as Report, 'shop/cart.py');
    assert.ok(cart!.check.detail.includes(`(Python at ${python}, from pythonInterpreter)`), cart!.check.detail);
  });

  it('watch: a Python error written while it runs is a signal from pyright, and its fix a checked proposal', async () => {
    const { root, stateDir } = project();
    const watch = new RunningCli(['watch', root, '--trust', '--json', '--settleDelayMs', '200', '--baseUrl', url], cliEnv(stateDir));
    try {
      await watch.waitFor(/"event":"start".*Watching files/, 60_000);
      fs.writeFileSync(path.join(root, 'shop', 'late.py'), 'def header(store: str) -> str:\n    return "Receipt for " + len(store)\n');
      await watch.waitFor(/"event":"diagnostics".*shop\/late\.py: 1 problem/, 60_000);
      await watch.waitFor(/"event":"proposal".*shop\/late\.py/, 90_000);
      const proposal = watch.events().find((e) => e.event === 'proposal' && String(e.text).includes('shop/late.py'))!;
      assert.equal(proposal.evidence, 'type-checked', JSON.stringify(proposal));
    } finally {
      assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
    }
  });
});
