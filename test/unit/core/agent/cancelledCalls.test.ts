/**
 * A call cancelled once its request has gone out is booked (the backend has the prompt and may
 * bill it), as an estimate for a call cut off and never above its worst case; one cancelled
 * before it was sent books nothing. Real provider, budget and ledger, loopback server.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { CUT_OFF_SOURCE } from '../../../../src/core/budget/ledgerEntry';
import { OpenAIBackend } from '../../../../src/core/providers/openaiBackend';
import { priceFor } from '../../../../src/core/providers/pricing';
import type { ChatMessage } from '../../../../src/core/providers/modelBackend';
import { FIX, loopbackModel, recordingHost, signal } from './recordingHost';

/** The most the recorded request could cost at the loopback profile's price. */
function worstCaseOf(body: unknown): number {
  const { messages, max_completion_tokens } = body as { messages: ChatMessage[]; max_completion_tokens: number };
  const backend = new OpenAIBackend({ baseURL: 'http://127.0.0.1:1/v1', apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'the local server', price: priceFor('MiniMax-M2.7') });
  return backend.worstCaseUsd({ messages, maxCompletionTokens: max_completion_tokens });
}

describe('BackgroundAgent: cancelled calls', { timeout: 60_000 }, () => {
  const { server, url } = loopbackModel();

  it('books a call cancelled after its request was sent, before any chunk: an estimate for a call cut off, above $0 and at most its worst case', async () => {
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    // The reply waits before its first chunk: the request is in, nothing has come back.
    server.enqueue({ content: FIX, chunkDelayMs: 1500 });
    agent.onSettledDiagnostics(signal());
    await server.waitForChatRequests(before + 1);
    // As `nightshift watch` does on SIGTERM: the running call is cancelled, and booked before this resolves.
    await agent.dispose();

    const sent = server.chatRequests()[before];
    const worst = worstCaseOf(sent.body);
    const calls = rec.ledger.load().calls;
    assert.equal(calls.length, 1, JSON.stringify(calls));
    const [call] = calls;
    assert.equal(call.costSource, CUT_OFF_SOURCE);
    assert.equal(call.outcome, 'error');
    assert.equal(call.outputTokens, 0, 'nothing had arrived');
    assert.ok(call.inputTokens > 0, 'the prompt is counted');
    assert.ok(call.costUsd > 0, `booked $${call.costUsd}`);
    assert.ok(call.costUsd <= worst, `booked $${call.costUsd}, worst case $${worst}`);
    const status = rec.host.spend.status();
    assert.equal(status.reservedUsd, 0, 'the reservation is settled');
    assert.ok(Math.abs(status.spentTodayUsd - call.costUsd) < 1e-9, 'the governor counts what the ledger holds');
    assert.ok(
      rec.logs.some((l) => l.includes('ended early') && l.includes(CUT_OFF_SOURCE)),
      rec.logs.join('\n'),
    );
  });

  it('books nothing for a call cancelled before it was sent (waiting for a cost approval), and sends nothing', async () => {
    // Every call needs the user's approval; the answer comes only after the agent was stopped.
    const rec = recordingHost(url, { askAboveUsd: 0.000001 });
    let approve: ((ok: boolean) => void) | undefined;
    const asked = new Promise<void>((resolveAsked) => {
      rec.host.approveCost = () =>
        new Promise<boolean>((resolve) => {
          approve = resolve;
          resolveAsked();
        });
    });
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    await asked;
    const stopped = agent.dispose();
    approve?.(true);
    await stopped;

    assert.equal(server.chatRequests().length, before, 'no request went out');
    assert.deepEqual(rec.ledger.load().calls, []);
    const status = rec.host.spend.status();
    assert.equal(status.reservedUsd, 0, 'the reservation is released');
    assert.equal(status.spentTodayUsd, 0);
  });
});
