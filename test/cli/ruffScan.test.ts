/**
 * `nightshift scan` (the built binary) on a Python package that configures Ruff
 * (test/fixtures/python-ruff), with a real ruff on PATH (Debian's, scripts/test-ruff.sh): Ruff's
 * problems are signals (warnings, as the Ruff extension reports them: with includeWarnings), Ruff's
 * safe fixes are free proposals checked by Ruff, pyright and the pytest tests that reach them; a
 * model's fix is proved by Ruff, its `# noqa` shown as silencing; no ruff found is said.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { realRuffDir } from '../harness/realRuff';
import { testedProject, type TestedProject } from '../harness/testedFixture';
import { cliEnv, runCli } from './cliHarness';

interface Report {
  filesWithProblems: number;
  proposals: Array<{ title: string; model: string; source: string; costUsd: number; evidence: string; check: { status: string; detail: string }; files: Array<{ path: string }> }>;
}

const answer = (search: string, replace: string) => ['TITLE: Fix it', 'WHY: as Ruff asks', '<<<<<<< SEARCH', search, '=======', replace, '>>>>>>> REPLACE'].join('\n');
const IS_NONE = answer('    if level.count == None:', '    if level.count is None:');
const NOQA = answer('    l = [{"sku": x.sku, "count": x.count} for x in levels]', '    l = [{"sku": x.sku, "count": x.count} for x in levels]  # noqa: E741');

describe('nightshift scan on a Python package that configures Ruff (the built binary, a real ruff)', () => {
  const server = new FakeModelServer();
  let url = '';
  const projects: TestedProject[] = [];
  const project = () => {
    const p = testedProject('python-ruff');
    projects.push(p);
    return { root: p.root, stateDir: `${p.root}-state` };
  };
  const withRuff = () => ({ PATH: `${realRuffDir()}${path.delimiter}${process.env.PATH ?? ''}` });

  before(async () => {
    url = await server.start();
    server.respondWith((r) => {
      const body = JSON.stringify(r.body);
      return { content: body.includes('Comparison to `None`') ? IS_NONE : body.includes('Ambiguous variable name') ? NOQA : 'TITLE: none' };
    });
  });
  after(async () => {
    await server.close();
    for (const p of projects) [p.root, `${p.root}-state`].forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  });

  it('offers Ruff’s safe fixes free, proves the model’s fix with Ruff, and shows a # noqa as silencing', async () => {
    const { root, stateDir } = project();
    const run = await runCli(['scan', root, '--trust', '--includeWarnings', 'true', '--baseUrl', url], cliEnv(stateDir, withRuff()));
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.filesWithProblems, 2, run.stderr);
    const free = report.proposals.filter((p) => p.source === 'compiler');
    assert.deepEqual(free.map((p) => p.files[0].path).sort(), ['inventory/report.py', 'inventory/stock.py'], run.stderr);
    for (const p of free) {
      assert.match(p.model, /^Ruff \d+\.\d+\.\d+/);
      assert.equal(p.costUsd, 0);
      assert.equal(p.check.status, 'passed', p.check.detail);
      assert.match(p.check.detail, /Checked with Ruff [\d.]+: the problem is gone and no new problem appeared/);
    }
    const stockFree = free.find((p) => p.files[0].path === 'inventory/stock.py')!;
    assert.match(stockFree.title, /F401.*F541/);
    assert.equal(stockFree.evidence, 'tested', 'tests/test_stock.py reaches stock.py');
    assert.equal(free.find((p) => p.files[0].path === 'inventory/report.py')!.evidence, 'type-checked', 'no test reaches report.py');
    assert.ok(!free.some((p) => /E711/.test(p.title)), 'E711’s fix is unsafe: never taken free');

    const paid = report.proposals.filter((p) => p.source !== 'compiler');
    const isNone = paid.find((p) => p.files[0].path === 'inventory/stock.py');
    assert.equal(isNone?.check.status, 'passed', JSON.stringify(isNone?.check));
    assert.match(isNone!.check.detail, /Checked with Ruff [\d.]+: the problem is gone/);
    const noqa = paid.find((p) => p.files[0].path === 'inventory/report.py');
    assert.equal(noqa?.check.status, 'silences', JSON.stringify(noqa?.check));
    assert.equal(noqa?.evidence, 'silences');
  });

  it('takes none of Ruff’s warnings as tasks without includeWarnings, as the editor would not', async () => {
    const { root, stateDir } = project();
    const run = await runCli(['scan', root, '--trust'], cliEnv(stateDir, withRuff()));
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.filesWithProblems, 0, run.stderr);
    assert.deepEqual(report.proposals, []);
  });

  it('says there are no Ruff problems, and why, when no ruff is found', async () => {
    const { root, stateDir } = project();
    const run = await runCli(['scan', root, '--trust', '--includeWarnings', 'true'], cliEnv(stateDir, { PATH: path.dirname(process.execPath) + path.delimiter + '/usr/bin' + path.delimiter + '/bin' }));
    assert.match(run.stderr, /No Ruff problems: No ruff found beside the folder's Python or on PATH\./);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.filesWithProblems, 0, run.stderr);
  });
});
