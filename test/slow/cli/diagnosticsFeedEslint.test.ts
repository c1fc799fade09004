/**
 * The headless host's signals include the workspace's ESLint problems (from the ESLint checker's
 * warm process), beside TypeScript's, with no check command set; none where the repository is not
 * trusted, and then it says why.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DiagnosticsFeed } from '../../../src/cli/diagnosticsFeed';
import { EslintProcess } from '../../../src/core/verify/eslint/EslintProcess';
import { testedProject, type TestedProject } from '../../harness/testedFixture';

describe('DiagnosticsFeed: ESLint problems as headless signals', () => {
  let project: TestedProject;
  const open: Array<{ dispose(): Promise<void> }> = [];
  const feedFor = (trusted: boolean) => {
    const eslint = new EslintProcess(project.root, { trusted: () => trusted });
    const feed = new DiagnosticsFeed(
      project.root,
      () => ({}),
      () => true,
      eslint,
    );
    open.push(eslint, feed.ts);
    return feed;
  };
  before(() => {
    project = testedProject('eslint-ts', { 'src/broken.ts': "export let count: number = 'three';\n", 'scripts/tool.mjs': 'var x = 1;\nexport default x;\n' });
  });
  after(async () => {
    await Promise.all(open.map((o) => o.dispose()));
    fs.rmSync(project.root, { recursive: true, force: true });
  });

  it('reports every linted file’s problems with TypeScript’s, ESLint’s named by source and rule', async () => {
    const feed = feedFor(true);
    const files = await feed.all();
    const byPath = new Map(files.map((f) => [f.relativePath, f.diagnostics.map((d) => `${d.range.startLine + 1} ${d.source} ${d.code}`)]));
    assert.deepEqual([...byPath.keys()].sort(), ['scripts/tool.mjs', 'src/broken.ts', 'src/cart.ts', 'src/config.ts', 'src/events.ts', 'src/guards.ts', 'src/legacy.ts', 'src/lookup.ts', 'src/math.ts', 'src/report.ts', 'src/store.ts']);
    assert.deepEqual(byPath.get('src/broken.ts'), ['1 ts 2322', '1 eslint prefer-const']);
    assert.deepEqual(byPath.get('src/cart.ts'), ['10 eslint prefer-const', '15 eslint prefer-template']);
    assert.deepEqual(byPath.get('scripts/tool.mjs'), ['1 eslint no-var'], 'a file no tsconfig covers, linted all the same');
    assert.equal(await feed.lintUnavailable(), undefined);
  });

  it('reports one changed file’s problems (TypeScript’s and ESLint’s), and nothing for a clean one', async () => {
    const feed = feedFor(true);
    const [cart] = (await feed.file(project.file('src/cart.ts')))!;
    assert.deepEqual(
      cart.diagnostics.map((d) => d.code),
      ['prefer-const', 'prefer-template'],
    );
    assert.equal(cart.languageId, 'typescript');
    const [broken] = (await feed.file(project.file('src/broken.ts')))!;
    assert.deepEqual(
      broken.diagnostics.map((d) => `${d.source} ${d.code}`),
      ['ts 2322', 'eslint prefer-const'],
    );
    project.write('src/clean.ts', 'export const ok = 1;\n');
    assert.deepEqual(await feed.file(project.file('src/clean.ts')), []);
    assert.equal(await feed.file(path.join(project.root, 'notes.txt')), undefined);
  });

  it('has no ESLint problems where the repository is not trusted, and says why', async () => {
    const feed = feedFor(false);
    const files = await feed.all();
    assert.ok(
      files.every((f) => f.diagnostics.every((d) => d.source === 'ts')),
      JSON.stringify(files.map((f) => f.relativePath)),
    );
    assert.match((await feed.lintUnavailable())!, /not trusted/);
  });
});
