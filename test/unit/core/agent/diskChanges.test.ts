/**
 * A file changed outside the editor (a checkout, a formatter, another tool) reaches the agent's
 * one "file changed" path: its proposals go stale or move, its waiting escalations and its queued
 * tasks go; files the agent holds no work for are not even read.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { applyReplacements } from '../../../../src/core/edits/searchReplace';
import { FIX, TEXT, loopbackModel, recordingHost, signal } from './recordingHost';

const URI = 'file:///ws/src/a.ts';

describe('BackgroundAgent: changes on disk', { timeout: 60_000 }, () => {
  const { server, url } = loopbackModel();

  async function withProposal() {
    server.enqueue({ content: FIX });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
    return { rec, agent };
  }

  it('makes a proposal stale at once when its lines change on disk, and reads only the files it has work for', async () => {
    const { rec, agent } = await withProposal();
    const read: string[] = [];
    const disk = new Map([
      [URI, 'export const answer: number = "41";\n'],
      ['file:///ws/src/other.ts', 'x'],
    ]);
    await agent.onDiskChanges(
      [
        { uri: URI, deleted: false },
        { uri: 'file:///ws/src/other.ts', deleted: false },
      ],
      async (uri) => (read.push(uri), disk.get(uri)),
    );
    assert.deepEqual(read, [URI]);
    assert.equal(rec.proposals()[0].stale, 'the file changed where this proposal edits it');
  });

  it('moves a proposal with a change elsewhere in the file', async () => {
    const { rec, agent } = await withProposal();
    await agent.onDiskChanges([{ uri: URI, deleted: false }], async () => `// header\n${TEXT}`);
    const moved = rec.proposals()[0];
    assert.equal(moved.stale, undefined);
    assert.match(moved.files[0].diff, /^\+export const answer: number = 42;$/m);
  });

  it('makes proposals stale when their folder is deleted, and ignores a file that did not change', async () => {
    const { rec, agent } = await withProposal();
    await agent.onDiskChanges([{ uri: URI, deleted: false }], async () => TEXT);
    assert.equal(rec.proposals()[0].stale, undefined, 'the same text changes nothing');
    await agent.onDiskChanges([{ uri: 'file:///ws/src', deleted: true }], async () => undefined);
    assert.equal(rec.proposals()[0].stale, 'the file was deleted');
  });

  it('drops a waiting escalation when its file changes on disk, and keeps it when only its timestamp did', async () => {
    server.enqueue({ content: 'TITLE: none' });
    const rec = recordingHost(url, {}, {}, undefined, undefined, () => undefined);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.escalations().length === 1);
    await agent.onDiskChanges([{ uri: URI, deleted: false }], async () => TEXT);
    assert.equal(rec.escalations().length, 1);
    await agent.onDiskChanges([{ uri: URI, deleted: false }], async () => 'export const answer = 42;\n');
    assert.equal(rec.escalations().length, 0);
  });

  it('drops queued work made on the old text: no call is paid for a file that changed', async () => {
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.setPaused(true);
    agent.onSettledDiagnostics(signal());
    assert.equal(agent.status().queued, 1);
    await agent.onDiskChanges([{ uri: URI, deleted: false }], async () => 'export const answer = 42;\n');
    assert.equal(agent.status().queued, 0);
    const before = server.chatRequests().length;
    agent.setPaused(false);
    assert.equal(server.chatRequests().length, before);
  });

  it('a save read mid-write, then whole, leaves the proposal current, and its decision is booked', async () => {
    const { rec, agent } = await withProposal();
    const id = rec.proposals()[0].id;
    const applied = applyReplacements(TEXT, rec.proposals()[0].files[0].replacements);
    await agent.onDiskChanges([{ uri: URI, deleted: false }], async () => applied.slice(0, 10));
    assert.equal(rec.proposals()[0].stale, 'the file changed where this proposal edits it');
    await agent.onDiskChanges([{ uri: URI, deleted: false }], async () => applied);
    assert.equal(rec.proposals()[0].stale, undefined, 'the whole file holds what the proposal makes of it');
    assert.deepEqual(await agent.decide({ id, decision: 'accept' }), { ok: true });
    assert.ok(rec.ledger.load().decisions.some((d) => d.proposalId === id && d.decision === 'accepted'));
  });

  it('a save read mid-write and not seen again: the decision reads the file as it is now, and is booked', async () => {
    const { rec, agent } = await withProposal();
    const id = rec.proposals()[0].id;
    const applied = applyReplacements(TEXT, rec.proposals()[0].files[0].replacements);
    await agent.onDiskChanges([{ uri: URI, deleted: false }], async () => applied.slice(0, 10));
    assert.equal(rec.proposals()[0].stale, 'the file changed where this proposal edits it');
    // The accepting window saved the whole file before it told the daemon; the watcher's second event comes later.
    rec.host.readFile = async (uri) => (uri === URI ? applied : undefined);
    assert.deepEqual(await agent.decide({ id, decision: 'accept' }), { ok: true });
    assert.ok(rec.ledger.load().decisions.some((d) => d.proposalId === id && d.decision === 'accepted'));
  });

  it('a proposal really made stale stays stale when decided, and its decision is not booked', async () => {
    const { rec, agent } = await withProposal();
    const id = rec.proposals()[0].id;
    const edited = 'export const somethingElse = 1;\n';
    await agent.onDiskChanges([{ uri: URI, deleted: false }], async () => edited);
    rec.host.readFile = async () => edited;
    assert.deepEqual(await agent.decide({ id, decision: 'accept' }), { ok: true });
    assert.ok(!rec.ledger.load().decisions.some((d) => d.proposalId === id));
  });

  it('takes batches in the order they came: a slow read of older text never lands after a newer one', async () => {
    const { rec, agent } = await withProposal();
    const applied = applyReplacements(TEXT, rec.proposals()[0].files[0].replacements);
    let release: (() => void) | undefined;
    const slow = agent.onDiskChanges([{ uri: URI, deleted: false }], () => new Promise((r) => (release = () => r(applied.slice(0, 10)))));
    const fast = agent.onDiskChanges([{ uri: URI, deleted: false }], async () => applied);
    while (!release) await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([slow, fast]);
    assert.equal(rec.proposals()[0].stale, undefined);
  });

  it('a file that cannot be read but was not deleted changes nothing until the next event', async () => {
    const { rec, agent } = await withProposal();
    await agent.onDiskChanges([{ uri: URI, deleted: false }], async () => undefined);
    assert.equal(rec.proposals()[0].stale, undefined);
  });
});
