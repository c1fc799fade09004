/**
 * A workspace built to leak: symbolic links to a .env file, to a gitignored folder, to a key file
 * and out of the workspace. The privacy rules judge the file a link leads to, for every read,
 * search, edit and the workspace facts — with git and without it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { WorkspaceContext } from '../../../../src/core/context/WorkspaceContext';
import { WorkspaceFiles } from '../../../../src/core/context/WorkspaceFiles';
import { realRelative } from '../../../../src/core/privacy/realPath';
import { PrivacyRules } from '../../../../src/core/privacy/folderPrivacy';
import { tempRepo } from '../../../harness/gitRepo';

const SECRET = 'hunter2-correct-horse-battery-staple-0123456789';

function hostile(root: string): void {
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write('.env', `DB_PASSWORD=${SECRET}\n`);
  write('.gitignore', 'private/\n');
  write('private/notes.ts', `export const note = "${SECRET}";\n`);
  write('deploy.key', `${SECRET}\n`);
  write('src/ok.ts', 'export const ok = 1;\n');
  fs.symlinkSync('../.env', path.join(root, 'src/config.ts'));
  fs.symlinkSync('../private', path.join(root, 'src/shared'));
  fs.symlinkSync('../deploy.key', path.join(root, 'src/deploy.ts'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-outside-'));
  fs.writeFileSync(path.join(outside, 'elsewhere.ts'), `export const x = "${SECRET}";\n`);
  fs.symlinkSync(path.join(outside, 'elsewhere.ts'), path.join(root, 'src/elsewhere.ts'));
}

for (const withGit of [false, true]) {
  describe(`privacy through symbolic links (${withGit ? 'a git repository' : 'no git'})`, () => {
    const root = withGit ? tempRepo('links').root : fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-links-'));
    hostile(root);
    const gate = new PrivacyRules(root).current();
    const context = new WorkspaceContext(new WorkspaceFiles(root), undefined);

    it('judges a link as the file it leads to', () => {
      assert.deepEqual(gate.check('src/ok.ts', false), { allowed: true });
      assert.deepEqual(gate.check('src/config.ts', false), { allowed: false, reason: 'it is a link to .env, and it looks like a secrets or key file, which Nightshift never reads' });
      assert.deepEqual(gate.check('src/shared/notes.ts', true), { allowed: false, reason: 'it is a link to private/notes.ts, and it is excluded by .gitignore, .nightshiftignore or nightshift.exclude' });
      assert.equal(gate.check('src/deploy.ts', true).allowed, false);
      assert.deepEqual(gate.check('src/elsewhere.ts', true), { allowed: false, reason: 'it is a link to a place outside the workspace' });
      assert.equal(gate.check('src/missing.ts', false).allowed, true, 'a file that does not exist is judged by its name');
    });

    it('never reads, finds or edits through a link to an excluded file', async () => {
      for (const file of ['src/config.ts', 'src/shared/notes.ts', 'src/deploy.ts', 'src/elsewhere.ts']) {
        const read = await context.runTool({ tool: 'read', path: file, from: 1, to: 10 }, gate, true);
        assert.match(read, /not available/, read);
        assert.equal(context.readForEdit(file, gate, true).ok, false, file);
      }
      const found = await context.runTool({ tool: 'find', text: 'hunter2' }, gate, true);
      assert.equal(found, 'FIND "hunter2": no matches.');
      assert.ok(!(await context.facts(gate, true)).includes(SECRET));
    });
  });
}

describe('links and names', () => {
  it('refuses a link by its own name too, and follows a link into local-only files', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-names-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.mkdirSync(path.join(root, 'billing'));
    fs.writeFileSync(path.join(root, 'src', 'ok.ts'), 'export const ok = 1;\n');
    fs.writeFileSync(path.join(root, 'billing', 'rates.ts'), 'export const rate = 1;\n');
    fs.symlinkSync('src/ok.ts', path.join(root, '.env'));
    fs.symlinkSync('../billing/rates.ts', path.join(root, 'src', 'rates.ts'));
    const rules = new PrivacyRules(root, { exclude: [], localOnly: ['billing/**'] });
    const gate = rules.current();
    assert.equal(gate.check('.env', true).allowed, false, 'a .env is never read, whatever it points at');
    assert.equal(gate.isLocalOnly('src/rates.ts'), true);
    assert.deepEqual(gate.check('src/rates.ts', false), { allowed: false, reason: 'it is a link to billing/rates.ts, and it is marked local-only (nightshift.localOnly) and the backend is not local' });
    assert.deepEqual(gate.check('src/rates.ts', true), { allowed: true });
  });
});

describe('realRelative', () => {
  it('follows links in any folder of the path, and says when it leaves the workspace or there is nothing', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-real-'));
    fs.mkdirSync(path.join(root, 'a', 'b'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a', 'b', 'c.ts'), '');
    fs.symlinkSync('a/b', path.join(root, 'link'));
    assert.equal(realRelative(root, 'link/c.ts'), 'a/b/c.ts');
    assert.equal(realRelative(root, 'a/b/c.ts'), 'a/b/c.ts');
    assert.equal(realRelative(root, 'nothing.ts'), undefined);
    fs.symlinkSync(os.tmpdir(), path.join(root, 'out'));
    assert.equal(realRelative(root, 'out'), null);
    assert.equal(realRelative(root, '.'), '');
  });
});

describe('search results are redacted in their file’s context', () => {
  it('never shows a line of a key block, nor half a secret cut at the line limit', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-find-'));
    fs.mkdirSync(path.join(root, 'src'));
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj';
    fs.writeFileSync(path.join(root, 'src', 'key.ts'), ['export const pem = `', '-----BEGIN PRIVATE KEY-----', body, `${body}xyz`, '-----END PRIVATE KEY-----', '`;', ''].join('\n'));
    const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    fs.writeFileSync(path.join(root, 'src', 'long.ts'), `export const findMe = 1; // ${'x'.repeat(175)} ${token}\n`);
    const gate = new PrivacyRules(root).current();
    const context = new WorkspaceContext(new WorkspaceFiles(root), undefined);
    const keyHit = await context.runTool({ tool: 'find', text: 'MIIEvQIBADANBg' }, gate, false);
    // (The first line repeats the model's own query.)
    assert.doesNotMatch(keyHit.split('\n').slice(1).join('\n'), /MIIEvQ|BgkqhkiG9w0/, keyHit);
    assert.match(keyHit, /src\/key\.ts:3: «redacted private-key»/);
    const longHit = await context.runTool({ tool: 'find', text: 'findMe' }, gate, false);
    assert.doesNotMatch(longHit, /ghp_/, longHit);
    assert.doesNotMatch(longHit, /a1B2c3D4/, longHit);
    const local = await context.runTool({ tool: 'find', text: 'MIIEvQIBADANBg' }, gate, true);
    assert.match(local, /MIIEvQ/, 'a local backend sees the file as it is');
  });
});
