/** While a reply streams, the Activity view's running task says how many tokens have come so far. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { FIX, loopbackModel, recordingHost, signal } from './recordingHost';

describe('BackgroundAgent: tokens so far', { timeout: 60_000 }, () => {
  const { server, url } = loopbackModel();

  it('reports the output tokens of a streaming reply as it comes, and drops the figure when the task ends', async () => {
    server.enqueue({ content: FIX, chunkDelayMs: 120 });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
    const seen = rec.statuses
      .flatMap((s) => s.tasks ?? [])
      .map((t) => t.tokensSoFar)
      .filter((n): n is number => n !== undefined);
    assert.ok(seen.length >= 1, 'at least one progress report while the reply streamed');
    assert.ok(
      seen.every((n, i) => n > 0 && (i === 0 || n >= seen[i - 1])),
      `growing counts: ${seen.join(', ')}`,
    );
    assert.ok(seen[seen.length - 1] <= Math.ceil(FIX.length / 4), 'never more than the reply holds');
    await rec.until(() => rec.last().state === 'idle');
    assert.equal(agent.status().tasks?.length, 0);
  });
});
