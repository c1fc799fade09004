/**
 * Which files a check looks at, on projects of its own (copied to a temporary folder, so their
 * files can change on disk between checks): importers of importers, files declaring globals, the
 * disk changing under a warm checker, and what it cannot check.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { TypeScriptVerifier } from '../../../../src/core/verify/TypeScriptVerifier';
import { REPO_ROOT } from '../../../harness/testEnv';

/** A temporary project with the repository's typescript and these files under src/. */
function project(files: Record<string, string>, tsconfig = true): { root: string; file: (rel: string) => string; read: (rel: string) => string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-scope-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(root, 'node_modules', 'typescript'), 'dir');
  if (tsconfig) fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true }, include: ['src'] }));
  for (const [rel, text] of Object.entries(files)) fs.writeFileSync(path.join(root, 'src', rel), text);
  const file = (rel: string) => path.join(root, 'src', rel);
  return { root, file, read: (rel) => fs.readFileSync(file(rel), 'utf8') };
}

const CHAIN = {
  'a.ts': 'export function make() {\n  return { n: 1 };\n}\n',
  'b.ts': "import { make } from './a';\nexport const thing = make();\n",
  'c.ts': "import { thing } from './b';\nexport const n: number = thing.n;\n",
};

describe('TypeScriptVerifier: the files a change can reach', () => {
  it('follows a changed type through a file that only passes it on', async () => {
    const p = project(CHAIN);
    const v = new TypeScriptVerifier(p.root);
    const r = await v.verify({ filePath: p.file('a.ts'), before: p.read('a.ts'), after: p.read('a.ts').replace('n: 1', "n: 'one'"), targets: [] });
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.deepEqual(r.errors, ["src/c.ts: line 2: TS2322: Type 'string' is not assignable to type 'number'."]);
  });

  it('checks a change that also edits a file its tsconfig leaves out (a test outside "include"), and leaves that file alone', async () => {
    const p = project(CHAIN);
    fs.mkdirSync(path.join(p.root, 'test'));
    const outside = path.join(p.root, 'test', 'a.test.ts');
    fs.writeFileSync(outside, "import { make } from '../src/a';\nmake();\n");
    const v = new TypeScriptVerifier(p.root);
    const r = await v.verify({
      filePath: p.file('a.ts'),
      before: p.read('a.ts'),
      after: p.read('a.ts').replace('return { n: 1 };', 'return { n: 2 };'),
      targets: [],
      also: [{ filePath: outside, before: fs.readFileSync(outside, 'utf8'), after: `${fs.readFileSync(outside, 'utf8')}make();\n` }],
    });
    assert.equal(r.status, 'passed', JSON.stringify(r));
  });

  it('names each file it checked once, importers of several changed files included', async () => {
    const p = project(CHAIN);
    const v = new TypeScriptVerifier(p.root);
    const r = await v.verify({
      filePath: p.file('a.ts'),
      before: p.read('a.ts'),
      after: p.read('a.ts').replace('return { n: 1 };', 'return { n: 1, m: 2 };'),
      targets: [],
      also: [{ filePath: p.file('b.ts'), before: p.read('b.ts'), after: `${p.read('b.ts')}export const other = 1;\n` }],
    });
    assert.deepEqual(r, { status: 'passed', level: 'type-checked', detail: `Checked with TypeScript ${ts.version}: no new error appeared in a.ts, src/b.ts, src/c.ts.`, proved: [] });
  });

  it('checks every file when the changed file declares globals (a script, or declare global)', async () => {
    const p = project({
      'globals.ts': 'declare const APP_VERSION: string;\n',
      'augment.ts': 'export {};\ndeclare global {\n  interface Config { debug: boolean }\n}\n',
      'use.ts': 'export const v: string = APP_VERSION;\nexport const c: Config = { debug: true };\n',
      'other.ts': 'export const x = 1;\n',
      'widen.ts': "export {};\ndeclare module './other' {\n  export const y: number;\n}\n",
      'usey.ts': "import { y } from './other';\nexport const q: number = y;\n",
    });
    const v = new TypeScriptVerifier(p.root);
    const script = await v.verify({ filePath: p.file('globals.ts'), before: p.read('globals.ts'), after: 'declare const APP_VERSION: number;\n', targets: [] });
    assert.equal(script.status, 'failed', JSON.stringify(script));
    assert.deepEqual(script.errors, ["src/use.ts: line 1: TS2322: Type 'number' is not assignable to type 'string'."]);
    const global = await v.verify({ filePath: p.file('augment.ts'), before: p.read('augment.ts'), after: p.read('augment.ts').replace('debug: boolean', 'debug: string'), targets: [] });
    assert.equal(global.status, 'failed', JSON.stringify(global));
    assert.match(global.errors!.join('\n'), /src\/use\.ts: line 2: TS2322/);
    const augmented = await v.verify({ filePath: p.file('widen.ts'), before: p.read('widen.ts'), after: p.read('widen.ts').replace('y: number', 'y: string'), targets: [] });
    assert.deepEqual(augmented.errors, ["src/usey.ts: line 2: TS2322: Type 'string' is not assignable to type 'number'."]);
    const fine = await v.verify({ filePath: p.file('globals.ts'), before: p.read('globals.ts'), after: '// the version\ndeclare const APP_VERSION: string;\n', targets: [] });
    assert.match(fine.detail, /: no new error appeared in globals\.ts, src\/[a-z]+\.ts, src\/[a-z]+\.ts and 3 more file\(s\)\.$/, 'all six files');
  });

  it('sees files change on disk between checks: a new importer, a changed dependency, a deleted file', async () => {
    const p = project({ ...CHAIN, 'd.ts': 'export const unrelated = 1;\n' });
    const v = new TypeScriptVerifier(p.root);
    const widen = () => v.verify({ filePath: p.file('a.ts'), before: p.read('a.ts'), after: p.read('a.ts').replace('n: 1', "n: 'one'"), targets: [] });
    assert.equal((await widen()).status, 'failed');
    // d.ts starts to use a.ts on disk (another tool wrote it): the next check must look at it too.
    const later = (rel: string, text: string) => {
      fs.writeFileSync(p.file(rel), text);
      const t = new Date(Date.now() + 5000);
      fs.utimesSync(p.file(rel), t, t);
    };
    later('c.ts', "import { thing } from './b';\nexport const n = thing.n;\n");
    later('d.ts', "import { make } from './a';\nexport const k: number = make().n;\n");
    const r = await widen();
    assert.deepEqual(r.errors, ["src/d.ts: line 2: TS2322: Type 'string' is not assignable to type 'number'."]);
    fs.rmSync(p.file('d.ts'));
    assert.equal((await widen()).status, 'passed', 'a deleted file is no longer checked');
  });

  it('checks against the text the proposal was made on when the disk has moved on, and forgets it afterwards', async () => {
    const p = project(CHAIN);
    const v = new TypeScriptVerifier(p.root);
    // The proposal was made on a version of c.ts with an error that the disk no longer has.
    const before = "import { thing } from './b';\nexport const n: string = thing.n;\n";
    const target = { message: "Type 'number' is not assignable to type 'string'.", severity: 'error' as const, code: '2322', range: { startLine: 1, startCharacter: 13, endLine: 1, endCharacter: 14 } };
    const r = await v.verify({ filePath: p.file('c.ts'), before, after: before.replace(': string', ': number'), targets: [target] });
    assert.equal(r.status, 'passed', JSON.stringify(r));
    // The next check, of another file, sees c.ts as it is on disk again.
    const next = await v.verify({ filePath: p.file('b.ts'), before: p.read('b.ts'), after: `${p.read('b.ts')}// note\n`, targets: [] });
    assert.deepEqual(next, { status: 'passed', level: 'type-checked', detail: `Checked with TypeScript ${ts.version}: no new error appeared in b.ts.`, proved: [] });
  });

  it('says what it cannot check: not a TypeScript file, JavaScript that no tsconfig or jsconfig applies to', async () => {
    const p = project({ ...CHAIN, 'plain.js': 'export const x = 1;\n' }, false);
    const v = new TypeScriptVerifier(p.root);
    assert.deepEqual(await v.verify({ filePath: p.file('a.ts.md'), before: '', after: 'x', targets: [] }), { status: 'unchecked', detail: 'Not a TypeScript or JavaScript file.' });
    assert.deepEqual(await v.verify({ filePath: p.file('plain.js'), before: p.read('plain.js'), after: `${p.read('plain.js')}\n`, targets: [] }), { status: 'unchecked', detail: 'No tsconfig.json or jsconfig.json applies to this file.' });
  });

  describe('a file no tsconfig includes (the walkthrough sample beside a tsconfig with include: ["src"])', () => {
    const SAMPLE = 'export interface Order {\n  items: number[];\n}\n\nexport function orderSize(order: Order): number {\n  const size: number = order.items.length.toString();\n  return size;\n}\n';
    const target = { message: "Type 'string' is not assignable to type 'number'.", severity: 'error' as const, code: '2322', source: 'ts', range: { startLine: 5, startCharacter: 8, endLine: 5, endCharacter: 12 } };
    const sample = (p: { root: string }) => {
      fs.mkdirSync(path.join(p.root, 'nightshift-sample'));
      const file = path.join(p.root, 'nightshift-sample', 'first-fix.ts');
      fs.writeFileSync(file, SAMPLE);
      return file;
    };

    it('is checked in an inferred project, as tsserver does: the fix proved, a wrong fix failed', async () => {
      const p = project(CHAIN);
      const file = sample(p);
      const v = new TypeScriptVerifier(p.root);
      const right = await v.verify({ filePath: file, before: SAMPLE, after: SAMPLE.replace('.length.toString()', '.length'), targets: [target] });
      assert.deepEqual(right, { status: 'passed', level: 'type-checked', detail: `Checked with TypeScript ${ts.version}: the problem is gone and no new error appeared in first-fix.ts.`, proved: [0] });
      const wrong = await v.verify({ filePath: file, before: SAMPLE, after: SAMPLE.replace('.length.toString()', '.length').replace('return size;', 'return size.trim();'), targets: [target] });
      assert.equal(wrong.status, 'failed', JSON.stringify(wrong));
      assert.deepEqual(wrong.errors, ["line 7: TS2339: Property 'trim' does not exist on type 'number'."]);
      const still = await v.verify({ filePath: file, before: SAMPLE, after: SAMPLE.replace('return size;', 'return size; // done'), targets: [target] });
      assert.equal(still.status, 'failed', JSON.stringify(still));
      // The configured project is untouched: its files are checked as before.
      const inside = await v.verify({ filePath: p.file('a.ts'), before: p.read('a.ts'), after: p.read('a.ts').replace('n: 1', "n: 'one'"), targets: [] });
      assert.deepEqual(inside.errors, ["src/c.ts: line 2: TS2322: Type 'string' is not assignable to type 'number'."]);
    });

    it('with no tsconfig at all, a TypeScript file is checked the same way', async () => {
      const p = project(CHAIN, false);
      const file = sample(p);
      const r = await new TypeScriptVerifier(p.root).verify({ filePath: file, before: SAMPLE, after: SAMPLE.replace('.length.toString()', '.length'), targets: [target] });
      assert.equal(r.status, 'passed', JSON.stringify(r));
    });

    it('a tsconfig further up that includes it is used before an inferred project', async () => {
      const p = project(CHAIN);
      const file = sample(p);
      // A tsconfig beside the sample that leaves it out; the root one (include: src) does not take it either, a second root-level one does.
      fs.writeFileSync(path.join(p.root, 'nightshift-sample', 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true }, include: ['nothing-here'] }));
      fs.writeFileSync(path.join(p.root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, noUnusedLocals: true }, include: ['src', 'nightshift-sample'] }));
      const r = await new TypeScriptVerifier(p.root).verify({ filePath: file, before: SAMPLE, after: SAMPLE.replace('.length.toString()', '.length').replace('  return size;', '  const unused = 1;\n  return size;'), targets: [target] });
      // noUnusedLocals is the root config's: only its project reports the new unused local.
      assert.equal(r.status, 'failed', JSON.stringify(r));
      assert.match(r.errors!.join('\n'), /TS6133: 'unused' is declared but its value is never read/);
    });

    it("gives the compiler's own fixes for it", async () => {
      const p = project(CHAIN);
      const file = sample(p);
      const misspelt = "import { orderSize } from './first-fix';\nexport const n: number = ordrSize({ items: [] });\n";
      const other = path.join(p.root, 'nightshift-sample', 'use.ts');
      fs.writeFileSync(other, misspelt);
      const fixes = await new TypeScriptVerifier(p.root).fixes(other, misspelt, { message: "Cannot find name 'ordrSize'. Did you mean 'orderSize'?", severity: 'error', code: '2552', source: 'ts', range: { startLine: 1, startCharacter: 25, endLine: 1, endCharacter: 33 } });
      assert.ok(file);
      assert.ok(
        fixes.some((f) => f.fixName === 'spelling' && f.files[0].after.includes('= orderSize({')),
        JSON.stringify(fixes),
      );
    });
  });

  it('leaves a changed file that is not TypeScript out of the check', async () => {
    const p = project(CHAIN);
    fs.writeFileSync(path.join(p.root, 'README.md'), '# x\n');
    const v = new TypeScriptVerifier(p.root);
    const r = await v.verify({ filePath: p.file('b.ts'), before: p.read('b.ts'), after: `${p.read('b.ts')}// note\n`, targets: [], also: [{ filePath: path.join(p.root, 'README.md'), before: '# x\n', after: '# y\n' }] });
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.match(r.detail, /in b\.ts\.$/);
  });
});
