/**
 * pytest as the tested check's runner, on a real project (test/fixtures/python-pkg, a git
 * repository): the tests that reach the change run in the shadow worktree and their JUnit XML is
 * the verdict — the right fix is tested, a wrong one that hides the attribute error fails, a change
 * no test reaches is type-checked only, tests failing as they did without the change never make it
 * tested, a change to the tests proves nothing, an untrusted repository runs nothing. Then the
 * pieces: the report reader (fed what is no report), the interpreter, the detection.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { detectPytest } from '../../../../../src/core/verify/python/detectPytest';
import { findInterpreter } from '../../../../../src/core/verify/python/pythonEnv';
import { pytestsReaching, moduleRoots } from '../../../../../src/core/verify/python/pythonImports';
import { parseJunitXml } from '../../../../../src/core/verify/tests/junitReport';
import { TestVerifier, type TestSettings } from '../../../../../src/core/verify/tests/TestVerifier';
import { snapshotFiles, testedProject, type TestedProject } from '../../../../harness/testedFixture';

describe('pytest checks a change to a Python package (real pytest, the shadow worktree)', () => {
  let project: TestedProject;
  let verifier: TestVerifier;
  let settings: TestSettings = { mode: 'auto', timeoutMs: 120_000 };
  let cart: string;
  const change = (file: string, before: string, after: string) => verifier.verify({ filePath: project.file(file), before, after, targets: [] });

  before(() => {
    project = testedProject('python-pkg');
    verifier = new TestVerifier(project.root, () => settings, { pytest: () => detectPytest(project.root, findInterpreter(project.root, { trusted: true })) });
    cart = project.read('shop/cart.py');
  });
  after(async () => {
    await verifier.dispose();
    fs.rmSync(project.root, { recursive: true, force: true });
  });

  it('calls the right fix tested: the tests reaching cart.py pass with it (read from the JUnit XML)', async () => {
    const files = snapshotFiles(project.root);
    const r = await change('shop/cart.py', cart, cart.replace('i.qty', 'i.quantity'));
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.equal(r.level, 'tested');
    assert.match(r.detail, /^2 tests in test_cart\.py pass \(\d+\.\d s, pytest\)\.$/);
    assert.deepEqual(snapshotFiles(project.root), files, 'nothing written into the workspace');
  });

  it('fails a wrong fix that only hides the attribute error (a test now fails differently)', async () => {
    const r = await change('shop/cart.py', cart, cart.replace('sum(i.qty for i in self.items)', 'len(self.items)'));
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /^1 test fails with this change \(pytest\)\.$/);
    assert.match(r.errors?.[0] ?? '', /FAIL tests\/test_cart\.py > test_count_adds_quantities[\s\S]*assert 2 == 3/);
  });

  it('never calls tested a change whose reaching tests still fail as they did without it', async () => {
    const pricing = project.read('shop/pricing.py');
    const r = await change('shop/pricing.py', pricing, pricing.replace('def line_total', '# One line of the bill.\ndef line_total'));
    assert.equal(r.status, 'unchecked', JSON.stringify(r));
    assert.match(r.untested ?? '', /1 test that reaches this change still fails/);
  });

  it('says no test reaches a module no test imports', async () => {
    const receipt = project.read('shop/receipt.py');
    const r = await change('shop/receipt.py', receipt, receipt.replace('+ len(store)', '+ store'));
    assert.equal(r.status, 'unchecked', JSON.stringify(r));
    assert.equal(r.untested, 'no test reaches this change');
  });

  it('takes no evidence from a change to the tests themselves', async () => {
    const test = project.read('tests/test_pricing.py');
    const r = await change('tests/test_pricing.py', test, test.replace('== 6.0', '>= 0'));
    assert.equal(r.status, 'unchecked', JSON.stringify(r));
    assert.equal(r.untested, 'the change edits the tests that check it');
  });

  it('runs nothing where the tests are blocked (an untrusted repository)', async () => {
    settings = { mode: 'auto', timeoutMs: 120_000, blocked: 'the workspace is not trusted' };
    try {
      const r = await change('shop/cart.py', cart, cart.replace('i.qty', 'i.quantity'));
      assert.equal(r.status, 'unchecked');
      assert.equal(r.untested, 'the workspace is not trusted');
    } finally {
      settings = { mode: 'auto', timeoutMs: 120_000 };
    }
  });
});

describe('the pieces of the pytest check', () => {
  const dir = '/w';
  it('reads no report from what is not one, and an empty run as no tests', () => {
    for (const lie of ['', 'not xml', '{"testResults": []}', '<testsuites><testsuite>']) assert.equal(parseJunitXml(lie, dir, []), undefined, lie);
    assert.deepEqual(parseJunitXml('<?xml version="1.0"?><testsuites><testsuite tests="0"></testsuite></testsuites>', dir, []), { files: [], tests: [] });
  });

  it('reads passed, failed, skipped and a file that could not be collected, with stable failure text', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?><testsuites><testsuite name="pytest">
<testcase classname="tests.test_a.TestBox" name="test_ok" file="tests/test_a.py" line="3" time="0.1" />
<testcase classname="tests.test_a" name="test_bad" file="tests/test_a.py" line="9"><failure message="assert &lt;Box object at 0x7f00aa&gt; == 3">def test_bad():
&gt;  assert f() == 3
tests/test_a.py:10: AssertionError</failure></testcase>
<testcase classname="tests.test_a" name="test_later" file="tests/test_a.py"><skipped message="later" /></testcase>
<testcase classname="" name="tests.test_b" time="0"><error message="collection failure">ImportError</error></testcase>
</testsuite></testsuites>`;
    const r = parseJunitXml(xml, dir, [])!;
    assert.deepEqual(
      r.tests.map((t) => [t.file, t.name, t.status, t.wholeFile ?? false]),
      [
        ['/w/tests/test_a.py', 'TestBox > test_ok', 'passed', false],
        ['/w/tests/test_a.py', 'test_bad', 'failed', false],
        ['/w/tests/test_a.py', 'test_later', 'skipped', false],
        ['/w/tests/test_b.py', '(the file)', 'failed', true],
      ],
    );
    assert.equal(r.tests[1].failure, 'assert <Box object at 0x…> == 3\n    at /w/tests/test_a.py:10:1');
  });

  it('finds the tests reaching a module through imports, transitively, and every test under a changed conftest.py', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-pyimports-'));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write('src/app/__init__.py', '');
    write('src/app/core.py', 'X = 1\n');
    write('src/app/api.py', 'from .core import X\n');
    write('tests/conftest.py', '');
    write('tests/test_api.py', 'from app import (\n    api,\n)\n');
    write('tests/test_other.py', 'import json\n');
    const tests = ['tests/test_api.py', 'tests/test_other.py'].map((t) => path.join(root, t));
    try {
      assert.deepEqual(
        pytestsReaching(tests, [path.join(root, 'src/app/core.py')], moduleRoots(root)).map((t) => path.basename(t)),
        ['test_api.py'],
      );
      assert.deepEqual(pytestsReaching(tests, [path.join(root, 'tests/conftest.py')], moduleRoots(root)).length, 2);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("uses a folder's .venv only where the repository is trusted, else PATH's Python", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-pyenv-'));
    const bin = path.join(root, '.venv', 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(root, '.venv', 'pyvenv.cfg'), 'home = /usr/bin\n');
    fs.writeFileSync(path.join(bin, 'python'), '#!/bin/sh\n', { mode: 0o755 });
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-pypath-'));
    fs.writeFileSync(path.join(outside, 'python3'), '#!/bin/sh\n', { mode: 0o755 });
    try {
      assert.deepEqual(findInterpreter(root, { trusted: true, pathEnv: outside }), { path: path.join(bin, 'python'), from: '.venv' });
      assert.deepEqual(findInterpreter(root, { trusted: false, pathEnv: outside }), { path: path.join(outside, 'python3'), from: 'PATH' });
      assert.deepEqual(findInterpreter(root, { trusted: true, pathEnv: outside, configured: path.join(outside, 'python3') }), { path: path.join(outside, 'python3'), from: 'python.defaultInterpreterPath' });
      assert.equal(findInterpreter(root, { trusted: false, pathEnv: '' }), undefined);
      assert.equal(detectPytest(root, undefined), undefined, 'no sign of pytest: none');
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[tool.pytest.ini_options]\n');
      assert.equal(detectPytest(root, undefined)?.missing?.startsWith('no Python interpreter'), true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
