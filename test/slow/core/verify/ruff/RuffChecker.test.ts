/**
 * Ruff as a checker, with a real ruff (Debian's, scripts/test-ruff.sh) on test/fixtures/python-ruff:
 * a Ruff problem proved gone by rule and place, the lies first (a `# noqa`, a file-wide
 * `# ruff: noqa`, the other of two problems of a rule, a fix that brings another problem, a config
 * edit); Ruff's own fixes only when safe; a ruff inside an untrusted folder never run.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DiagnosticInfo } from '../../../../../src/shared/agentProtocol';
import { RuffChecker } from '../../../../../src/core/verify/ruff/RuffChecker';
import { silencingCheck } from '../../../../../src/core/verify/silencingCheck';
import { weakestOf } from '../../../../../src/core/verify/Verifier';
import { realRuffDir } from '../../../../harness/realRuff';
import { testedProject, type TestedProject } from '../../../../harness/testedFixture';

/** A problem as the editor's Ruff extension sends it (zero-based, UTF-16). */
const ruffAt = (code: string, line: number, character: number, message = ''): DiagnosticInfo => ({
  message,
  severity: 'warning',
  source: 'Ruff',
  code,
  range: { startLine: line, startCharacter: character, endLine: line, endCharacter: character + 2 },
});
/** inventory/stock.py: `import os` (line 2), `level.count == None` (17), `f"unknown"` (18). */
const OS = ruffAt('F401', 1, 7, '`os` imported but unused');
const NONE = ruffAt('E711', 16, 22, 'Comparison to `None` should be `cond is None`');
const FSTRING = ruffAt('F541', 17, 15, 'f-string without any placeholders');

describe('RuffChecker (a real ruff)', () => {
  let project: TestedProject;
  let ruff: RuffChecker;
  let stock: string;
  const file = () => project.file('inventory/stock.py');
  const check = (after: string, targets: DiagnosticInfo[] = [OS]) => ruff.verify({ filePath: file(), before: stock, after, targets });

  before(() => {
    project = testedProject('python-ruff');
    ruff = new RuffChecker(project.root, { trusted: () => true, interpreter: () => undefined, pathEnv: realRuffDir() });
    stock = project.read('inventory/stock.py');
  });
  after(() => fs.rmSync(project.root, { recursive: true, force: true }));

  it('reports the folder’s problems as the Ruff extension does: source Ruff, the rule as code, warnings, UTF-16 places', async () => {
    const problems = await ruff.problems(file());
    assert.deepEqual(
      problems?.map((d) => `${d.source} ${d.code} ${d.severity} ${d.range.startLine}:${d.range.startCharacter}`),
      ['Ruff F401 warning 1:7', 'Ruff E711 warning 16:22', 'Ruff F541 warning 17:15'],
    );
    const all = await ruff.all();
    assert.deepEqual(all.map((f) => path.relative(project.root, f.file)).sort(), ['inventory/report.py', 'inventory/stock.py']);
    assert.equal(ruff.tool(file(), OS)?.startsWith('Ruff '), true);
    assert.equal(ruff.tool(file(), { ...OS, source: 'Pylance' }), undefined, 'not a Ruff problem');
  });

  it('counts columns in UTF-16 units where Ruff counts characters', async () => {
    const text = 'x = "😀é"; import os\n';
    fs.writeFileSync(project.file('inventory/wide.py'), text);
    try {
      const f401 = (await ruff.problems(project.file('inventory/wide.py')))?.find((d) => d.code === 'F401');
      assert.equal(text.slice(f401!.range.startCharacter, f401!.range.endCharacter), 'os');
    } finally {
      fs.rmSync(project.file('inventory/wide.py'));
    }
  });

  it('proves the right fix: the import gone, no new Ruff problem', async () => {
    const result = await check(stock.replace('import os\n', ''));
    assert.equal(result.status, 'passed', result.detail);
    assert.deepEqual(result.proved, [0]);
    assert.match(result.detail, /Checked with Ruff [\d.]+: the problem is gone/);
  });

  it('calls a # noqa silencing, and a file-wide # ruff: noqa too', async () => {
    for (const after of [stock.replace('import os\n', 'import os  # noqa: F401\n'), stock.replace('import os\n', 'import os  # noqa\n'), `# ruff: noqa\n${stock}`]) {
      const result = await check(after);
      assert.equal(result.status, 'silences', `${after.split('\n').slice(0, 3).join(' | ')}: ${result.detail}`);
    }
  });

  it('fails an edit that leaves the problem, or trades it for another', async () => {
    const kept = await check(stock.replace('"""Stock levels."""', '"""Stock levels, kept."""'));
    assert.equal(kept.status, 'failed');
    assert.match(kept.detail, /still there/);
    const traded = await check(stock.replace('import os\n', 'import sys\n'));
    assert.equal(traded.status, 'failed', traded.detail);
    const brought = await check(stock.replace('import os\n', '').replace('return Level(level.sku, level.count + amount)', 'unused = 1\n    return Level(level.sku, level.count + amount)'));
    assert.equal(brought.status, 'failed', brought.detail);
    assert.match(brought.detail, /adds 1 new Ruff problem/);
  });

  it('with the silencing check: loosening the Ruff config is silencing, not a fix', async () => {
    const verifier = weakestOf([silencingCheck, ruff]);
    const pyproject = project.read('pyproject.toml');
    const result = await verifier.verify({ filePath: file(), before: stock, after: stock, targets: [OS], also: [{ filePath: project.file('pyproject.toml'), before: pyproject, after: pyproject.replace('select = ["E", "F", "I", "B"]', 'select = ["E"]') }] });
    assert.equal(result.status, 'silences', result.detail);
  });

  it('offers Ruff’s fix only when Ruff calls it safe, and that fix passes its check', async () => {
    const [unused] = await ruff.fixes(file(), stock, OS);
    assert.ok(unused, 'a safe fix for F401');
    assert.equal(unused.files[0].after, stock.replace('import os\n', ''));
    assert.match(unused.description, /Ruff's fix for F401: Remove unused import/);
    const checked = await check(unused.files[0].after);
    assert.equal(checked.status, 'passed', checked.detail);
    const [fstring] = await ruff.fixes(file(), stock, FSTRING);
    assert.equal(fstring.files[0].after, stock.replace('f"unknown"', '"unknown"'));
    assert.deepEqual(await ruff.fixes(file(), stock, NONE), [], 'E711’s fix is unsafe: it changes what == means for a class that defines __eq__');
    assert.deepEqual(await ruff.fixes(file(), stock, { ...OS, source: 'Pylance' }), [], 'another checker’s problem');
  });

  it('never runs a ruff inside an untrusted folder; PATH’s stands in', async () => {
    const marker = path.join(project.root, 'ran');
    fs.mkdirSync(project.file('.venv/bin'), { recursive: true });
    fs.writeFileSync(project.file('.venv/pyvenv.cfg'), 'home = /usr/bin\n');
    fs.writeFileSync(project.file('.venv/bin/ruff'), `#!/bin/sh\ntouch ${JSON.stringify(marker)}\necho '[]'\n`, { mode: 0o755 });
    fs.symlinkSync(process.execPath, project.file('.venv/bin/python'));
    try {
      const venv = { path: project.file('.venv/bin/python'), from: '.venv' };
      const untrusted = new RuffChecker(project.root, { trusted: () => false, interpreter: () => venv, pathEnv: realRuffDir() });
      assert.equal(untrusted.ruff()?.from, 'PATH');
      assert.equal((await untrusted.problems(file()))?.length, 3);
      assert.equal(fs.existsSync(marker), false);
      const none = new RuffChecker(project.root, { trusted: () => false, interpreter: () => venv, pathEnv: '' });
      assert.equal(none.ruff(), undefined);
      assert.match(none.unavailable() ?? '', /No ruff found.*a ruff inside an untrusted folder is never run/);
      const trusted = new RuffChecker(project.root, { trusted: () => true, interpreter: () => venv, pathEnv: realRuffDir() });
      assert.equal(trusted.ruff()?.path, project.file('.venv/bin/ruff'), 'trusted, the environment’s own ruff comes first');
    } finally {
      fs.rmSync(project.file('.venv'), { recursive: true, force: true });
    }
  });

  it('says why it could not check when the Ruff config is broken, never “passed”', async () => {
    const pyproject = project.read('pyproject.toml');
    fs.writeFileSync(project.file('pyproject.toml'), pyproject.replace('line-length = 100', 'line-length = "wide"'));
    try {
      const result = await ruff.verify({ filePath: file(), before: `${stock}\n`, after: `${stock}\n\n`, targets: [OS] });
      assert.equal(result.status, 'unchecked', result.detail);
      assert.match(result.detail, /Ruff could not check \(exit 2/);
    } finally {
      fs.writeFileSync(project.file('pyproject.toml'), pyproject);
    }
  });
});
