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
  const verify = (commands: string[], timeoutMs = 20_000) => new CommandVerifier(root, () => ({ commands, timeoutMs })).verify({ filePath: path.join(root, 'a.txt'), before: 'old\n', after: 'new\n', targets: [] });

  it("runs on HEAD + the user's changes + the proposal, and leaves the working tree alone", async () => {
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
    assert.deepEqual(none, { status: 'unchecked', detail: 'No check commands are set (nightshift.checkCommands).' });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-nocommit-'));
    execFileSync('git', ['init', '-q'], { cwd: empty });
    const noHead = await new CommandVerifier(empty, () => ({ commands: ['true'], timeoutMs: 1000 })).verify({ filePath: path.join(empty, 'a.txt'), before: '', after: 'x', targets: [] });
    assert.deepEqual(noHead, { status: 'unchecked', detail: 'Could not make a temporary git worktree.' });
    const noGit = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-nogit-'));
    const r = await new CommandVerifier(noGit, () => ({ commands: ['true'], timeoutMs: 1000 })).verify({ filePath: path.join(noGit, 'a.txt'), before: '', after: '', targets: [] });
    assert.deepEqual(r, { status: 'unchecked', detail: 'Check commands need a git repository (they run in a temporary worktree).' });
  });

  it('keeps only the harmless variables, and says it is a check', async () => {
    const r = await verify(['test "$CI" = 1 && test "$NIGHTSHIFT_CHECK" = 1 && test -n "$PATH" && test "$HOME" = "' + process.env.HOME + '" && test -n "$TMPDIR"']);
    assert.equal(r.status, 'passed', JSON.stringify(r));
    const set = { LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', TERM: 'dumb', SHELL: '/bin/sh', USER: 'checker', NODE_OPTIONS: '--no-warnings', SOME_TOKEN: 'x' };
    const saved = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
    Object.assign(process.env, set);
    try {
      const kept = await verify(['test "$LANG" = C.UTF-8 && test "$LC_ALL" = C.UTF-8 && test "$TERM" = dumb && test "$SHELL" = /bin/sh && test "$USER" = checker && test "$NODE_OPTIONS" = --no-warnings && test -z "$SOME_TOKEN"']);
      assert.equal(kept.status, 'passed', JSON.stringify(kept));
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('keeps what a command writes to stderr, the last 30 lines of it, and names every command that passed', async () => {
    const r = await verify(['for i in $(seq 1 40); do echo "line $i" >&2; done; exit 2']);
    assert.equal(r.status, 'failed');
    assert.equal(r.errors!.length, 30);
    assert.deepEqual([r.errors![0], r.errors!.at(-1)], ['line 11', 'line 40']);
    const both = await verify(['true', 'grep -q new a.txt']);
    assert.deepEqual(both, { status: 'passed', detail: '`true`, `grep -q new a.txt` passed with this change.' });
  });

  it('caps output at 64 KB exactly, counting what it left out', async () => {
    // One write, so the cut falls inside a chunk (a later chunk is not needed to say what was left out).
    const r = await verify(['head -c 70000 /dev/zero | tr "\\0" y; exit 1']);
    const all = r.errors!.join('\n');
    assert.equal((all.match(/^y+$/m) ?? [''])[0].length, 64 * 1024);
    assert.match(all, /… 4464 more bytes of output left out$/);
  });

  it('refuses a file outside the repository, writing nothing there', async () => {
    const r = await new CommandVerifier(root, () => ({ commands: ['true'], timeoutMs: 5000 })).verify({ filePath: '/elsewhere/a.txt', before: '', after: 'x', targets: [] });
    assert.deepEqual(r, { status: 'unchecked', detail: 'The file is outside the repository.' });
    const up = await new CommandVerifier(root, () => ({ commands: ['true'], timeoutMs: 5000 })).verify({ filePath: path.join(root, '..', 'a.txt'), before: '', after: 'x', targets: [] });
    assert.equal(up.status, 'unchecked');
  });

  it('shares the workspace’s node_modules with the worktree, and leaves no temporary folder', async () => {
    fs.mkdirSync(path.join(root, 'node_modules', 'dep'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', 'dep', 'index.js'), 'ok\n');
    fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
    const before = new Set(fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('nightshift-check-')));
    try {
      const r = await verify(['test -L node_modules && grep -q ok node_modules/dep/index.js']);
      assert.equal(r.status, 'passed', JSON.stringify(r));
      const left = fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('nightshift-check-') && !before.has(f));
      assert.deepEqual(left, []);
    } finally {
      fs.rmSync(path.join(root, 'node_modules'), { recursive: true, force: true });
      fs.rmSync(path.join(root, '.gitignore'));
    }
  });

  it('works on a clean repository (no uncommitted changes to carry over)', async () => {
    const clean = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-clean-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: clean, stdio: 'ignore' });
    git('init', '-q');
    fs.writeFileSync(path.join(clean, 'a.txt'), 'old\n');
    git('add', '.');
    git('commit', '-qm', 'init');
    const r = await new CommandVerifier(clean, () => ({ commands: ['grep -q new a.txt && test -z "$(git status --porcelain --untracked-files=no | grep -v a.txt)"'], timeoutMs: 20_000 })).verify({ filePath: path.join(clean, 'a.txt'), before: 'old\n', after: 'new\n', targets: [] });
    assert.equal(r.status, 'passed', JSON.stringify(r));
  });
});
