import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { claimWorkspace, describeHolder, engineHolder } from '../../../../src/core/engine/engineLock';
import { userStateDir, workspaceStateDir } from '../../../../src/core/stateDirs';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ns-lock-'));

/** A process that runs until killed, named as the workspace's holder (its lock taken). */
async function holderProcess(dir: string, host: 'watch' | 'editor') {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  fs.writeFileSync(path.join(dir, 'engine.json'), JSON.stringify({ pid: child.pid, host, startedAt: new Date().toISOString() }));
  fs.mkdirSync(path.join(dir, 'engine.lock'));
  return {
    pid: child.pid!,
    kill: async () => {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

describe('one engine per workspace', () => {
  it('lets one holder in, names it to the next, and frees the workspace on release', async () => {
    const dir = tmp();
    const first = await claimWorkspace(dir, { host: 'watch' }, () => undefined);
    assert.ok(first.ok);
    first.announce('/tmp/x.sock');
    const second = await claimWorkspace(dir, { host: 'scan' }, () => undefined);
    assert.ok(!second.ok);
    assert.deepEqual([second.holder?.host, second.holder?.pid, second.holder?.socket], ['watch', process.pid, '/tmp/x.sock']);
    assert.match(describeHolder(second.holder), /^nightshift watch \(pid \d+, since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\)$/);
    await first.release();
    assert.equal(engineHolder(dir), undefined);
    const third = await claimWorkspace(dir, { host: 'editor' }, () => undefined);
    assert.ok(third.ok);
    await third.release();
  });

  it('does not count a holder whose process is gone', async () => {
    const dir = tmp();
    const holder = await holderProcess(dir, 'watch');
    assert.equal(engineHolder(dir)?.pid, holder.pid);
    await holder.kill();
    assert.equal(engineHolder(dir), undefined);
  });
});

describe('state folders', () => {
  it('is one folder per user on each platform, overridable for tests', () => {
    assert.equal(userStateDir({ NIGHTSHIFT_STATE_DIR: '/x/state' }, 'linux', '/home/u'), path.resolve('/x/state'));
    assert.equal(userStateDir({ XDG_STATE_HOME: '/xdg' }, 'linux', '/home/u'), path.join('/xdg', 'nightshift'));
    assert.equal(userStateDir({}, 'linux', '/home/u'), path.join('/home/u', '.local', 'state', 'nightshift'));
    assert.equal(userStateDir({}, 'darwin', '/Users/u'), path.join('/Users/u', 'Library', 'Application Support', 'Nightshift'));
    assert.equal(userStateDir({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u'), path.join('C:\\Users\\u\\AppData\\Local', 'Nightshift'));
  });

  it('gives two folders of the same name their own workspace state', () => {
    const a = workspaceStateDir('/s', '/one/app');
    const b = workspaceStateDir('/s', '/two/app');
    assert.notEqual(a, b);
    assert.match(path.basename(a), /^app-[0-9a-f]{16}$/);
    assert.equal(workspaceStateDir('/s', '/one/app/'), a);
  });
});

describe('a holder that was killed', () => {
  it('loses the workspace at once to the next claim, not after the lock goes stale', async () => {
    const dir = tmp();
    const holder = await holderProcess(dir, 'editor');
    const refused = await claimWorkspace(dir, { host: 'watch' }, () => undefined);
    assert.ok(!refused.ok && refused.holder?.pid === holder.pid, 'a live holder keeps it');
    await holder.kill();
    const taken = await claimWorkspace(dir, { host: 'watch' }, () => undefined);
    assert.ok(taken.ok);
    assert.equal(engineHolder(dir)?.pid, process.pid);
    await taken.release();
  });
});
