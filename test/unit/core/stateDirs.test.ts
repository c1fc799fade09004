/** The user's state folder (proposals with file contents, the ledger) is theirs alone: made 0700, an open one of theirs closed, another user's left and named. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { createEngine } from '../../../src/core/engine/engine';
import { securePrivateStateDir } from '../../../src/core/stateDirs';

const made: string[] = [];
const temp = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-statedir-'));
  made.push(dir);
  return dir;
};
const modeOf = (dir: string) => fs.statSync(dir).mode & 0o777;

describe('the user state folder', { skip: process.platform === 'win32' }, () => {
  afterEach(() => {
    for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is made 0700 by the engine at start, and one of the user’s found open is closed to 0700', async () => {
    const fresh = path.join(temp(), 'state', 'nightshift');
    const open = temp();
    fs.chmodSync(open, 0o755);
    for (const stateDir of [fresh, open]) {
      const workspace = temp();
      const engine = createEngine(
        { stateDir, workspace, workspaceFolders: [workspace] },
        {
          settings: async () => ({}),
          apiKey: async () => null,
          approveCost: async () => false,
          onStatus: () => undefined,
          onProposals: () => undefined,
          onEscalations: () => undefined,
          onUserMessage: () => undefined,
          log: () => undefined,
        },
      );
      assert.equal(modeOf(stateDir), 0o700, stateDir);
      await engine.dispose();
    }
    assert.equal(modeOf(path.dirname(fresh)), 0o777 & ~process.umask(), 'its parents are made as before');
  });

  it('never chmods another user’s folder: it says so instead', () => {
    const dir = temp();
    fs.chmodSync(dir, 0o755);
    const said: string[] = [];
    const someoneElse = fs.statSync(dir).uid + 1;
    securePrivateStateDir(dir, (m) => said.push(m), someoneElse);
    assert.equal(modeOf(dir), 0o755);
    assert.equal(said.length, 1);
    assert.match(said[0], /belongs to another user .* left as it is/);
  });

  it('leaves a private folder of the user’s as it is, silently', () => {
    const dir = temp();
    const said: string[] = [];
    securePrivateStateDir(dir, (m) => said.push(m));
    assert.equal(modeOf(dir), 0o700);
    assert.deepEqual(said, []);
  });
});
