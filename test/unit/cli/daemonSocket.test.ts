import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { serveDaemon } from '../../../src/cli/daemonServer';
import { ensurePrivateFolder, socketPathFor } from '../../../src/cli/daemonSocket';
import type { Headless } from '../../../src/cli/headless';
import { StateFolderError } from '../../../src/core/stateFolderError';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ns-socket-'));
const longStateDir = () => path.join(tmp(), 'state', 'x'.repeat(60), 'workspaces', 'app-0123456789abcdef');
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

/** Runs `fn` with these environment variables set, then puts them back. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const was = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(was))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

describe("the daemon's socket folder", { skip: process.platform === 'win32' && 'named pipes on Windows' }, () => {
  it('is the workspace state folder when its path is short, else $XDG_RUNTIME_DIR/nightshift, else nightshift-<uid> in the temp folder', () => {
    assert.equal(socketPathFor('/s/workspaces/app-1', {}), '/s/workspaces/app-1/daemon.sock');
    const long = longStateDir();
    assert.match(socketPathFor(long, { XDG_RUNTIME_DIR: '/run/user/1000' }), /^\/run\/user\/1000\/nightshift\/[0-9a-f]{16}\.sock$/);
    assert.equal(path.dirname(socketPathFor(long, {})), path.join(os.tmpdir(), `nightshift-${process.getuid!()}`));
    assert.equal(path.dirname(socketPathFor(long, { XDG_RUNTIME_DIR: 'relative/dir' })), path.join(os.tmpdir(), `nightshift-${process.getuid!()}`), 'a relative runtime folder is not taken');
  });

  it("is made this user's and 0700, and an existing one of the user's is closed to 0700", () => {
    const made = path.join(tmp(), 'nightshift-1');
    ensurePrivateFolder(made);
    assert.equal(fs.statSync(made).mode & 0o777, 0o700);
    const loose = path.join(tmp(), 'nightshift-2');
    fs.mkdirSync(loose, { mode: 0o755 });
    fs.chmodSync(loose, 0o755);
    ensurePrivateFolder(loose);
    assert.equal(fs.statSync(loose).mode & 0o777, 0o700);
  });

  it("refuses a folder another user made first, a symbolic link and a file, naming the folder, and leaves another user's folder as it was", () => {
    const theirs = path.join(tmp(), 'nightshift-1000');
    fs.mkdirSync(theirs, { mode: 0o777 });
    fs.chmodSync(theirs, 0o777);
    const me = fs.statSync(theirs).uid;
    // As another user: the folder is not theirs.
    assert.throws(
      () => ensurePrivateFolder(theirs, me + 1),
      (err: unknown) => {
        assert.ok(err instanceof StateFolderError);
        assert.equal(
          err.message,
          `The daemon's socket folder ${theirs} belongs to another user (uid ${me}), so another local user could move or replace the socket; Nightshift will not serve editors from it. Remove ${theirs} (as its owner or root), or set XDG_RUNTIME_DIR to your own runtime folder, then start again.`,
        );
        return true;
      },
    );
    assert.equal(fs.statSync(theirs).mode & 0o777, 0o777, 'never chmodded');
    const link = path.join(tmp(), 'nightshift-link');
    fs.symlinkSync(theirs, link);
    assert.throws(() => ensurePrivateFolder(link), /is a symbolic link/);
    const file = path.join(tmp(), 'nightshift-file');
    fs.writeFileSync(file, '');
    assert.throws(() => ensurePrivateFolder(file), /is not a folder/);
  });

  it('does not serve from a temp-folder socket folder another local user created first', { skip: !isRoot && 'needs root to make a folder of another user' }, async () => {
    const temp = tmp();
    const theirs = path.join(temp, `nightshift-${process.getuid!()}`);
    fs.mkdirSync(theirs, { mode: 0o777 });
    fs.chmodSync(theirs, 0o777);
    fs.chownSync(theirs, NOBODY, NOBODY);
    const h = { workspaceStateDir: longStateDir() } as Headless;
    await withEnv({ TMPDIR: temp, XDG_RUNTIME_DIR: undefined }, async () => {
      assert.equal(path.dirname(socketPathFor(h.workspaceStateDir)), theirs);
      const served = await serveDaemon(h, () => undefined).then(
        async (d) => (await d.close(), 'served'),
        (e: unknown) => e,
      );
      assert.ok(served instanceof StateFolderError, String(served));
      assert.match(served.message, new RegExp(`^The daemon's socket folder ${theirs} belongs to another user \\(uid ${NOBODY}\\)`));
    });
    assert.equal(fs.statSync(theirs).uid, NOBODY);
    assert.equal(fs.statSync(theirs).mode & 0o777, 0o777, "another user's folder is left as it was");
    assert.deepEqual(fs.readdirSync(theirs), [], 'no socket was made in it');
  });

  it('serves from $XDG_RUNTIME_DIR/nightshift, made 0700, when the state folder is long', async () => {
    const runtime = tmp();
    const h = { workspaceStateDir: longStateDir() } as Headless;
    await withEnv({ XDG_RUNTIME_DIR: runtime }, async () => {
      const daemon = await serveDaemon(h, () => undefined);
      try {
        assert.equal(path.dirname(daemon.socket), path.join(runtime, 'nightshift'));
        assert.equal(fs.statSync(path.dirname(daemon.socket)).mode & 0o777, 0o700);
        assert.equal(fs.statSync(daemon.socket).mode & 0o777, 0o600);
      } finally {
        await daemon.close();
      }
    });
  });
});
