/**
 * A window on a workspace that `nightshift watch` already works on (started by runTests.ts): it
 * attaches to the daemon instead of starting its own engine, shows what the daemon found, and its
 * Accept goes to the daemon's engine.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activateNightshift, waitForSnapshot, workspaceFile } from '../helpers';

describe('attaching to a nightshift watch daemon', () => {
  it('shows the proposal the daemon found, says the daemon runs it, and accepts it there', async () => {
    const api = await activateNightshift();
    await api.agentStarted;
    const s = await waitForSnapshot(api, (x) => x.proposals.length === 1 && x.host !== undefined, "the daemon's proposal");
    assert.match(s.host!, /^nightshift watch \(pid \d+, since .+\)$/);
    const [proposal] = s.proposals;
    assert.equal(proposal.files[0].relativePath, 'src/cart.ts');
    assert.equal(proposal.check?.status, 'passed');
    const doc = await vscode.workspace.openTextDocument(workspaceFile('src/cart.ts'));
    await vscode.window.showTextDocument(doc);
    assert.equal(await api.acceptProposal(proposal.id), true);
    assert.match(doc.getText(), /const count: number = cart\.items\.length;/);
    await waitForSnapshot(api, (x) => x.proposals.length === 0, 'the daemon to take the decision');
    const onDisk = fs.readFileSync(workspaceFile('src/cart.ts').fsPath, 'utf8');
    assert.match(onDisk, /cart\.items\.length;/, `saved to disk (dirty: ${doc.isDirty}): ${onDisk}`);
  });
});

describe('handing the workspace between the window and a daemon', () => {
  const pidOf = (host: string | undefined) => Number(/pid (\d+)/.exec(host ?? '')?.[1]);

  // One test, as the handover is one story: it starts from a daemon attached (starting one if none is) and ends as it began.
  it('Stop Background Daemon gives the workspace to this window; Keep Working After This Window Closes hands it to a new daemon, attached', async () => {
    const api = await activateNightshift();
    await api.agentStarted;
    if (api.snapshot().host === undefined) {
      await vscode.commands.executeCommand('nightshift.keepWorking');
      await waitForSnapshot(api, (x) => x.host !== undefined, 'a daemon to attach to first');
    }
    const daemonPid = pidOf(api.snapshot().host);
    assert.ok(daemonPid > 0);
    await vscode.commands.executeCommand('nightshift.stopDaemon');
    const own = await waitForSnapshot(api, (x) => x.host === undefined && x.status.state !== 'starting', 'this window to run its own engine');
    assert.equal(own.host, undefined);
    assert.throws(() => process.kill(daemonPid, 0), 'the daemon is gone');

    await vscode.commands.executeCommand('nightshift.keepWorking');
    const s = await waitForSnapshot(api, (x) => x.host !== undefined, 'the window to attach to the new daemon');
    const pid = pidOf(s.host);
    assert.ok(pid > 0 && pid !== process.pid && pid !== daemonPid);
    process.kill(pid, 0);
  });
});
