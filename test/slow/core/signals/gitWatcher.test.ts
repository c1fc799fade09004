import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Commit } from '../../../../src/core/signals/commits';
import { GitWatcher } from '../../../../src/core/signals/gitWatcher';
import { tempRepo } from '../../../harness/gitRepo';

const TEXT = Array.from({ length: 20 }, (_, i) => `export const v${i} = ${i};`).join('\n');

describe('GitWatcher (inotify on the HEAD reflog, real git)', { timeout: 60_000 }, () => {
  it('hands on a new commit on the current branch, and not a checkout of an older one', async () => {
    const { root, git } = tempRepo('watch');
    fs.writeFileSync(path.join(root, 'a.ts'), TEXT);
    git('add', '.');
    git('commit', '-qm', 'first');
    const first = git('rev-parse', 'HEAD');
    const seen: Commit[] = [];
    let notify: () => void = () => undefined;
    const watcher = new GitWatcher(
      root,
      (c) => {
        seen.push(c);
        notify();
      },
      () => undefined,
    );
    await watcher.start();
    // The watcher does not keep a process alive by itself (the server's connection does): the test must.
    const alive = setInterval(() => undefined, 1000);
    try {
      const arrived = new Promise<void>((r) => (notify = r));
      fs.writeFileSync(path.join(root, 'a.ts'), TEXT.replace('export const v3 = 3;', 'export const v3 = 3;\nconst a = 1;\nconst b = 2;\nconst c = a + b;'));
      git('commit', '-qam', 'add c');
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([arrived, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('no commit was reported')), 10_000)))]);
      clearTimeout(timer);
      assert.deepEqual(
        seen.map((c) => [c.subject, c.files.map((f) => f.relativePath)]),
        [['add c', ['a.ts']]],
      );
      git('checkout', '-q', first);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(seen.length, 1, 'a checkout is not new work');
    } finally {
      clearInterval(alive);
      watcher.dispose();
    }
  });

  it('goes on to the next commit after one it could not hand on (a handler that threw), and says so', async () => {
    const { root, git } = tempRepo('watch');
    fs.writeFileSync(path.join(root, 'a.ts'), TEXT);
    git('add', '.');
    git('commit', '-qm', 'first');
    const seen: string[] = [];
    const logs: string[] = [];
    let notify: () => void = () => undefined;
    const watcher = new GitWatcher(
      root,
      (c) => {
        seen.push(c.subject);
        notify();
        if (seen.length === 1) throw new Error('the first one fails');
      },
      (m) => logs.push(m),
    );
    await watcher.start();
    const alive = setInterval(() => undefined, 1000);
    const next = (subject: string, line: string) => {
      const arrived = new Promise<void>((r) => (notify = r));
      fs.appendFileSync(path.join(root, 'a.ts'), `\n${line}\n`);
      git('commit', '-qam', subject);
      let timer: ReturnType<typeof setTimeout> | undefined;
      return Promise.race([arrived, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`"${subject}" was not reported (seen: ${seen.join(', ')})`)), 10_000)))]).finally(() => clearTimeout(timer));
    };
    try {
      // Enough lines for a review (a smaller change is not reviewed: MIN_REVIEW_LINES).
      await next('one', 'export const one = 1;\nexport const uno = 1;\nexport const eins = 1;');
      await new Promise((r) => setTimeout(r, 100));
      await next('two', 'export const two = 2;\nexport const dos = 2;\nexport const zwei = 2;');
      assert.deepEqual(seen, ['one', 'two']);
      assert.ok(
        logs.some((l) => /Could not read the new commit: the first one fails/.test(l)),
        logs.join('\n'),
      );
    } finally {
      clearInterval(alive);
      watcher.dispose();
    }
  });

  it('in a repository without commits yet, starts watching the reflog once it appears', async () => {
    const { root, git } = tempRepo('watch');
    const seen: string[] = [];
    const watcher = new GitWatcher(
      root,
      (c) => seen.push(c.subject),
      () => undefined,
    );
    await watcher.start();
    const alive = setInterval(() => undefined, 1000);
    try {
      fs.writeFileSync(path.join(root, 'a.ts'), TEXT);
      git('add', '.');
      git('commit', '-qm', 'first');
      await new Promise((r) => setTimeout(r, 1500));
      fs.writeFileSync(path.join(root, 'a.ts'), `${TEXT}\nconst a = 1;\nconst b = 2;\nconst c = 3;\n`);
      git('commit', '-qam', 'second');
      for (let i = 0; i < 40 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 250));
      assert.deepEqual(seen, ['second'], 'the first commit has nothing before it to review against; the second is reviewed');
    } finally {
      clearInterval(alive);
      watcher.dispose();
    }
  });
});
