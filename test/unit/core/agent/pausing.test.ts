/**
 * Pauses and holds through the agent, with the real provider and the loopback server: a pause for
 * any reason stops the work under way, and what the status says is what holds the agent.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { FIX, loopbackModel, recordingHost, signal } from './recordingHost';

const REJECTED = { status: 401, rawBody: '{"type":"error","error":{"type":"authorized_error","message":"login fail (1004)"}}' };
const quietNow = (now: Date) => `${String(now.getHours()).padStart(2, '0')}:00-${String((now.getHours() + 1) % 24).padStart(2, '0')}:00`;

describe('BackgroundAgent: pausing', { timeout: 60_000 }, () => {
  const { server, url } = loopbackModel();

  it('a rejected key pauses like the user does: the other call under way is stopped, its task kept', async () => {
    const rec = recordingHost(url);
    rec.concurrency.value = 2;
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    server.enqueue({ content: FIX, chunkDelayMs: 300 });
    agent.onSettledDiagnostics(signal());
    await server.waitForChatRequests(before + 1);
    server.enqueue(REJECTED);
    agent.onSettledDiagnostics(signal('export const other: number = "1";\n', 'file:///ws/src/b.ts'));
    await rec.until(() => rec.last().state === 'paused' && (rec.last().tasks ?? []).every((t) => !t.running));
    assert.match(rec.last().detail, /rejected the API key/);
    assert.equal(rec.proposals().length, 0, 'no answer came in after the pause');
    assert.equal(rec.last().queued, 2, 'both tasks are kept');
    assert.ok(
      rec.logs.some((l) => l.startsWith('Paused work on src/a.ts')),
      rec.logs.join('\n'),
    );
  });

  it('a settings change while paused during a hold leaves it paused, and Resume goes back to the hold', () => {
    const rec = recordingHost(url);
    rec.quiet.value = quietNow(rec.clock.now);
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    assert.match(rec.last().detail, /^Quiet hours until/);
    agent.setPaused(true, 'The team policy cannot be used.');
    agent.onBudgetChanged();
    assert.deepEqual([rec.last().state, rec.last().detail], ['paused', 'The team policy cannot be used.']);
    agent.setPaused(false);
    assert.equal(rec.last().state, 'idle');
    assert.match(rec.last().detail, /^Quiet hours until .*: 1 task\(s\) wait\.$/, 'the status says what still holds the work');
    assert.equal(server.chatRequests().length, before);
  });
});
