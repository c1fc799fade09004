import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { changesBetween, filesOfPatch } from '../../../../src/core/signals/changes';
import { newCommit } from '../../../../src/core/signals/commits';
import { churnByFile, longestFunction, rankFiles } from '../../../../src/core/signals/refactorCandidates';
import { tempRepo } from '../../../harness/gitRepo';

const BASE = Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`).join('\n');

describe('saved changes', () => {
  it('gives the new hunks and the changed lines of the new text', () => {
    const after = BASE.replace('const v10 = 10;', 'const v10 = 10;\nconst a = 1;\nconst b = 2;\nconst c = a / b;');
    const c = changesBetween(BASE, after)!;
    assert.deepEqual(c.lines, [11, 12, 13]);
    assert.match(c.hunks, /^@@ -10,4 \+10,7 @@[\s\S]*\+const c = a \/ b;/);
  });

  it('ignores changes too small to review: whitespace, blank lines, one line', () => {
    assert.equal(changesBetween(BASE, BASE.replace('const v3 = 3;', '  const v3 = 3;  ')), undefined);
    assert.equal(changesBetween(BASE, `${BASE}\n\n\n`), undefined);
    assert.equal(changesBetween(BASE, BASE.replace('= 3;', '= 4;')), undefined);
  });

  it('reads the files of a git patch, leaving deleted files out', () => {
    const patch = ['diff --git a/src/a.ts b/src/a.ts', '--- a/src/a.ts', '+++ b/src/a.ts', '@@ -1,1 +1,4 @@', ' x', '+a', '+b', '+c', 'diff --git a/old.ts b/old.ts', '--- a/old.ts', '+++ /dev/null', '@@ -1,3 +0,0 @@', '-a', '-b', '-c', ''].join('\n');
    assert.deepEqual(
      filesOfPatch(patch).map((f) => [f.relativePath, f.changes.lines]),
      [['src/a.ts', [1, 2, 3]]],
    );
  });
});

describe('new commits', () => {
  it('reviews a commit that moves the branch forward, not a checkout', async () => {
    const { root, git } = tempRepo('git');
    fs.writeFileSync(path.join(root, 'a.ts'), BASE);
    git('add', '.');
    git('commit', '-qm', 'first');
    const first = git('rev-parse', 'HEAD');
    fs.writeFileSync(path.join(root, 'a.ts'), BASE.replace('const v5 = 5;', 'const v5 = 5;\nlet x = 1;\nlet y = 2;\nlet z = x + y;'));
    git('commit', '-qam', 'add sums');
    const found = await newCommit(root, first);
    assert.equal(found.commit?.subject, 'add sums');
    assert.deepEqual(
      found.commit?.files.map((f) => [f.relativePath, f.changes.lines]),
      [['a.ts', [6, 7, 8]]],
    );
    git('checkout', '-q', first);
    const moved = await newCommit(root, found.head);
    assert.equal(moved.head, first);
    assert.equal(moved.commit, undefined, 'moving back is not new work');
  });
});

describe('a workspace folder inside a larger repository', () => {
  it('reviews and ranks only its own files, by paths relative to it', async () => {
    const { root: repo, git } = tempRepo('mono');
    fs.mkdirSync(path.join(repo, 'app/src'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'other'));
    fs.writeFileSync(path.join(repo, 'app/src/x.ts'), BASE);
    fs.writeFileSync(path.join(repo, 'other/y.ts'), BASE);
    git('add', '.');
    git('commit', '-qm', 'one');
    const head = git('rev-parse', 'HEAD');
    const more = BASE.replace('const v5 = 5;', 'const v5 = 5;\nlet a = 1;\nlet b = 2;\nlet c = 3;');
    fs.writeFileSync(path.join(repo, 'app/src/x.ts'), more);
    fs.writeFileSync(path.join(repo, 'other/y.ts'), more);
    git('commit', '-qam', 'two');
    const app = path.join(repo, 'app');
    assert.deepEqual(
      (await newCommit(app, head)).commit?.files.map((f) => f.relativePath),
      ['src/x.ts'],
    );
    assert.deepEqual([...(await churnByFile(app)).keys()], ['src/x.ts']);
  });
});

describe('refactor candidates', () => {
  it('finds the longest function by its indentation', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const x${i} = ${i};`).join('\n');
    const text = ['export function short() {', body(5), '}', '', 'export async function long(a: number): Promise<number> {', body(45), '  return a;', '}', ''].join('\n');
    assert.deepEqual(longestFunction(text), [8, 55]);
    assert.equal(longestFunction(['function f() {', body(10), '}'].join('\n')), undefined, 'short functions are left alone');
  });

  it('ranks source files by churn times size, tests last out', () => {
    const churn = new Map([
      ['src/a.ts', 9],
      ['src/b.ts', 0],
    ]);
    const lines: Record<string, number> = { 'src/a.ts': 100, 'src/b.ts': 500, 'src/c.ts': 50, 'test/a.test.ts': 9000, 'README.md': 9000 };
    assert.deepEqual(
      rankFiles(Object.keys(lines), churn, (f) => lines[f]),
      ['src/a.ts', 'src/b.ts', 'src/c.ts'],
    );
  });
});
