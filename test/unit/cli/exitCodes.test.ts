import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EXIT, HELP } from '../../../src/cli/help';
import { failureExit } from '../../../src/cli/failure';
import { main } from '../../../src/cli/main';
import { REPO_ROOT } from '../../harness/testEnv';

describe('exit codes', () => {
  it("docs/headless.md's table lists exactly the codes the command uses, and --help names the scan's and the common ones", () => {
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'headless.md'), 'utf8');
    const table = doc.slice(doc.indexOf('### Exit codes'));
    const documented = [...table.slice(0, table.indexOf('\n\n', table.indexOf('| code |'))).matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    assert.deepEqual(
      documented,
      [...new Set(Object.values(EXIT))].sort((a, b) => a - b),
    );
    for (const code of [EXIT.none, EXIT.found, EXIT.usage, EXIT.incomplete, EXIT.busy, EXIT.stateFolder, EXIT.internal]) assert.match(HELP.scan, new RegExp(`\\b${code} `), `scan --help names ${code}`);
    assert.match(HELP.main, /5 when the\s+state folder cannot be used/);
  });

  it('ends on a system error in the state folder with exit 5, the path and the fix; on anything else with 70', () => {
    const env = { NIGHTSHIFT_STATE_DIR: '/home/me/.local/state/nightshift' };
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', path: '/home/me/.local/state/nightshift/workspaces/app-1/engine.json' });
    assert.deepEqual(failureExit(full, env), {
      code: 5,
      message: 'nightshift: The disk that holds /home/me/.local/state/nightshift/workspaces/app-1/engine.json is full (ENOSPC). Free some space there, or point NIGHTSHIFT_STATE_DIR at a folder on another disk, then run again.',
    });
    const elsewhere = Object.assign(new Error('EISDIR: illegal operation on a directory, read'), { code: 'EISDIR', path: '/home/me/code/app/src' });
    assert.deepEqual(failureExit(elsewhere, env), { code: 70, message: 'nightshift: EISDIR: illegal operation on a directory, read' }, 'not the state folder: not said to be');
    assert.equal(failureExit(new Error('boom'), env).code, 70);
  });

  it('ends a command on a folder that is not there with exit 2, never a clean scan (a typo in a CI path)', async () => {
    const missing = path.join(REPO_ROOT, 'no-such-folder-GOOD');
    for (const args of [
      ['scan', missing],
      ['status', missing],
      ['watch', missing],
      ['proposals', 'list', '--workspace', missing],
    ])
      assert.equal(await main(args, { NIGHTSHIFT_STATE_DIR: path.join(REPO_ROOT, 'no-such-state') }, {}, []), EXIT.usage, args.join(' '));
    assert.equal(fs.existsSync(path.join(REPO_ROOT, 'no-such-state')), false, 'nothing was made');
  });
});
