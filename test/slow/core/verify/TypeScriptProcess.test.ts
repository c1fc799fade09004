/**
 * The TypeScript checks and compiler fixes in a process of their own that ends when idle: the same
 * answers as in-process, the memory given back between bursts, and a process that stops mid-check
 * makes the check unchecked — never passed, never a wait without end.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { IdleChild } from '../../../../src/core/idleChild';
import { TypeScriptProcess } from '../../../../src/core/verify/TypeScriptProcess';
import { REPO_ROOT } from '../../../harness/testEnv';

const ROOT = path.join(REPO_ROOT, 'test', 'fixtures', 'ts-error');
const FILE = path.join(ROOT, 'src', 'cart.ts');
const BEFORE = fs.readFileSync(FILE, 'utf8');
const TARGET = { message: "Type 'string' is not assignable to type 'number'.", severity: 'error' as const, code: '2322', range: { startLine: 6, startCharacter: 8, endLine: 6, endCharacter: 13 } };
const RIGHT = BEFORE.replace('cart.items.length.toString()', 'cart.items.length');

describe('TypeScriptProcess (checks and compiler fixes in a child process)', () => {
  it('checks as the in-process verifier does: a right fix passes, a no-op fails', async () => {
    const ts = new TypeScriptProcess(ROOT);
    try {
      const passed = await ts.verify({ filePath: FILE, before: BEFORE, after: RIGHT, targets: [TARGET] });
      assert.equal(passed.status, 'passed', JSON.stringify(passed));
      assert.equal(ts.warm, true);
      const noop = await ts.verify({ filePath: FILE, before: BEFORE, after: `${BEFORE}\n`, targets: [TARGET] });
      assert.equal(noop.status, 'failed');
      assert.match(ts.tool(FILE)!, /^TypeScript \d+\.\d+/);
      assert.equal(ts.tool(path.join(ROOT, 'README.md')), undefined);
    } finally {
      await ts.dispose();
    }
  });

  it("offers the compiler's own fixes from the child", async () => {
    const root = path.join(REPO_ROOT, 'test', 'fixtures', 'compiler-fixes');
    const file = path.join(root, 'src', 'spelling.ts');
    const text = fs.readFileSync(file, 'utf8');
    const ts = new TypeScriptProcess(root);
    try {
      const target = { message: "Cannot find name 'formatPirce'. Did you mean 'formatPrice'?", severity: 'error' as const, code: '2552', range: { startLine: 2, startCharacter: 21, endLine: 2, endCharacter: 32 } };
      const fixes = await ts.fixes(file, text, target);
      assert.ok(
        fixes.some((f) => f.files[0].after.includes('export const label = formatPrice(250);')),
        JSON.stringify(fixes.map((f) => f.description)),
      );
    } finally {
      await ts.dispose();
    }
  });

  it('ends its process after the idle spell and starts again when asked', async () => {
    const ts = new TypeScriptProcess(ROOT, 300);
    try {
      await ts.verify({ filePath: FILE, before: BEFORE, after: RIGHT, targets: [TARGET] });
      const until = Date.now() + 10_000;
      while (ts.warm) {
        assert.ok(Date.now() < until, 'the idle process did not end');
        await new Promise((r) => setTimeout(r, 50));
      }
      const again = await ts.verify({ filePath: FILE, before: BEFORE, after: RIGHT, targets: [TARGET] });
      assert.equal(again.status, 'passed');
    } finally {
      await ts.dispose();
    }
  });

  it('makes a check whose process stops midway unchecked, never passed', async () => {
    const ts = new TypeScriptProcess(ROOT);
    const pending = ts.verify({ filePath: FILE, before: BEFORE, after: RIGHT, targets: [TARGET] });
    await ts.dispose();
    const r = await pending;
    assert.equal(r.status, 'unchecked');
    assert.match(r.detail, /^The TypeScript checker stopped \(SIGTERM\)\. The change was not checked\.$/);
    assert.deepEqual(await ts.fixes(FILE, BEFORE, TARGET).then(() => 'answered'), 'answered');
    await ts.dispose();
  });
});

describe('IdleChild', () => {
  it("fails every waiting request when its process dies, and carries a child's error as an error", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-child-'));
    const script = path.join(dir, 'child.js');
    fs.writeFileSync(script, `process.on('message', (m) => { if (m.op === 'die') process.exit(3); if (m.op === 'fail') process.send({ id: m.id, error: 'no such thing' }); if (m.op === 'echo') process.send({ id: m.id, result: m.value }); });`);
    const child = new IdleChild<{ op: string; value?: unknown }>(script, [], 60_000, 'The test child');
    try {
      assert.deepEqual(await child.ask({ op: 'echo', value: { a: [1, 2] } }), { a: [1, 2] });
      await assert.rejects(child.ask({ op: 'fail' }), /^Error: no such thing$/);
      const waiting = child.ask({ op: 'echo-never' });
      await assert.rejects(child.ask({ op: 'die' }), /The test child stopped \(exit 3\)/);
      await assert.rejects(waiting, /The test child stopped \(exit 3\)/);
      assert.equal(child.warm(), false);
      assert.deepEqual(await child.ask({ op: 'echo', value: 'back' }), 'back');
    } finally {
      await child.dispose();
    }
  });
});
