/**
 * `nightshift scan` on a project with real vitest tests (test/fixtures/tested-vitest): the report's
 * words say what was proved — tested where the user trusts the repository (--trust), type-checked
 * with the reason where they do not, silences the error for an answer that hides it — in the JSON
 * report and in SARIF, where only what counts as checked is marked checked.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { testedProject } from '../harness/testedFixture';
import { cliEnv, runCli } from './cliHarness';

const WRONG_LINE = 'const discounted = applyDiscount(subtotal);';
const answer = (replace: string) => ['TITLE: Pass the discount', 'WHY: applyDiscount takes the discount', '<<<<<<< SEARCH', `  ${WRONG_LINE}`, '=======', `  ${replace}`, '>>>>>>> REPLACE'].join('\n');
const RIGHT = answer('const discounted = applyDiscount(subtotal, invoice.discount);');
const HUSH = answer(`// @ts-expect-error the discount is optional\n  ${WRONG_LINE}`);

interface Report {
  proposals: Array<{ title: string; evidence: string; check: { status: string; level?: string; untested?: string; detail: string } }>;
}
interface Sarif {
  runs: Array<{ results: Array<{ properties: { evidence: string; checked: boolean }; message: { text: string } }> }>;
}

describe('nightshift scan on a project with tests (the built binary, real vitest)', () => {
  const server = new FakeModelServer();
  let url = '';
  let reply = RIGHT;
  const projects: string[] = [];
  const project = () => {
    const p = testedProject('tested-vitest');
    projects.push(p.root);
    return { root: p.root, stateDir: `${p.root}-state` };
  };

  before(async () => {
    url = await server.start();
    server.respondWith((r) => (JSON.stringify(r.body).includes('invoice.ts') ? { content: reply } : { content: 'TITLE: none' }));
  });
  after(async () => {
    await server.close();
    for (const root of projects) fs.rmSync(root, { recursive: true, force: true });
  });

  it('says tested when the user trusts the repository, naming the tests that passed', async () => {
    reply = RIGHT;
    const { root, stateDir } = project();
    const run = await runCli(['scan', root, '--trust', '--baseUrl', url], cliEnv(stateDir));
    assert.equal(run.code, 1, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.proposals.length, 1, run.stdout);
    const [p] = report.proposals;
    assert.equal(p.evidence, 'tested', JSON.stringify(p.check));
    assert.match(p.check.detail, /tests? .*pass/);
  });

  it('runs none of the repository’s code without --trust: type-checked, saying why, and not counted as checked in SARIF', async () => {
    reply = RIGHT;
    const { root, stateDir } = project();
    const run = await runCli(['scan', root, '--format', 'sarif', '--baseUrl', url], cliEnv(stateDir));
    assert.equal(run.code, 1, run.stderr);
    const [result] = (JSON.parse(run.stdout) as Sarif).runs[0].results;
    assert.equal(result.properties.evidence, 'type-checked');
    assert.equal(result.properties.checked, false, 'the project has tests that did not run: type-checked is not enough');
    assert.match(result.message.text, /type-checked: .*trust/);
  });

  it('says silences the error for an answer that hides it twice, in JSON and SARIF, never checked', async () => {
    reply = HUSH;
    const { root, stateDir } = project();
    const json = await runCli(['scan', root, '--trust', '--baseUrl', url], cliEnv(stateDir));
    const [p] = (JSON.parse(json.stdout) as Report).proposals;
    assert.equal(p.evidence, 'silences', JSON.stringify(p.check));
    assert.match(p.check.detail, /@ts-expect-error/);
    const again = project();
    const sarif = await runCli(['scan', again.root, '--trust', '--format', 'sarif', '--baseUrl', url], cliEnv(again.stateDir));
    const [result] = (JSON.parse(sarif.stdout) as Sarif).runs[0].results;
    assert.equal(result.properties.evidence, 'silences');
    assert.equal(result.properties.checked, false);
    assert.match(result.message.text, /silences the error/);
  });
});
