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
