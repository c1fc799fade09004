import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { CART_FIX } from '../harness/fixtureAnswers';
import { REPO_ROOT } from '../harness/testEnv';
import { cliEnv, runCli, workspaceFrom } from './cliHarness';

/** The SARIF 2.1.0 schema (OASIS), vendored: test/harness/sarif/README.md. */
function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'harness', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  // Draft-04 names its id "id"; the rest of the schema reads the same under draft-07.
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // One of its patterns is not valid under the u flag (a stray bracket in the language tag's).
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
  return ajv.compile(schema);
}

/** The parts of a SARIF result the tests read. */
interface Sarif {
  ruleId: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
  properties: { evidence: string; checked: boolean };
  message: { text: string };
  fixes: Array<{ artifactChanges: Array<{ replacements: Array<{ insertedContent: { text: string } }> }> }>;
}

describe('nightshift scan (the built binary)', () => {
  const server = new FakeModelServer();
  let url = '';
  const validate = sarifValidator();

  before(async () => {
    url = await server.start();
    server.respondWith((r) => (JSON.stringify(r.body).includes('cart.ts') ? { content: CART_FIX } : { content: 'TITLE: none' }));
  });
  after(() => server.close());

  it('writes valid SARIF with the checked fix at the line it changes, and exits 1 for "proposals found"', async () => {
    const { root, stateDir } = workspaceFrom('ts-error');
    const run = await runCli(['scan', root, '--format', 'sarif', '--baseUrl', url, '--model', 'MiniMax-M2.7'], cliEnv(stateDir));
    assert.equal(run.code, 1, run.stderr);
    const sarif = JSON.parse(run.stdout) as { runs: Array<{ results: Array<Sarif>; invocations: Array<{ executionSuccessful: boolean }> }> };
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    const [result] = sarif.runs[0].results;
    assert.equal(sarif.runs[0].results.length, 1);
    assert.equal(result.ruleId, 'nightshift/fix');
    assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'src/cart.ts');
    assert.equal(result.locations[0].physicalLocation.region.startLine, 7);
    // The fixture has no tests: type-checked, which counts as checked there.
    assert.equal(result.properties.evidence, 'type-checked');
    assert.equal(result.properties.checked, true);
    assert.match(result.message.text, /\(type-checked(: [^)]+)?\)$/);
    assert.equal(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text.includes('cart.items.length;'), true);
    assert.equal(sarif.runs[0].invocations[0].executionSuccessful, true);
    // The report is the only thing on stdout; the events went to stderr.
    assert.match(run.stderr, /1 proposal\(s\) for 1 file\(s\) with problems/);
  });

  it('writes a patch that git apply takes', async () => {
    const { root, stateDir } = workspaceFrom('ts-error');
    const run = await runCli(['scan', root, '--format', 'patch', '--output', path.join(root, '..', 'fix.patch'), '--baseUrl', url], cliEnv(stateDir));
    assert.equal(run.code, 1, run.stderr);
    const patch = fs.readFileSync(path.join(root, '..', 'fix.patch'), 'utf8');
    assert.match(patch, /^--- a\/src\/cart\.ts$/m);
    assert.match(patch, /^\+ {2}const count: number = cart\.items\.length;$/m);
    execFileSync('git', ['apply', path.join(root, '..', 'fix.patch')], { cwd: root });
    assert.match(fs.readFileSync(path.join(root, 'src', 'cart.ts'), 'utf8'), /const count: number = cart\.items\.length;/);
  });

  it('without a key still writes a valid report, says why nothing was done, and exits 3', async () => {
    const { root, stateDir } = workspaceFrom('ts-error');
    const before = server.chatRequests().length;
    const run = await runCli(['scan', root, '--format', 'sarif'], cliEnv(stateDir));
    assert.equal(run.code, 3, run.stderr);
    const sarif = JSON.parse(run.stdout) as { runs: Array<{ results: unknown[]; invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ message: { text: string } }> }> }> };
    assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3)));
    assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
    assert.match(sarif.runs[0].invocations[0].toolExecutionNotifications[0].message.text, /No API key for MiniMax\. Set NIGHTSHIFT_API_KEY_DEFAULT or MINIMAX_API_KEY or NIGHTSHIFT_API_KEY/);
    assert.equal(server.chatRequests().length, before);
  });

  it('a TypeScript project whose types cannot be read is not reported clean: exit 3, not done, SARIF executionSuccessful false', async () => {
    const { root, stateDir } = workspaceFrom('ts-error');
    // Trusted, but no typescript installed (no npm install yet): nothing can read its types.
    fs.rmSync(path.join(root, 'node_modules'), { recursive: true, force: true });
    const run = await runCli(['scan', root, '--trust', '--format', 'sarif', '--baseUrl', url], cliEnv(stateDir));
    assert.equal(run.code, 3, run.stderr);
    const sarif = JSON.parse(run.stdout) as { runs: Array<{ invocations: Array<{ executionSuccessful: boolean; toolExecutionNotifications: Array<{ message: { text: string } }> }> }> };
    assert.equal(sarif.runs[0].invocations[0].executionSuccessful, false);
    assert.match(sarif.runs[0].invocations[0].toolExecutionNotifications.map((n) => n.message.text).join('\n'), /No TypeScript diagnostics: the workspace has no 'typescript' package \(run npm install\)/);
  });

  it('without a key still offers the compiler’s own fixes, checked and free, and asks no model', async () => {
    const { root, stateDir } = workspaceFrom('compiler-fixes');
    const before = server.chatRequests().length;
    const run = await runCli(['scan', root], cliEnv(stateDir));
    const report = JSON.parse(run.stdout) as { proposals: Array<{ title: string; source: string; costUsd: number; check: { status: string }; evidence: string; files: Array<{ path: string }> }>; notDone: string[] };
    const free = report.proposals.filter((p) => p.source === 'compiler');
    assert.equal(free.length, report.proposals.length);
    assert.deepEqual(free.map((p) => p.files[0].path).sort(), ['src/droppedImport.ts', 'src/missingAwait.ts', 'src/missingImport.ts', 'src/money.ts', 'src/spelling.ts']);
    assert.ok(free.every((p) => p.costUsd === 0 && p.check.status === 'passed' && p.evidence === 'type-checked'));
    assert.match(report.notDone.join(' '), /No API key for MiniMax/, 'the rest waits for a backend, and says so');
    assert.equal(server.chatRequests().length, before);
    assert.equal(run.code, 3, run.stderr);
  });

  it('with an unreachable backend writes a JSON report that says so, and exits 3', async () => {
    const { root, stateDir } = workspaceFrom('ts-error');
    const run = await runCli(['scan', root, '--baseUrl', 'http://127.0.0.1:9/v1'], cliEnv(stateDir));
    assert.equal(run.code, 3, run.stderr);
    const report = JSON.parse(run.stdout) as { complete: boolean; notDone: string[]; proposals: unknown[] };
    assert.equal(report.complete, false);
    assert.equal(report.proposals.length, 0);
    assert.match(report.notDone.join(' '), /reach|connect|network/i);
  });

  it('exits 0 with an empty report when there is nothing to fix', async () => {
    const { root, stateDir } = workspaceFrom('ts-error', { 'src/cart.ts': 'export const ok = 1;\n' });
    const run = await runCli(['scan', root, '--baseUrl', url], cliEnv(stateDir));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual((JSON.parse(run.stdout) as { proposals: unknown[] }).proposals, []);
  });
});

describe('nightshift --help', () => {
  for (const command of ['watch', 'scan', 'proposals', 'budget', 'status']) {
    it(`explains ${command}`, async () => {
      const run = await runCli([command, '--help'], cliEnv('/nonexistent'));
      assert.equal(run.code, 0);
      assert.match(run.stdout, new RegExp(`^nightshift ${command}`));
    });
  }
  it('names an unknown command and exits 2', async () => {
    const run = await runCli(['frobnicate'], cliEnv('/nonexistent'));
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Unknown command "frobnicate"/);
  });
  it('rejects a flag that is no setting, with its name', async () => {
    const { root, stateDir } = workspaceFrom('ts-error', { 'src/cart.ts': 'export const ok = 1;\n' });
    const run = await runCli(['scan', root, '--modle', 'x', '--baseUrl', 'http://127.0.0.1:9/v1'], cliEnv(stateDir));
    assert.match(run.stderr, /--modle is not a Nightshift setting/);
  });
});
