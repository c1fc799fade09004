import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AgentStatusNotification, typedEndpoint } from '../../../src/shared/agentProtocol';

describe('typedEndpoint', () => {
  it('loses a notification to a peer that has gone instead of rejecting unhandled (a daemon crashed on it)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      let sent = 0;
      const rpc = typedEndpoint({
        sendNotification: () => {
          sent++;
          return Promise.reject(Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' }));
        },
        sendRequest: () => Promise.resolve(undefined),
        onNotification: () => undefined,
        onRequest: () => undefined,
      });
      rpc.notify(AgentStatusNotification, { state: 'idle', detail: '', spendTodayUsd: 0, queued: 0 });
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(sent, 1);
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
