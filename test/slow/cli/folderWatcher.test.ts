/**
 * The fallback file watcher (no native watcher): one watch per folder it may enter, never one in
 * node_modules, .git, build output or a gitignored folder; new folders watched as they appear;
 * out of watches, it says so once with the sysctl and polls the rest.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { watchFolder, type FileEvent } from '../../../src/cli/fileWatcher';
import { FolderWatcher } from '../../../src/cli/folderWatcher';
import { PrivacyGate } from '../../../src/core/privacy/PrivacyGate';
import { inotifyWatches, workspaceWithBigNodeModules } from '../../harness/inotify';

/** A workspace with a 4,000-file node_modules (see the harness; test/cli/packages.test.ts runs the packaged CLI on 20,000), in a new temporary folder. */
function bigWorkspace(): { root: string; sourceFolders: number } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-watch-'));
  return { root, ...workspaceWithBigNodeModules(root, 200) };
}

const until = async (ok: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('the folder-by-folder watcher (no native watcher)', () => {
  it('on a 4k-file node_modules holds no more inotify watches than folders it may enter + 10, and still hears a save', { skip: process.platform !== 'linux' && 'inotify is Linux' }, async () => {
    const { root, sourceFolders } = bigWorkspace();
    const gate = new PrivacyGate({ gitignore: fs.readFileSync(path.join(root, '.gitignore'), 'utf8') });
    const before = inotifyWatches();
    const events: FileEvent[] = [];
    const sub = await watchFolder(root, (e) => events.push(...e), assert.fail, { env: { NIGHTSHIFT_WATCHER: 'fs' }, excludedFolder: (rel) => gate.excludesFolder(rel) });
    try {
      assert.match(sub.kind, /^folder-by-folder fs\.watch \(6 folders; the native watcher could not load: NIGHTSHIFT_WATCHER=fs\)/);
      const watches = inotifyWatches() - before;
      assert.ok(watches <= sourceFolders + 10, `${watches} inotify watches for ${sourceFolders} folders`);
      assert.ok(watches >= sourceFolders, `${watches} inotify watches`);
      fs.writeFileSync(path.join(root, 'src', 'a', 'deep', 'x.ts'), 'export const x = 1;\n');
      await until(() => events.some((e) => e.file === path.join(root, 'src', 'a', 'deep', 'x.ts') && !e.deleted));
      // Nothing heard from where it never went.
      fs.writeFileSync(path.join(root, 'node_modules', 'pkg1', 'lib', 'f1.js'), 'x');
      fs.writeFileSync(path.join(root, 'generated', 'more', 'g.ts'), 'x');
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(
        events.filter((e) => /node_modules|generated/.test(e.file)),
        [],
      );
    } finally {
      await sub.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('watches a folder made while it runs, reports the files already in it, and lets go of a deleted one', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-watch-'));
    const events: FileEvent[] = [];
    const w = new FolderWatcher(root, { ignored: () => false, onEvents: (e) => events.push(...e), onError: assert.fail });
    await w.start();
    try {
      fs.mkdirSync(path.join(root, 'new', 'inner'), { recursive: true });
      fs.writeFileSync(path.join(root, 'new', 'inner', 'early.ts'), '');
      await until(() => w.counts().watched === 3);
      await until(() => events.some((e) => e.file.endsWith('early.ts')));
      fs.writeFileSync(path.join(root, 'new', 'inner', 'late.ts'), '');
      await until(() => events.some((e) => e.file.endsWith('late.ts')));
      fs.rmSync(path.join(root, 'new'), { recursive: true });
      await until(() => w.counts().watched === 1);
      assert.ok(events.some((e) => e.file === path.join(root, 'new') && e.deleted));
    } finally {
      w.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('out of watches (ENOSPC), says so once with the sysctl and polls the folders it could not watch', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-watch-'));
    for (const d of ['a', 'b', 'c']) fs.mkdirSync(path.join(root, d));
    const messages: string[] = [];
    const events: FileEvent[] = [];
    let allowed = 2;
    const w = new FolderWatcher(root, {
      ignored: () => false,
      onEvents: (e) => events.push(...e),
      onError: (m) => messages.push(m),
      pollMs: 100,
      watch: (folder, listener) => {
        if (allowed-- <= 0) throw Object.assign(new Error(`ENOSPC: System limit for number of file watchers reached, watch '${folder}'`), { code: 'ENOSPC' });
        return fs.watch(folder, listener);
      },
    });
    await w.start();
    try {
      assert.deepEqual(w.counts(), { watched: 2, polled: 2 });
      assert.equal(messages.length, 1, messages.join('\n'));
      assert.match(messages[0], /sysctl fs\.inotify\.max_user_watches=\d+/);
      assert.match(messages[0], /2 folder\(s\) are watched; the rest are checked every 0 s/);
      await new Promise((r) => setTimeout(r, 150));
      fs.writeFileSync(path.join(root, 'c', 'polled.ts'), '');
      await until(() => events.some((e) => e.file === path.join(root, 'c', 'polled.ts')));
      fs.rmSync(path.join(root, 'c', 'polled.ts'));
      await until(() => events.some((e) => e.file === path.join(root, 'c', 'polled.ts') && e.deleted));
      assert.equal(messages.length, 1);
    } finally {
      w.close();
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('when the native watcher cannot start (its backend fails as a whole, as out of watches) the host watches folder by folder instead of failing', async () => {
    const sub = await watchFolder(
      path.join(os.tmpdir(), 'ns-watch-missing-folder'),
      () => undefined,
      () => undefined,
      { env: {} },
    );
    try {
      assert.match(sub.kind, /^folder-by-folder fs\.watch \(0 folders; the native watcher could not start: /);
    } finally {
      await sub.close();
    }
  });

  for (const watcher of ['native', 'fs'] as const) {
    it(`${watcher}: a source folder named like build output (src/out, src/coverage) is watched; the top's dist/ and out/ are not`, async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-watch-'));
      for (const dir of ['src/out', 'src/coverage', 'dist', 'out']) fs.mkdirSync(path.join(root, dir), { recursive: true });
      const events: FileEvent[] = [];
      const sub = await watchFolder(root, (e) => events.push(...e), assert.fail, { env: watcher === 'fs' ? { NIGHTSHIFT_WATCHER: 'fs' } : {} });
      try {
        await new Promise((r) => setTimeout(r, 200));
        for (const file of ['src/out/a.ts', 'src/coverage/c.ts', 'dist/d.js', 'out/o.js']) fs.writeFileSync(path.join(root, file), 'export {};\n');
        await until(() => ['src/out/a.ts', 'src/coverage/c.ts'].every((f) => events.some((e) => e.file === path.join(root, f))));
        await new Promise((r) => setTimeout(r, 300));
        assert.deepEqual(
          events.filter((e) => /[\\/](dist|out)[\\/][do]\.js$/.test(e.file)).map((e) => path.relative(root, e.file)),
          [],
        );
      } finally {
        await sub.close();
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  }

  it('the privacy gate excludes folders as folders: build/ in a .gitignore, a nested one, .git, not src', () => {
    const gate = new PrivacyGate({ gitignore: 'build/\n/gen\n*.log\n', nestedIgnore: (f) => (f === 'pkg' ? 'cache/\n' : '') });
    assert.equal(gate.excludesFolder('build'), true);
    assert.equal(gate.excludesFolder('a/build'), true);
    assert.equal(gate.excludesFolder('gen'), true);
    assert.equal(gate.excludesFolder('.git'), true);
    assert.equal(gate.excludesFolder('pkg/cache'), true);
    assert.equal(gate.excludesFolder('cache'), false);
    assert.equal(gate.excludesFolder('src'), false);
    assert.equal(gate.excludesFolder(''), false);
  });
});
