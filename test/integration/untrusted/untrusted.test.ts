/** In a workspace the user has not trusted, the agent does not start and says why. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateNightshift, waitForSnapshot } from '../helpers';

describe('Nightshift in an untrusted workspace', () => {
  it('does not start the agent, and the status says why', async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this run must open an untrusted folder');
    const api = await activateNightshift();
    const s = await waitForSnapshot(api, (x) => x.status.state === 'untrusted', 'the untrusted status');
    assert.match(s.status.detail, /not trusted.*Trust the workspace to start it/);
    // The server never starts: agentStarted stays pending while the workspace is untrusted.
    const started = await Promise.race([api.agentStarted.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);
    assert.equal(started, false);
  });
});
