/**
 * The shadow worktree: what a use sees (HEAD, the user's edits, deletions and new files, the
 * proposal), what it leaves (the user's files and git status as they were; the proposal put back),
 * and how it stays warm: reused across uses, brought up to date when the user's changes change,
 * made anew when HEAD moves, removed on dispose and when idle.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ShadowTree, type ShadowCheckout } from '../../../../src/core/verify/shadowTree';
import { tempRepo } from '../../../harness/gitRepo';
import { snapshotFiles } from '../../../harness/testedFixture';

function userRepo() {
  const repo = tempRepo('shadow');
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo.root, rel)), { recursive: true });
    fs.writeFileSync(path.join(repo.root, rel), text);
  };
  write('a.txt', 'committed a\n');
  write('b.txt', 'committed b\n');
  write('gone.txt', 'committed, then deleted by the user\n');
  write('.gitignore', 'node_modules\n');
  repo.git('add', '.');
  repo.git('commit', '-qm', 'init');
  write('b.txt', 'edited by the user\n');
  write('new/untracked.txt', 'untracked\n');
  fs.rmSync(path.join(repo.root, 'gone.txt'));
  fs.mkdirSync(path.join(repo.root, 'node_modules', 'dep'), { recursive: true });
  fs.writeFileSync(path.join(repo.root, 'node_modules', 'dep', 'index.js'), 'ok\n');
  return { ...repo, write, file: (rel: string) => path.join(repo.root, rel) };
}

const read = (dir: string, rel: string) => (fs.existsSync(path.join(dir, rel)) ? fs.readFileSync(path.join(dir, rel), 'utf8') : undefined);
const worktrees = (git: (...a: string[]) => string) => git('worktree', 'list').split('\n').length;

/** Runs one use and returns what it saw. */
async function seen(shadow: ShadowTree, files: Array<{ filePath: string; text: string }>, look: (c: ShadowCheckout) => unknown = () => undefined) {
  const r = await shadow.use(files, async (c) => ({ dir: c.dir, baseKey: c.baseKey, generation: c.generation, changed: c.takeChanged(), looked: look(c) }));
  if ('unavailable' in r) throw new Error(r.unavailable);
  return r;
}

describe('ShadowTree: a warm shadow of the workspace', () => {
  it("shows a use HEAD, the user's edits, deletions and new files, and the proposal; leaves the user's files and git status alone", async () => {
    const repo = userRepo();
    const before = snapshotFiles(repo.root);
    const status = repo.git('status', '--porcelain');
    const shadow = new ShadowTree(repo.root, { nodeModules: 'entries' });
    try {
      const r = await seen(
        shadow,
        [
          { filePath: repo.file('a.txt'), text: 'proposed\n' },
          { filePath: repo.file('made/by/proposal.txt'), text: 'new\n' },
        ],
        (c) => ({
          a: read(c.dir, 'a.txt'),
          b: read(c.dir, 'b.txt'),
          gone: read(c.dir, 'gone.txt'),
          untracked: read(c.dir, 'new/untracked.txt'),
          made: read(c.dir, 'made/by/proposal.txt'),
          dep: read(c.dir, 'node_modules/dep/index.js'),
          linkedWhole: fs.lstatSync(path.join(c.dir, 'node_modules')).isSymbolicLink(),
        }),
      );
      assert.deepEqual(r.looked, { a: 'proposed\n', b: 'edited by the user\n', gone: undefined, untracked: 'untracked\n', made: 'new\n', dep: 'ok\n', linkedWhole: false });
      // Put back after the use: the proposal's edit, and the file and folders it made.
      assert.equal(read(r.dir, 'a.txt'), 'committed a\n');
      assert.equal(fs.existsSync(path.join(r.dir, 'made')), false);
      // A cache written inside the shadow's node_modules stays there.
      fs.mkdirSync(path.join(r.dir, 'node_modules', '.vite'));
      assert.equal(fs.existsSync(path.join(repo.root, 'node_modules', '.vite')), false);
      assert.deepEqual(snapshotFiles(repo.root), before);
      assert.equal(repo.git('status', '--porcelain'), status);
    } finally {
      await shadow.dispose();
    }
  });

  it("is reused across uses, brought up to date with the user's changes file by file, and made anew when HEAD moves", async () => {
    const repo = userRepo();
    const shadow = new ShadowTree(repo.root);
    try {
      const first = await seen(shadow, [{ filePath: repo.file('a.txt'), text: 'proposed\n' }]);
      const second = await seen(shadow, [], (c) => read(c.dir, 'a.txt'));
      assert.equal(second.dir, first.dir, 'the same worktree');
      assert.equal(second.generation, first.generation);
      assert.equal(second.baseKey, first.baseKey, 'the same base');
      assert.equal(second.looked, 'committed a\n');
      assert.deepEqual(second.changed, [path.join(first.dir, 'a.txt')], 'the put-back proposal is a change to whatever caches the files');

      repo.write('b.txt', 'edited again\n');
      repo.git('checkout', '--', 'gone.txt');
      const third = await seen(shadow, [], (c) => [read(c.dir, 'b.txt'), read(c.dir, 'gone.txt')]);
      assert.equal(third.dir, first.dir, 'not made anew for a change of the user’s');
      assert.notEqual(third.baseKey, first.baseKey);
      assert.deepEqual(third.looked, ['edited again\n', 'committed, then deleted by the user\n']);
      assert.deepEqual(third.changed.sort(), [path.join(first.dir, 'b.txt'), path.join(first.dir, 'gone.txt')]);

      repo.git('add', '.');
      repo.git('commit', '-qm', 'the user commits');
      const fourth = await seen(shadow, [], (c) => read(c.dir, 'new/untracked.txt'));
      assert.equal(fourth.generation, first.generation + 1);
      assert.notEqual(fourth.dir, first.dir);
      assert.equal(fs.existsSync(first.dir), false, 'the old worktree is removed');
      assert.equal(fourth.looked, 'untracked\n');
      assert.equal(worktrees(repo.git), 2);
    } finally {
      await shadow.dispose();
    }
    assert.equal(worktrees(repo.git), 1, 'removed on dispose');
  });

  it('serves one use at a time: a use never sees another’s proposal', async () => {
    const repo = userRepo();
    const shadow = new ShadowTree(repo.root);
    try {
      const [one, two] = await Promise.all([seen(shadow, [{ filePath: repo.file('a.txt'), text: 'one\n' }], (c) => read(c.dir, 'a.txt')), seen(shadow, [{ filePath: repo.file('b.txt'), text: 'two\n' }], (c) => [read(c.dir, 'a.txt'), read(c.dir, 'b.txt')])]);
      assert.equal(one.looked, 'one\n');
      assert.deepEqual(two.looked, ['committed a\n', 'two\n']);
    } finally {
      await shadow.dispose();
    }
  });

  it('is removed after a spell unused, and made again when next used', async () => {
    const repo = userRepo();
    const shadow = new ShadowTree(repo.root, { idleMs: 20 });
    const first = await seen(shadow, []);
    for (const deadline = Date.now() + 10_000; fs.existsSync(first.dir) && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 20));
    assert.equal(fs.existsSync(first.dir), false);
    assert.equal(worktrees(repo.git), 1);
    const again = await seen(shadow, []);
    assert.equal(again.generation, first.generation + 1);
    await shadow.dispose();
  });

  it('says why there is no shadow: no repository, no commit, a file outside the folder', async () => {
    const repo = userRepo();
    const outside = await new ShadowTree(repo.root).use([{ filePath: path.join(repo.root, '..', 'x.txt'), text: '' }], async () => 'ran');
    assert.deepEqual(outside, { unavailable: 'outside' });
    const empty = tempRepo('shadow-empty');
    assert.deepEqual(await new ShadowTree(empty.root).use([], async () => 'ran'), { unavailable: 'no-worktree' });
    const plain = fs.mkdtempSync(path.join(path.dirname(repo.root), 'nightshift-plain-'));
    assert.deepEqual(await new ShadowTree(plain).use([], async () => 'ran'), { unavailable: 'no-repository' });
  });
});
