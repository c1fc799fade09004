import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePanelRequest } from '../../../src/shared/panelProtocol';

describe('parsePanelRequest', () => {
  it('accepts well-formed requests', () => {
    assert.deepEqual(parsePanelRequest({ type: 'proposal/accept', id: 'p1' }), { type: 'proposal/accept', id: 'p1' });
    assert.deepEqual(parsePanelRequest({ type: 'agent/setPaused', paused: true }), { type: 'agent/setPaused', paused: true });
    assert.deepEqual(parsePanelRequest({ type: 'command/run', action: 'setApiKey' }), { type: 'command/run', action: 'setApiKey' });
    assert.deepEqual(parsePanelRequest({ type: 'panel/ready' }), { type: 'panel/ready' });
    assert.deepEqual(parsePanelRequest({ type: 'escalation/escalate', id: 'e1' }), { type: 'escalation/escalate', id: 'e1' });
  });

  it('drops extra fields', () => {
    assert.deepEqual(parsePanelRequest({ type: 'proposal/reject', id: 'p1', evil: 'x' }), { type: 'proposal/reject', id: 'p1' });
  });

  it('rejects malformed input', () => {
    for (const bad of [
      null,
      'proposal/accept',
      42,
      {},
      { type: 'proposal/accept' },
      { type: 'proposal/accept', id: 7 },
      { type: 'proposal/accept', id: '' },
      { type: 'proposal/accept', id: 'x'.repeat(201) },
      { type: 'agent/setPaused', paused: 'yes' },
      { type: 'escalation/escalate', id: 3 },
      { type: 'command/run', action: 'rm -rf' },
      { type: 'unknown' },
    ]) {
      assert.equal(parsePanelRequest(bad), undefined, JSON.stringify(bad));
    }
  });
});
