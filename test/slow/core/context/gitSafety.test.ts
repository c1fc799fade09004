/**
 * A repository's own .git/config can make git run a program: the file-system monitor hook,
 * signature checks through gpg.program, a textconv filter for its files. The git Nightshift runs
 * in a workspace (files, search, commits) starts none of them; plain git, on the same repository,
 * does (so the test can tell).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { git } from '../../../../src/core/context/WorkspaceFiles';
import { headOf, newCommit } from '../../../../src/core/signals/commits';
import { CommandVerifier } from '../../../../src/core/verify/CommandVerifier';

function hostileRepo(): { root: string; marker: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-hostile-git-'));
  const marker = path.join(root, '..', `${path.basename(root)}-ran`);
  const script = path.join(root, '..', `${path.basename(root)}-hook.sh`);
  fs.writeFileSync(script, `#!/bin/sh\necho "$0 $*" >> ${JSON.stringify(marker)}\nexit 0\n`, { mode: 0o755 });
  const run = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
  run('init', '-q');
  run('config', 'user.email', 'a@b.c');
  run('config', 'user.name', 'a');
  fs.writeFileSync(path.join(root, 'a.ts'), 'export const a = 1;\n');
  fs.writeFileSync(path.join(root, '.gitattributes'), '*.ts diff=evil\n');
  run('add', '-A');
  run('commit', '-q', '-m', 'one');
  // Set after the commits' setup, as a cloned repository would carry them.
  run('config', 'core.fsmonitor', script);
  run('config', 'log.showSignature', 'true');
  run('config', 'gpg.program', script);
  run('config', 'diff.evil.textconv', script);
  return { root, marker };
}

describe('git in a workspace runs nothing the repository configured', () => {
  it('lists, searches and reads commits without starting its fsmonitor, gpg.program or textconv', async () => {
    const { root, marker } = hostileRepo();
    const before = (await headOf(root))!.sha;
    fs.writeFileSync(path.join(root, 'a.ts'), 'export const a = 2;\n');
    execFileSync('git', ['-c', 'core.fsmonitor=false', '-c', 'log.showSignature=false', 'commit', '-q', '-am', 'two'], { cwd: root, stdio: 'pipe' });
    assert.ok(await git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']));
    await git(root, ['grep', '-n', '-I', '-F', '--no-color', '--untracked', '-e', 'export']);
    const { commit } = await newCommit(root, before);
    assert.equal(commit?.subject, 'two');
    assert.equal(fs.existsSync(marker), false, fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '');

    // The same repository with plain git: its programs run.
    execFileSync('git', ['ls-files'], { cwd: root, stdio: 'pipe' });
    execFileSync('git', ['show', 'HEAD'], { cwd: root, stdio: 'pipe' });
    assert.ok(fs.existsSync(marker), 'plain git runs the repository’s fsmonitor');
  });
});

describe('the shadow a check command runs in, for an untrusted repository', () => {
  it('makes and syncs the shadow without its fsmonitor, hooks or clean and smudge filters; a trusted one keeps its filters', async () => {
    const { root, marker } = hostileRepo();
    const script = path.join(root, '..', `${path.basename(root)}-hook.sh`);
    const run = (...args: string[]) => execFileSync('git', ['-c', 'core.fsmonitor=false', ...args], { cwd: root, stdio: 'pipe' });
    fs.writeFileSync(path.join(root, '.gitattributes'), '*.ts filter=evil\n');
    run('add', '.gitattributes');
    run('commit', '-q', '-m', 'filters');
    run('config', 'filter.evil.clean', `${script} clean; cat`);
    run('config', 'filter.evil.smudge', `${script} smudge; cat`);
    run('config', 'filter.evil.process', script);
    fs.writeFileSync(path.join(root, 'a.ts'), 'export const a = 3;\n');
    // The user's own check command: it runs (their choice) and reads the change in the shadow.
    const check = (trusted: boolean) => new CommandVerifier(root, () => ({ commands: ['grep -q "a = 4" a.ts'], timeoutMs: 30_000, trusted })).verify({ filePath: path.join(root, 'a.ts'), before: 'export const a = 3;\n', after: 'export const a = 4;\n', targets: [] });
    const untrusted = await check(false);
    assert.equal(untrusted.status, 'passed', untrusted.detail);
    assert.equal(fs.existsSync(marker), false, fs.existsSync(marker) ? fs.readFileSync(marker, 'utf8') : '');
    await check(true);
    assert.ok(fs.existsSync(marker), 'trusted, the repository’s filters are its own to run');
  });
});
