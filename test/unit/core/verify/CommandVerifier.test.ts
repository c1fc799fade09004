import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { CommandVerifier } from '../../../../src/core/verify/CommandVerifier';

/** A git repository with one commit, an uncommitted edit and an untracked file, as a user has. */
function repo(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-repo-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  fs.writeFileSync(path.join(root, 'a.txt'), 'old\n');
  fs.writeFileSync(path.join(root, 'b.txt'), 'committed\n');
  git('add', '.');
  git('commit', '-qm', 'init');
  fs.writeFileSync(path.join(root, 'b.txt'), 'edited by the user\n');
  fs.writeFileSync(path.join(root, 'new.txt'), 'untracked\n');
  return root;
}

describe('CommandVerifier: check commands in a temporary worktree', () => {
  let root = '';
  before(() => {
    root = repo();
  });
  const verify = (commands: string[], timeoutMs = 20_000) =>
    new CommandVerifier(root, () => ({ commands, timeoutMs })).verify({ filePath: path.join(root, 'a.txt'), before: 'old\n', after: 'new\n', targets: [] });

  it('runs on HEAD + the user\'s changes + the proposal, and leaves the working tree alone', async () => {
    const r = await verify(['grep -q new a.txt && grep -q "edited by the user" b.txt && test -f new.txt']);
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'old\n');
    const worktrees = execFileSync('git', ['worktree', 'list'], { cwd: root, encoding: 'utf8' }).trim().split('\n');
    assert.equal(worktrees.length, 1, 'the temporary worktree is removed');
  });

  it('reports a failing command with its exit code and output', async () => {
    const r = await verify(['echo "3 tests failed" && exit 3']);
    assert.equal(r.status, 'failed');
    assert.equal(r.detail, '`echo "3 tests failed" && exit 3` failed (exit 3).');
    assert.deepEqual(r.errors, ['3 tests failed']);
  });

  it('stops a command at the time limit', async () => {
    const r = await verify(['sleep 30'], 500);
    assert.equal(r.status, 'failed');
    assert.match(r.detail, /did not finish in 1 s/);
  });

  it('caps huge output', async () => {
    const r = await verify(['head -c 5000000 /dev/zero | tr "\\\\0" x; exit 1']);
    assert.equal(r.status, 'failed');
    assert.match(r.errors!.at(-1)!, /more bytes of output left out/);
  });

  it('gives commands no keys from the environment', async () => {
    process.env.MINIMAX_API_KEY = 'sk-should-not-leak';
    try {
      const r = await verify(['test -z "$MINIMAX_API_KEY" && test -z "$OPENAI_API_KEY"']);
      assert.equal(r.status, 'passed', JSON.stringify(r));
    } finally {
      delete process.env.MINIMAX_API_KEY;
    }
  });

  it('says what it could not check', async () => {
    const none = await new CommandVerifier(root, () => ({ commands: [], timeoutMs: 1000 })).verify({ filePath: path.join(root, 'a.txt'), before: '', after: '', targets: [] });
    assert.equal(none.status, 'unchecked');
    const noGit = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-nogit-'));
    const r = await new CommandVerifier(noGit, () => ({ commands: ['true'], timeoutMs: 1000 })).verify({ filePath: path.join(noGit, 'a.txt'), before: '', after: '', targets: [] });
    assert.deepEqual(r, { status: 'unchecked', detail: 'Check commands need a git repository (they run in a temporary worktree).' });
  });
});
