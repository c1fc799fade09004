/**
 * The workspace's ESLint in a child process that ends when idle: checks, ESLint's fixes and lint
 * problems from it; nothing of the repository's run where it is not trusted; a check whose process
 * stops is unchecked, never passed; a changed config is read again; the legacy .eslintrc form.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DiagnosticInfo } from '../../../../../src/shared/agentProtocol';
import { EslintProcess } from '../../../../../src/core/verify/eslint/EslintProcess';
import { testedProject, type TestedProject } from '../../../../harness/testedFixture';

const DISCOUNT: DiagnosticInfo = {
  message: "'discount' is never reassigned. Use 'const' instead.",
  severity: 'error',
  source: 'eslint',
  code: 'prefer-const',
  range: { startLine: 9, startCharacter: 6, endLine: 9, endCharacter: 14 },
};

describe('EslintProcess (the workspace’s ESLint in a child process)', () => {
  let project: TestedProject;
  let cart: string;
  before(() => {
    project = testedProject('eslint-ts');
    cart = project.read('src/cart.ts');
  });
  after(() => fs.rmSync(project.root, { recursive: true, force: true }));

  it('checks, offers ESLint’s own fix and reports the problems of a file and of the folder', async () => {
    const eslint = new EslintProcess(project.root, { trusted: () => true });
    try {
      const file = project.file('src/cart.ts');
      assert.equal((await eslint.verify({ filePath: file, before: cart, after: cart.replace('let discount', 'const discount'), targets: [DISCOUNT] })).status, 'passed');
      assert.equal(eslint.warm, true);
      assert.match(eslint.tool(file, DISCOUNT)!, /^ESLint \d+\.\d+\.\d+$/);
      assert.equal(eslint.tool(file, { ...DISCOUNT, source: 'ts', code: '2322' }), undefined, 'a TypeScript problem is not ESLint’s to fix');
      const [fix] = await eslint.fixes(file, cart, DISCOUNT);
      assert.equal(fix.fixName, 'prefer-const');
      assert.equal(fix.description, "Fix prefer-const: 'discount' is never reassigned. Use 'const' instead");
      assert.equal(fix.files[0].after, cart.replace('let discount', 'const discount'));
      const problems = await eslint.problems(file);
      assert.deepEqual(
        problems?.map((d) => `${d.range.startLine + 1}:${d.range.startCharacter + 1} ${d.source} ${d.code} ${d.severity}`),
        ['10:7 eslint prefer-const error', '15:10 eslint prefer-template error'],
      );
      assert.equal(await eslint.problems(project.file('tsconfig.json')), undefined, 'a file the config does not lint');
      const all = await eslint.all();
      assert.deepEqual(all.map((f) => path.relative(project.root, f.file)).sort(), ['src/cart.ts', 'src/config.ts', 'src/events.ts', 'src/guards.ts', 'src/legacy.ts', 'src/lookup.ts', 'src/math.ts', 'src/report.ts', 'src/store.ts']);
      assert.equal(
        all.reduce((n, f) => n + f.diagnostics.length, 0),
        25,
      );
      assert.equal(await eslint.unavailable(), undefined);
    } finally {
      await eslint.dispose();
    }
  });

  it('runs nothing of an untrusted repository (its config is code): unchecked, no fixes, no problems, no process', async () => {
    const eslint = new EslintProcess(project.root, { trusted: () => false });
    const r = await eslint.verify({ filePath: project.file('src/cart.ts'), before: cart, after: cart.replace('let discount', 'const discount'), targets: [DISCOUNT] });
    assert.deepEqual(r, { status: 'unchecked', detail: "ESLint did not run: its config is the repository's own code, and the repository is not trusted.", proved: [] });
    assert.equal(eslint.tool(project.file('src/cart.ts'), DISCOUNT), undefined);
    assert.deepEqual(await eslint.fixes(project.file('src/cart.ts'), cart, DISCOUNT), []);
    assert.equal(await eslint.problems(project.file('src/cart.ts')), undefined);
    assert.deepEqual(await eslint.all(), []);
    assert.match((await eslint.unavailable())!, /not trusted/);
    assert.equal(eslint.usesEslint(), true);
    assert.equal(eslint.warm, false);
  });

  it('makes a check whose process stops midway unchecked, never passed', async () => {
    const eslint = new EslintProcess(project.root, { trusted: () => true });
    const pending = eslint.verify({ filePath: project.file('src/cart.ts'), before: cart, after: cart.replace('let discount', 'const discount'), targets: [DISCOUNT] });
    await new Promise((r) => setTimeout(r, 50));
    await eslint.dispose();
    const r = await pending;
    assert.equal(r.status, 'unchecked');
    assert.match(r.detail, /^The ESLint checker stopped \(SIGTERM\)\. The change was not checked with ESLint\.$/);
    assert.deepEqual(r.proved, []);
  });

  it('ends its process when idle, and reads a changed config again', async () => {
    const eslint = new EslintProcess(project.root, { trusted: () => true, idleMs: 300 });
    const config = project.read('eslint.config.mjs');
    try {
      assert.equal((await eslint.problems(project.file('src/cart.ts')))?.length, 2);
      const until = Date.now() + 10_000;
      while (eslint.warm) {
        assert.ok(Date.now() < until, 'the idle process did not end');
        await new Promise((r) => setTimeout(r, 50));
      }
      project.write('eslint.config.mjs', config.replace("'prefer-const': 'error'", "'prefer-const': 'off'"));
      assert.deepEqual(
        (await eslint.problems(project.file('src/cart.ts')))?.map((d) => d.code),
        ['prefer-template'],
      );
      // Warm this time: the config changes under a running process.
      project.write('eslint.config.mjs', config);
      const stamp = fs.statSync(project.file('eslint.config.mjs'));
      fs.utimesSync(project.file('eslint.config.mjs'), stamp.atime, new Date(stamp.mtimeMs + 2000));
      assert.deepEqual(
        (await eslint.problems(project.file('src/cart.ts')))?.map((d) => d.code),
        ['prefer-const', 'prefer-template'],
      );
    } finally {
      project.write('eslint.config.mjs', config);
      await eslint.dispose();
    }
  });

  it('reads the legacy .eslintrc form where the workspace still uses it', async () => {
    const legacy = testedProject(undefined, {
      '.eslintrc.json': JSON.stringify({ root: true, parserOptions: { ecmaVersion: 2022, sourceType: 'module' }, rules: { 'prefer-const': 'error', eqeqeq: 'error' } }),
      'src/a.js': 'let a = 1;\nexport const same = a == 1;\n',
    });
    const eslint = new EslintProcess(legacy.root, { trusted: () => true });
    try {
      const problems = await eslint.problems(legacy.file('src/a.js'));
      assert.deepEqual(
        problems?.map((d) => d.code),
        ['prefer-const', 'eqeqeq'],
      );
      const text = legacy.read('src/a.js');
      const r = await eslint.verify({ filePath: legacy.file('src/a.js'), before: text, after: text.replace('let a', 'const a'), targets: [problems![0]] });
      assert.equal(r.status, 'passed', JSON.stringify(r));
      assert.deepEqual(r.proved, [0]);
    } finally {
      await eslint.dispose();
      fs.rmSync(legacy.root, { recursive: true, force: true });
    }
  });
});
