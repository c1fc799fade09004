/**
 * The redactor on the corpus (test/harness/secretCorpus.ts): at least 98% of the fake secrets
 * gone, at most 2% of the look-alikes touched. Speed is the bench's (bench/privacyBench.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets } from '../../../../src/core/privacy/redact';
import { lookAlikes, secretCases, type SecretCase } from '../../../harness/secretCorpus';

/** Caught: the value is gone, and so is every 12-character piece of it (half a key is a leak). */
export function caught(c: SecretCase): boolean {
  const out = redactSecrets(c.text).text;
  if (out.includes(c.secret)) return false;
  for (let i = 0; i + 12 <= c.secret.length; i++) if (out.includes(c.secret.slice(i, i + 12))) return false;
  return true;
}

describe('the secret corpus', () => {
  const cases = secretCases();
  const looks = lookAlikes();

  it('is the size the issue asks for', () => {
    assert.ok(cases.length >= 100, `${cases.length} secrets`);
    assert.ok(new Set(cases.map((c) => c.format)).size >= 40, 'formats');
    assert.ok(looks.length >= 50, `${looks.length} look-alikes`);
    for (const c of cases) assert.ok(c.text.includes(c.secret), c.format);
  });

  it('loses at least 98% of the secrets and touches at most 2% of the look-alikes', (t) => {
    const missed = cases.filter((c) => !caught(c));
    const flagged = looks.filter((l) => redactSecrets(l.text).findings.length > 0);
    const recall = 1 - missed.length / cases.length;
    const falsePositives = flagged.length / looks.length;
    t.diagnostic(`caught ${(recall * 100).toFixed(1)}% of ${cases.length}; flagged ${(falsePositives * 100).toFixed(1)}% of ${looks.length} look-alikes`);
    assert.ok(recall >= 0.98, `missed: ${missed.map((c) => c.format).join(', ')}`);
    assert.ok(falsePositives <= 0.02, `flagged: ${flagged.map((l) => l.name).join(', ')}`);
  });

  it('counts a secret half redacted as a secret sent', () => {
    const secret = `ghp_${'a1B2'.repeat(9)}`;
    assert.equal(caught({ format: 'x', secret, text: `token ${secret.slice(0, 20)} ${secret}` }), false, 'a 12-character piece left beside it');
    assert.equal(caught({ format: 'x', secret, text: `token ${secret}` }), true);
  });
});
