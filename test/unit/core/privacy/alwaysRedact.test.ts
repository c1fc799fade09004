import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PrivacyGate } from '../../../../src/core/privacy/PrivacyGate';

const SECRET = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD';
const text = `const key = "${SECRET}";\nconst other = 1;`;

describe('redaction for local backends (a team policy’s privacy.redactForLocalModels)', () => {
  it('sends a local backend the text as it is by default', () => {
    const gate = new PrivacyGate({});
    assert.equal(gate.outbound(text, true).text, text);
    assert.deepEqual(gate.outboundLines(text, true), text.split('\n'));
    assert.equal(gate.outboundFile(text, [`'${SECRET}' is not assignable`], true).messages[0], `'${SECRET}' is not assignable`);
  });

  it('redacts for a local backend too when told to: whole texts, search lines and messages', () => {
    const gate = new PrivacyGate({ alwaysRedact: true });
    const out = gate.outbound(text, true);
    assert.ok(!out.text.includes(SECRET) && out.findings.length === 1);
    assert.ok(!gate.outboundLines(text, true).join('\n').includes(SECRET));
    assert.deepEqual(gate.outboundLines(text, true)[1], 'const other = 1;');
    const file = gate.outboundFile(text, [`'${SECRET}' is not assignable`], true);
    assert.ok(!file.text.includes(SECRET) && !file.messages[0].includes(SECRET));
  });
});
