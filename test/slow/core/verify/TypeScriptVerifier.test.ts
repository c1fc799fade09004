import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TypeScriptVerifier } from '../../../../src/core/verify/TypeScriptVerifier';
import { REPO_ROOT } from '../../../harness/testEnv';

const ROOT = path.join(REPO_ROOT, 'test', 'fixtures', 'ts-error');
const FILE = path.join(ROOT, 'src', 'cart.ts');
const BEFORE = fs.readFileSync(FILE, 'utf8');
const TARGET = {
  message: "Type 'string' is not assignable to type 'number'.",
  severity: 'error' as const,
  code: '2322',
  range: { startLine: 6, startCharacter: 8, endLine: 6, endCharacter: 13 },
};

describe('TypeScriptVerifier (the workspace’s own typescript, real compiler errors)', () => {
  const verifier = new TypeScriptVerifier(ROOT);

  it('passes a right fix: the error is gone and nothing new appeared', async () => {
    const after = BEFORE.replace('cart.items.length.toString()', 'cart.items.length');
    const r = await verifier.verify({ filePath: FILE, before: BEFORE, after, targets: [TARGET] });
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.match(r.detail, /^Checked with TypeScript \d+\.\d+/);
  });

  it('fails a fix that only moves the error, saying where it is now', async () => {
    const after = BEFORE.replace('const count: number =', 'const count: string =');
    const r = await verifier.verify({ filePath: FILE, before: BEFORE, after, targets: [TARGET] });
    assert.equal(r.status, 'failed');
    assert.deepEqual(r.errors, ["line 8: TS2322: Type 'string' is not assignable to type 'number'."]);
  });

  it('fails a fix that adds a new error elsewhere', async () => {
    const after = BEFORE.replace('cart.items.length.toString()', 'cart.items.length').replace('return count;', 'return count.trim();');
    const r = await verifier.verify({ filePath: FILE, before: BEFORE, after, targets: [TARGET] });
    assert.equal(r.status, 'failed');
    assert.match(r.detail, /adds 1 new error/);
    assert.match(r.errors![0], /^line 8: TS2339: Property 'trim' does not exist on type 'number'\./);
  });

  it('fails a fix that leaves the problem in place', async () => {
    const after = BEFORE.replace('// nothing', '') + '\n';
    const r = await verifier.verify({ filePath: FILE, before: BEFORE, after, targets: [TARGET] });
    assert.equal(r.status, 'failed');
    assert.match(r.detail, /still there/);
  });

  it('checks a change across two files together: a break in the other file fails it', async () => {
    const other = path.join(ROOT, 'src', 'greeting.ts');
    const greeting = fs.readFileSync(other, 'utf8');
    // The caller now passes the count to greet(), whose parameter is widened in the same proposal.
    const after = BEFORE.replace('cart.items.length.toString()', 'cart.items.length') + "import { greet } from './greeting';\nexport const hello = greet(1);\n";
    const together = await verifier.verify({ filePath: FILE, before: BEFORE, after, targets: [TARGET], also: [{ filePath: other, before: greeting, after: greeting.replace('name: string', 'name: string | number') }] });
    assert.equal(together.status, 'passed', JSON.stringify(together));
    assert.match(together.detail, /in cart\.ts, src\/greeting\.ts\.$/);
    const broken = await verifier.verify({ filePath: FILE, before: BEFORE, after, targets: [TARGET], also: [{ filePath: other, before: greeting, after: greeting.replace('return `Hello', 'return 1 + `Hello').replace('): string', '): number') }] });
    assert.equal(broken.status, 'failed');
    assert.ok(
      broken.errors!.some((e) => /TS2345|TS2322/.test(e)),
      JSON.stringify(broken),
    );
    assert.equal(fs.readFileSync(other, 'utf8'), greeting, 'nothing is written to disk');
  });

  it('says what it could not check, and never touches the file on disk', async () => {
    assert.equal((await verifier.verify({ filePath: path.join(ROOT, 'README.md'), before: '', after: '', targets: [] })).status, 'unchecked');
    const bare = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-nots-'));
    fs.writeFileSync(path.join(bare, 'a.ts'), 'export const a: number = "1";\n');
    const bareVerifier = new TypeScriptVerifier(bare);
    const r = await bareVerifier.verify({ filePath: path.join(bare, 'a.ts'), before: '', after: '', targets: [] });
    assert.deepEqual(r, { status: 'unchecked', detail: "The workspace has no 'typescript' package to check with." });
    // `npm install` brings it: the next check uses it.
    fs.writeFileSync(path.join(bare, 'tsconfig.json'), '{ "compilerOptions": { "strict": true, "noEmit": true } }');
    fs.mkdirSync(path.join(bare, 'node_modules'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(bare, 'node_modules', 'typescript'), 'dir');
    const later = await bareVerifier.verify({ filePath: path.join(bare, 'a.ts'), before: 'export const a: number = "1";\n', after: 'export const a: number = 1;\n', targets: [] });
    assert.equal(later.status, 'passed', JSON.stringify(later));
    assert.equal(fs.readFileSync(FILE, 'utf8'), BEFORE);
  });
});

describe('TypeScriptVerifier when idle', () => {
  it('lets its language services go after a while unused, and checks as well after', async () => {
    const v = new TypeScriptVerifier(ROOT, 50);
    const after = BEFORE.replace('cart.items.length.toString()', 'cart.items.length');
    assert.equal((await v.verify({ filePath: FILE, before: BEFORE, after, targets: [TARGET] })).status, 'passed');
    assert.equal(v.warm, true);
    await new Promise((r) => setTimeout(r, 120));
    assert.equal(v.warm, false);
    assert.equal((await v.verify({ filePath: FILE, before: BEFORE, after, targets: [TARGET] })).status, 'passed');
  });
});
