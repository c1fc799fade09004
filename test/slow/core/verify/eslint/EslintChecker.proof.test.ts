/**
 * The workspace's ESLint proves a lint problem gone — fed the lies first: an edit that changes
 * nothing that matters, a directive comment that hides the problem, a fix of the other of two
 * identical problems, a problem moved, a fix that brings a new problem, a TypeScript target at the
 * very place of an ESLint problem; then the right fix.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DiagnosticInfo } from '../../../../../src/shared/agentProtocol';
import { EslintChecker } from '../../../../../src/core/verify/eslint/EslintChecker';
import { testedProject, type TestedProject } from '../../../../harness/testedFixture';

const at = (code: string, line: number, character: number, message = '', source = 'eslint'): DiagnosticInfo => ({
  message,
  severity: 'error',
  source,
  code,
  range: { startLine: line, startCharacter: character, endLine: line, endCharacter: character + 1 },
});

/** cart.ts line 10: `let discount = 0.1;` (prefer-const); guards.ts lines 2, 6 and 10: the same `typeof value == …` (eqeqeq). */
const DISCOUNT = at('prefer-const', 9, 6, "'discount' is never reassigned. Use 'const' instead.");
const FIRST_EQ = at('eqeqeq', 1, 22, "Expected '===' and instead saw '=='.");

describe('EslintChecker proves an ESLint problem gone (the lies first)', () => {
  let project: TestedProject;
  let checker: EslintChecker;
  let cart: string;
  let guards: string;
  const check = (file: string, text: string, after: string, targets: DiagnosticInfo[]) => checker.verify({ filePath: project.file(file), before: text, after, targets });

  before(() => {
    project = testedProject('eslint-ts');
    checker = new EslintChecker(project.root);
    cart = project.read('src/cart.ts');
    guards = project.read('src/guards.ts');
  });
  after(() => fs.rmSync(project.root, { recursive: true, force: true }));

  it('fails an edit that changes nothing that matters (a comment above the problem): still there, followed to its new line', async () => {
    const r = await check('src/cart.ts', cart, `// Totals.\n${cart}`, [DISCOUNT]);
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /^The problem is still there \(ESLint \d+\.\d+\.\d+\)\.$/);
    assert.deepEqual(r.errors, ["line 11: prefer-const: 'discount' is never reassigned. Use 'const' instead"]);
  });

  it('calls a directive comment that hides the problem silencing, not a fix, even alone (ESLint reports it suppressed)', async () => {
    for (const hidden of [cart.replace('  let discount = 0.1;', '  let discount = 0.1; // eslint-disable-line prefer-const'), cart.replace('  let discount = 0.1;', '  // eslint-disable-next-line\n  let discount = 0.1;'), `/* eslint-disable prefer-const */\n${cart}`]) {
      const r = await check('src/cart.ts', cart, hidden, [DISCOUNT]);
      assert.equal(r.status, 'silences', JSON.stringify(r));
      assert.match(r.detail, /still finds the problem \(prefer-const\), now hidden by a directive comment/);
    }
  });

  it('fails a fix of the other of two identical problems: the target is still at its place', async () => {
    const r = await check('src/guards.ts', guards, guards.replace("return typeof value == 'number';", "return typeof value === 'number';"), [FIRST_EQ]);
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.deepEqual(r.errors, ["line 2: eqeqeq: Expected '===' and instead saw '=='"]);
  });

  it('fails a problem moved: fixed at its place, the same one written elsewhere in the file (as many of its rule as before)', async () => {
    const fixedHere = guards.replace("export function isName(value: unknown): boolean {\n  return typeof value == 'string';", "export function isName(value: unknown): boolean {\n  return typeof value === 'string';");
    assert.notEqual(fixedHere, guards);
    const moved = `${fixedHere}\nexport function isWord(value: unknown): boolean {\n  return typeof value == 'string';\n}\n`;
    const r = await check('src/guards.ts', guards, moved, [FIRST_EQ]);
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /still there/);
    // The statement itself moved up a line: its line changed, so the count decides.
    const swapped = cart.replace('  for (const item of items) sum += item.price * item.qty;\n  let discount = 0.1;\n', '  let discount = 0.1;\n  for (const item of items) sum += item.price * item.qty;\n');
    assert.notEqual(swapped, cart);
    assert.equal((await check('src/cart.ts', cart, swapped, [DISCOUNT])).status, 'failed');
  });

  it('fails a fix that brings a new problem, naming it', async () => {
    const r = await check('src/cart.ts', cart, `${cart.replace('let discount', 'const discount')}\nexport var rate = 2;\n`, [DISCOUNT]);
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /^The change adds 1 new ESLint problem\(s\) \(ESLint [\d.]+, cart\.ts\)\.$/);
    assert.deepEqual(r.errors, ['line 18: no-var: Unexpected var, use let or const instead']);
  });

  it('never proves a TypeScript target, not even one at the very place of an ESLint problem with its rule as code', async () => {
    const right = cart.replace('let discount', 'const discount');
    const targets = [at('2322', 9, 6, "Type 'string' is not assignable to type 'number'.", 'ts'), at('prefer-const', 9, 6, DISCOUNT.message, 'ts'), { ...DISCOUNT, source: undefined }];
    const r = await check('src/cart.ts', cart, right, targets);
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.deepEqual(r.proved, []);
    assert.match(r.detail, /: no new problem appeared in cart\.ts\.$/);
  });

  it('says it cannot prove a target it does not report (gone already, or never there)', async () => {
    const r = await check('src/cart.ts', cart, cart, [at('prefer-const', 3, 2, "'total' is never reassigned. Use 'const' instead.")]);
    assert.equal(r.status, 'unchecked', JSON.stringify(r));
    assert.match(r.detail, /does not report the problem \(prefer-const at line 4\), so it cannot prove it fixed/);
    assert.deepEqual(r.proved, []);
  });

  it('passes the right fix, proving the ESLint target (and only it) gone', async () => {
    const r = await check('src/cart.ts', cart, cart.replace('let discount', 'const discount'), [at('2322', 3, 2, 'x', 'ts'), DISCOUNT]);
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.equal(r.level, 'type-checked');
    assert.deepEqual(r.proved, [1]);
    assert.match(r.detail, /^Checked with ESLint [\d.]+: the problem is gone and no new problem appeared in cart\.ts\.$/);
  });

  it('checks the other files of the change too: a new problem there fails it', async () => {
    const other = project.read('src/math.ts');
    const r = await checker.verify({
      filePath: project.file('src/cart.ts'),
      before: cart,
      after: cart.replace('let discount', 'const discount'),
      targets: [DISCOUNT],
      also: [{ filePath: project.file('src/math.ts'), before: other, after: `${other}export var unit = 1;\n` }],
    });
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.deepEqual(r.errors, ['src/math.ts: line 12: no-var: Unexpected var, use let or const instead']);
  });

  it('is unchecked, saying why, for a file no config lints and where there is no eslint package', async () => {
    const notes = await checker.verify({ filePath: project.file('notes.md'), before: '# a\n', after: '# b\n', targets: [] });
    assert.deepEqual(notes, { status: 'unchecked', detail: 'No ESLint config applies to notes.md.', proved: [] });
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-no-eslint-'));
    fs.writeFileSync(path.join(bare, 'eslint.config.mjs'), 'export default [];\n');
    const r = await new EslintChecker(bare).verify({ filePath: path.join(bare, 'a.js'), before: 'let a = 1;\n', after: 'const a = 1;\n', targets: [at('prefer-const', 0, 4)] });
    assert.deepEqual(r, { status: 'unchecked', detail: "The workspace has no 'eslint' package to check with.", proved: [] });
    fs.rmSync(bare, { recursive: true, force: true });
  });
});
