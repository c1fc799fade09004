import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FolderPrivacy, PrivacyRules } from '../../../../src/core/privacy/folderPrivacy';

describe('FolderPrivacy (a multi-root workspace)', () => {
  it("judges each file by its own folder's ignore files, the innermost folder first", () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-roots-'));
    const web = path.join(base, 'web');
    const api = path.join(base, 'api');
    const inner = path.join(api, 'vendor');
    for (const dir of [web, api, inner]) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(api, '.gitignore'), 'config/\n');
    fs.writeFileSync(path.join(inner, '.nightshiftignore'), '*.ts\n');
    const privacy = new FolderPrivacy([web, api, inner]);
    privacy.update({ exclude: ['*.log'], localOnly: [] });
    const uri = (file: string) => pathToFileURL(file).toString();

    assert.equal(privacy.forFile(uri(path.join(web, 'config/app.ts'))).check('config/app.ts', false).allowed, true, 'web has no such rule');
    assert.equal(privacy.forFile(uri(path.join(api, 'config/app.ts'))).check('config/app.ts', false).allowed, false, "api's .gitignore applies to api's files");
    assert.equal(privacy.forFile(uri(path.join(inner, 'lib.ts'))).check('lib.ts', false).allowed, false, 'the nested folder has its own rules');
    assert.equal(privacy.forFile(uri(path.join(web, 'debug.log'))).check('debug.log', false).allowed, false, 'settings apply to every folder');
  });
});

describe('PrivacyRules (one folder)', () => {
  const folder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-rules-'));
  const allowed = (rules: PrivacyRules, rel: string, local = false) => rules.current().check(rel, local).allowed;

  it('takes no "!" entry of the exclude list: the list is everyone’s (you, a policy, a repository), and a negation would take back another’s entry', () => {
    const rules = new PrivacyRules(folder());
    rules.update({ exclude: ['src/private/**', '!src/private/**', ' !src/private/p.ts'], localOnly: [] });
    assert.equal(allowed(rules, 'src/private/p.ts'), false);
    assert.equal(allowed(rules, 'src/public.ts'), true);
  });

  it('reads .gitignore and .nightshiftignore, in the root and in subfolders', () => {
    const root = folder();
    fs.mkdirSync(path.join(root, 'pkg', 'gen'), { recursive: true });
    fs.writeFileSync(path.join(root, '.gitignore'), 'build/\n');
    fs.writeFileSync(path.join(root, '.nightshiftignore'), 'private/\n');
    // No newline at the end: the two files of a subfolder are still two sets of lines.
    fs.writeFileSync(path.join(root, 'pkg', '.gitignore'), 'gen/');
    fs.writeFileSync(path.join(root, 'pkg', '.nightshiftignore'), '*.snap\n');
    const rules = new PrivacyRules(root);
    assert.deepEqual(
      ['build/a.ts', 'private/b.ts', 'pkg/gen/c.ts', 'pkg/d.snap', 'pkg/e.ts', 'src/f.ts'].map((f) => allowed(rules, f)),
      [false, false, false, false, true, true],
    );
  });

  it('keeps one gate while the ignore files are unchanged, and rebuilds it when one changes or goes', () => {
    const root = folder();
    fs.writeFileSync(path.join(root, '.gitignore'), 'a/\n');
    const rules = new PrivacyRules(root);
    const first = rules.current();
    assert.equal(rules.current(), first, 'nothing changed: the same gate');
    assert.equal(allowed(rules, 'b/x.ts'), true);
    fs.writeFileSync(path.join(root, '.gitignore'), 'a/\nb/\n');
    assert.notEqual(rules.current(), first);
    assert.equal(allowed(rules, 'b/x.ts'), false);
    fs.writeFileSync(path.join(root, '.nightshiftignore'), 'c/\n');
    assert.equal(allowed(rules, 'c/x.ts'), false, 'a new .nightshiftignore counts at once');
    fs.rmSync(path.join(root, '.gitignore'));
    assert.deepEqual([allowed(rules, 'a/x.ts'), allowed(rules, 'b/x.ts')], [true, true]);
  });

  it('applies the settings, and new settings replace the old', () => {
    const rules = new PrivacyRules(folder());
    assert.equal(allowed(rules, 'notes/x.md'), true, 'no exclude by default');
    rules.update({ exclude: ['notes/**'], localOnly: ['internal/**'] });
    assert.deepEqual([allowed(rules, 'notes/x.md'), allowed(rules, 'internal/y.ts'), allowed(rules, 'internal/y.ts', true)], [false, false, true]);
    rules.update({ exclude: [], localOnly: [] });
    assert.deepEqual([allowed(rules, 'notes/x.md'), allowed(rules, 'internal/y.ts')], [true, true]);
  });

  it('without a folder still refuses the files that always hold secrets', () => {
    const rules = new PrivacyRules(undefined);
    assert.deepEqual([allowed(rules, '.env'), allowed(rules, 'id_rsa'), allowed(rules, 'src/a.ts')], [false, false, true]);
    const none = new FolderPrivacy([]);
    assert.equal(none.forFile('file:///anywhere/.env').check('.env', false).allowed, false);
    assert.equal(none.forFile('untitled:Untitled-1').check('a.ts', false).allowed, true);
  });

  it("gives a file outside every folder, or not a file at all, the first folder's rules", () => {
    const a = folder();
    const b = folder();
    fs.writeFileSync(path.join(a, '.gitignore'), 'only-a/\n');
    const privacy = new FolderPrivacy([a, b]);
    assert.equal(privacy.forFile(pathToFileURL(path.join(os.tmpdir(), 'elsewhere.ts')).toString()).check('only-a/x.ts', false).allowed, false);
    assert.equal(privacy.forFile('vscode-notebook-cell:/x').check('only-a/x.ts', false).allowed, false);
    assert.equal(privacy.forFile(pathToFileURL(path.join(b, 'only-a', 'x.ts')).toString()).check('only-a/x.ts', false).allowed, true, "b's own file: b's rules");
    assert.equal(privacy.forFile(pathToFileURL(`${b}-sibling/x.ts`).toString()).check('only-a/x.ts', false).allowed, false, 'a folder whose name starts like b is not inside b');
  });
});
