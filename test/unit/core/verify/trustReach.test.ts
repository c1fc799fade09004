/**
 * A trusted repository under an untrusted parent (outside test, issue 23): Node's resolution and
 * ESLint's config lookup walk up past the repository, so a parent's `node_modules/typescript`,
 * `node_modules/eslint` or `eslint.config.js` (a shared /tmp's, another user's) ran as the user.
 * Within a repository (a monorepo's package) the hoisted packages and the top's config still count.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { eslintPackage, findConfig } from '../../../../src/core/verify/eslint/workspaceEslint';
import { workspaceTypeScript } from '../../../../src/core/verify/tsProject';
import { insideFolder, ownFolders, ownPackage, withinReach } from '../../../../src/core/verify/trustReach';

function plant(dir: string, name: string, marker: string): void {
  fs.mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
  fs.writeFileSync(path.join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version: '9.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(dir, 'node_modules', name, 'index.js'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nmodule.exports = {};\n`);
}

describe('trustReach', () => {
  it('loads no package and reads no ESLint config from above the trusted repository', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-parent-'));
    try {
      const marker = path.join(parent, 'ran');
      plant(parent, 'typescript', marker);
      plant(parent, 'eslint', marker);
      fs.writeFileSync(path.join(parent, 'eslint.config.js'), `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nmodule.exports = [];\n`);
      const repo = path.join(parent, 'app');
      fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
      assert.deepEqual(ownFolders(repo), [repo]);
      assert.equal(eslintPackage(repo), undefined, 'the parent’s eslint is not the repository’s');
      assert.equal(findConfig(repo), undefined, 'the parent’s eslint.config.js is not the repository’s');
      const ts = workspaceTypeScript(repo, true);
      assert.equal(fs.existsSync(marker), false, 'the parent’s typescript was not loaded');
      assert.equal(typeof ts?.version, 'string', 'Nightshift’s own TypeScript stands in');
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  it('counts a monorepo’s hoisted packages and top config for a package folder inside it', () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-mono-'));
    try {
      fs.mkdirSync(path.join(repo, '.git'));
      fs.writeFileSync(path.join(repo, 'eslint.config.js'), 'module.exports = [];\n');
      plant(repo, 'eslint', path.join(repo, 'ran'));
      const pkg = path.join(repo, 'packages', 'app');
      fs.mkdirSync(pkg, { recursive: true });
      assert.deepEqual(ownFolders(pkg), [pkg, path.dirname(pkg), repo]);
      assert.equal(eslintPackage(pkg)?.version, '9.0.0');
      assert.equal(findConfig(pkg)?.file, path.join(repo, 'eslint.config.js'));
      assert.equal(withinReach(pkg, path.join(repo, 'node_modules', 'eslint', 'index.js')), true);
      assert.equal(withinReach(pkg, path.join(path.dirname(repo), 'node_modules', 'eslint', 'index.js')), false);
      // A node_modules that is a link to a store elsewhere (pnpm's, a shared checkout) is the repository's own choice.
      const store = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-store-'));
      try {
        plant(store, 'typescript', path.join(store, 'ran'));
        const linked = path.join(repo, 'packages', 'linked');
        fs.mkdirSync(linked);
        fs.symlinkSync(path.join(store, 'node_modules'), path.join(linked, 'node_modules'), 'dir');
        assert.equal(ownPackage(linked, 'typescript'), true);
      } finally {
        fs.rmSync(store, { recursive: true, force: true });
      }
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('judges inside-the-folder by real paths', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-real-'));
    try {
      fs.mkdirSync(path.join(root, 'bin'));
      fs.symlinkSync(root, `${root}-link`);
      assert.equal(insideFolder(`${root}-link`, path.join(root, 'bin')), true);
      assert.equal(insideFolder(root, path.join(`${root}-link`, 'bin')), true);
      assert.equal(insideFolder(path.join(root, 'bin'), root), false);
    } finally {
      fs.rmSync(`${root}-link`, { force: true });
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
