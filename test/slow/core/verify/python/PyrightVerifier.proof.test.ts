/**
 * pyright proves a Python problem gone — fed the lies first: an edit that changes nothing that
 * matters, a `# type: ignore` that hides it, a fix of the other of two identical problems, a fix
 * that breaks a module importing the changed one, another checker's target; then the right fix.
 * Real pyright (ours, from npm) on test/fixtures/python-pkg.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { DiagnosticInfo } from '../../../../../src/shared/agentProtocol';
import { PyrightVerifier } from '../../../../../src/core/verify/python/PyrightVerifier';
import { silencingCheck } from '../../../../../src/core/verify/silencingCheck';
import { weakestOf } from '../../../../../src/core/verify/Verifier';
import { testedProject, type TestedProject } from '../../../../harness/testedFixture';

const at = (code: string, line: number, character: number, message = '', source = 'Pyright'): DiagnosticInfo => ({
  message,
  severity: 'error',
  source,
  code,
  range: { startLine: line, startCharacter: character, endLine: line, endCharacter: character + 3 },
});

/** shop/cart.py line 12: `return sum(i.qty for i in self.items)`. */
const QTY = at('reportAttributeAccessIssue', 11, 21, 'Cannot access attribute "qty" for class "Item"\n  Attribute "qty" is unknown', 'Pylance');

describe('PyrightVerifier proves a pyright problem gone (the lies first)', () => {
  let project: TestedProject;
  let pyright: PyrightVerifier;
  let cart: string;
  const check = (text: string, after: string, targets: DiagnosticInfo[] = [QTY], also?: Array<{ filePath: string; before: string; after: string }>) => pyright.verify({ filePath: project.file('shop/cart.py'), before: text, after, targets, ...(also ? { also } : {}) });

  before(() => {
    project = testedProject('python-pkg');
    pyright = new PyrightVerifier(project.root, { trusted: () => true });
    cart = project.read('shop/cart.py');
  });
  after(async () => {
    await pyright.dispose();
    fs.rmSync(project.root, { recursive: true, force: true });
  });

  it('fails an edit that changes nothing that matters (a comment above): still there, followed to its new line', async () => {
    const r = await check(cart, `# The cart.\n${cart}`);
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /^The problem is still there \(pyright \d+\.\d+\.\d+\)\.$/);
    assert.deepEqual(r.errors, ['line 13: reportAttributeAccessIssue: Cannot access attribute "qty" for class "Item" Attribute "qty" is unknown']);
  });

  it('calls `# type: ignore` and `# pyright: ignore` silencing in the composed check (pyright alone no longer sees the problem)', async () => {
    const composed = weakestOf([silencingCheck, pyright]);
    for (const comment of ['# type: ignore', '# pyright: ignore[reportAttributeAccessIssue]']) {
      const hidden = cart.replace('return sum(i.qty for i in self.items)', `return sum(i.qty for i in self.items)  ${comment}`);
      const alone = await check(cart, hidden);
      assert.equal(alone.status, 'passed', `pyright alone is fooled: ${JSON.stringify(alone)}`);
      const r = await composed.verify({ filePath: project.file('shop/cart.py'), before: cart, after: hidden, targets: [QTY] });
      assert.equal(r.status, 'silences', JSON.stringify(r));
    }
  });

  it('fails a fix of the other of two identical problems', async () => {
    const two = cart.replace('    def total(self)', '    def count_again(self) -> int:\n        return sum(i.qty for i in self.items)\n\n    def total(self)');
    const otherFixed = two.replace('return sum(i.qty for i in self.items)\n\n    def total', 'return sum(i.quantity for i in self.items)\n\n    def total');
    assert.notEqual(otherFixed, two);
    const r = await check(two, otherFixed);
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /still there/);
  });

  it('fails a fix that breaks a module importing the changed one (receipt.py reads cart.items)', async () => {
    const renamed = cart.replace('i.qty', 'i.quantity').replaceAll('self.items', 'self.lines');
    const r = await check(cart, renamed);
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /adds \d+ new pyright problem/);
    assert.ok(
      r.errors?.some((e) => e.startsWith('shop/receipt.py: line 9: reportAttributeAccessIssue')),
      JSON.stringify(r.errors),
    );
  });

  it("proves nothing for another checker's target at the very place of the problem", async () => {
    const r = await check(cart, cart.replace('i.qty', 'i.quantity'), [at('2339', 11, 21, 'Property qty does not exist', 'ts')]);
    assert.deepEqual(r.proved, []);
    const composed = await weakestOf([pyright]).verify({ filePath: project.file('shop/cart.py'), before: cart, after: cart.replace('i.qty', 'i.quantity'), targets: [at('2339', 11, 21, 'x', 'ts')] });
    assert.equal(composed.status, 'unchecked', JSON.stringify(composed));
  });

  it('says unchecked, never passed, for a pyright target pyright does not report', async () => {
    const r = await check(cart, cart.replace('i.qty', 'i.quantity'), [at('reportOptionalMemberAccess', 3, 4, 'nothing here')]);
    assert.equal(r.status, 'unchecked', JSON.stringify(r));
  });

  it('passes the right fix: the problem gone, checked in the modules importing the change too', async () => {
    const r = await check(cart, cart.replace('i.qty', 'i.quantity'));
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.deepEqual(r.proved, [0]);
    assert.match(r.detail, /^Checked with pyright \d+\.\d+\.\d+ \(Python at .+, from \S+\): the problem is gone and no new problem appeared in shop\/cart\.py and 2 module\(s\) importing it\.$/);
  });

  it("gives the headless host a file's problems as the editor would (source Pyright, the rule as code)", async () => {
    const found = await pyright.problems(project.file('shop/receipt.py'));
    assert.deepEqual(
      found?.map((d) => [d.source, d.code, d.range.startLine, d.severity]),
      [['Pyright', 'reportOperatorIssue', 4, 'error']],
    );
    assert.equal(await pyright.problems(project.file('README.md')), undefined);
    const all = await pyright.all();
    assert.deepEqual(all.map((f) => f.file.slice(project.root.length + 1)).sort(), ['shop/cart.py', 'shop/receipt.py']);
  });

  it('ends its process after a spell unused and starts again when asked', async () => {
    const quick = new PyrightVerifier(project.root, { trusted: () => true, idleMs: 300 });
    // Started ahead of a check (a Python problem arrived), without a request of its own.
    quick.prepare();
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(quick.warm);
    await quick.problems(project.file('shop/cart.py'));
    assert.ok(quick.warm);
    const pid = quick.pid()!;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(quick.warm, false);
    assert.throws(() => process.kill(pid, 0));
    assert.equal((await quick.problems(project.file('shop/cart.py')))?.length, 1);
    await quick.dispose();
  });
});
