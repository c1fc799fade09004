import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FACTS_TTL_MS, WorkspaceContext } from '../../../../src/core/context/WorkspaceContext';
import { WorkspaceFiles, normalizeRelative } from '../../../../src/core/context/WorkspaceFiles';
import { buildWorkspaceFacts, declarationsOf } from '../../../../src/core/context/workspaceFacts';
import { parseToolRequests } from '../../../../src/core/context/tools';
import { PrivacyGate } from '../../../../src/core/privacy/PrivacyGate';

const SECRET = 'sk-live-0123456789abcdefghijklmnop';

function workspace(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-ws-'));
  const write = (rel: string, text: string | Buffer) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('package.json', JSON.stringify({ name: 'demo', type: 'module', dependencies: { zod: '1' } }));
  write('tsconfig.json', '{ "compilerOptions": { "strict": true, "target": "ES2022" } }');
  write('src/cart.ts', `export interface Item { price: number }\nexport function total(items: Item[]): number {\n  return items.reduce((s, i) => s + i.price, 0);\n}\nexport const API_KEY = "${SECRET}";\n`);
  write('src/private/keys.ts', 'export const hidden = 1;\n');
  write('src/latin1.ts', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
  write('src/blob.ts', Buffer.from([0x61, 0x00, 0x62]));
  write('src/huge.ts', 'x'.repeat(600 * 1024));
  write('.env', `KEY=${SECRET}\n`);
  return root;
}

describe('workspace files', () => {
  it('refuses paths that leave the workspace, including through a symlink', () => {
    const root = workspace();
    fs.symlinkSync(os.tmpdir(), path.join(root, 'escape'));
    const files = new WorkspaceFiles(root);
    for (const p of ['../x.ts', '/etc/passwd', 'src/../../x', 'C:/x', 'escape/anything']) {
      const r = files.read(p);
      assert.equal(r.ok, false, p);
    }
    assert.equal(normalizeRelative('src/./a/../cart.ts'), 'src/cart.ts');
    assert.equal(files.read('src/cart.ts').ok, true);
  });

  it('skips huge, binary and non-UTF-8 files with a reason', () => {
    const files = new WorkspaceFiles(workspace());
    assert.deepEqual(files.read('src/huge.ts'), { ok: false, reason: 'it is larger than 512 KB' });
    assert.deepEqual(files.read('src/blob.ts'), { ok: false, reason: 'it is a binary file' });
    assert.deepEqual(files.read('src/latin1.ts'), { ok: false, reason: 'it is not valid UTF-8 text' });
  });

  it('lists files with git when there is a repository, and walks the folder when not', async () => {
    const root = workspace();
    const walked = await new WorkspaceFiles(root).list();
    assert.ok(walked.includes('src/cart.ts') && walked.includes('package.json'));
    fs.writeFileSync(path.join(root, '.gitignore'), 'src/private/\n');
    execFileSync('git', ['init', '-q'], { cwd: root });
    const listed = await new WorkspaceFiles(root).list();
    assert.ok(listed.includes('src/cart.ts'));
    assert.ok(!listed.includes('src/private/keys.ts'), 'ignored files are not listed');
  });
});

describe('workspace facts', () => {
  it('names the package, compiler options and declarations — never a secret or an excluded file', async () => {
    const root = workspace();
    const gate = new PrivacyGate({ exclude: ['src/private/'] });
    const facts = await new WorkspaceContext(new WorkspaceFiles(root), undefined).facts(gate, false);
    assert.match(facts, /^Workspace facts/);
    assert.match(facts, /Package: demo \(ES modules\)\nDependencies: zod/);
    assert.match(facts, /TypeScript compiler options: strict true, target ES2022/);
    assert.match(facts, /src\/cart\.ts: interface Item; function total\(items: Item\[\]\): number; const API_KEY/);
    assert.ok(!facts.includes(SECRET));
    assert.ok(!facts.includes('hidden'), 'excluded files are not mapped');
  });

  it('is byte-identical within the hour, even when files change, and rebuilt after it', async () => {
    const root = workspace();
    const clock = { now: 0 };
    const context = new WorkspaceContext(new WorkspaceFiles(root), undefined, () => clock.now);
    const gate = new PrivacyGate();
    const first = await context.facts(gate, false);
    fs.writeFileSync(path.join(root, 'src/more.ts'), 'export function added(): void {}\n');
    clock.now = FACTS_TTL_MS;
    assert.equal(await context.facts(gate, false), first);
    clock.now = FACTS_TTL_MS + 1;
    assert.match(await context.facts(gate, false), /src\/more\.ts: function added\(\): void/);
  });

  it('is rebuilt at once when the privacy rules change: a newly excluded file leaves the facts', async () => {
    const context = new WorkspaceContext(new WorkspaceFiles(workspace()), undefined, () => 0);
    assert.match(await context.facts(new PrivacyGate(), false), /src\/cart\.ts: /);
    assert.ok(!(await context.facts(new PrivacyGate({ exclude: ['src/cart.ts'] }), false)).includes('src/cart.ts'));
  });

  it('keeps to its budget, mapping the files with most declarations first', async () => {
    const files = Array.from({ length: 200 }, (_, i) => `src/m${i}.ts`);
    const text = (f: string) => Array.from({ length: 1 + (Number(/\d+/.exec(f)![0]) % 7) }, (_, k) => `export function f${k}(): void {}`).join('\n');
    const facts = await buildWorkspaceFacts({ files, read: (f) => ({ ok: true, text: text(f) }), allowed: () => true, outbound: (t) => t }, 2000);
    assert.ok(facts.length <= 2000);
    assert.match(facts, /src\/m13\.ts: function f0\(\): void; .*function f6\(\): void/);
    const mapped = (decls: number) => facts.split('\n').filter((l) => /^src\/m\d+\.ts: /.test(l) && l.split(';').length === decls).length;
    assert.ok(mapped(7) > mapped(1), 'files with most declarations come first; small ones fill what is left');
  });

  it('reads declarations as signatures, not bodies', () => {
    assert.deepEqual(declarationsOf('a.ts', 'export const x = 1;\nexport async function go(a: string): Promise<void> {\nconst y = 2;\nexport class A {'), ['const x', 'async function go(a: string): Promise<void>', 'class A']);
    assert.deepEqual(declarationsOf('a.py', 'def f(x):\n    pass\nclass C:\n'), ['def f(x)', 'class C']);
  });
});

describe('read-only tools', () => {
  it('parses READ, FIND and DEFINITION lines and nothing else', () => {
    assert.deepEqual(parseToolRequests('I need more.\nREAD: src/cart.ts:1-20\nFIND: "total("\nDEFINITION: Item\nrm -rf /'), [
      { tool: 'read', path: 'src/cart.ts', from: 1, to: 20 },
      { tool: 'find', text: 'total(' },
      { tool: 'definition', symbol: 'Item' },
    ]);
    assert.deepEqual(parseToolRequests('TITLE: none'), []);
  });

  it('reads ranges, searches and finds definitions through the privacy gate, redacting secrets', async () => {
    const root = workspace();
    const context = new WorkspaceContext(new WorkspaceFiles(root), {
      definitions: async (symbol) => (symbol === 'total' ? [{ relativePath: 'src/cart.ts', line: 2 }] : []),
      signatures: async () => [],
    });
    const gate = new PrivacyGate({ exclude: ['src/private/'] });
    const read = await context.runTool({ tool: 'read', path: 'src/cart.ts', from: 2, to: 5 }, gate, false);
    assert.match(read, /^READ src\/cart\.ts:2-5 \(of 6 lines\):\n```\nexport function total/);
    assert.ok(!read.includes(SECRET), 'secrets are redacted for a remote backend');
    assert.match(await context.runTool({ tool: 'read', path: '../etc/passwd', from: 1, to: 2 }, gate, false), /not available — it is outside the workspace/);
    assert.match(await context.runTool({ tool: 'read', path: '.env', from: 1, to: 2 }, gate, false), /not available — it looks like a secrets or key file/);
    assert.match(await context.runTool({ tool: 'read', path: 'src/private/keys.ts', from: 1, to: 2 }, gate, false), /not available — it is excluded/);
    const found = await context.runTool({ tool: 'find', text: 'export const' }, gate, false);
    assert.match(found, /src\/cart\.ts:5: export const API_KEY/);
    assert.ok(!found.includes('hidden') && !found.includes(SECRET), 'excluded files are not searched; secrets redacted');
    assert.match(await context.runTool({ tool: 'definition', symbol: 'total' }, gate, false), /^DEFINITION total at src\/cart\.ts:2-6/);
    assert.match(await context.runTool({ tool: 'definition', symbol: 'nope' }, gate, false), /not found/);
  });
});
