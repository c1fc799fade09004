/**
 * The key formats the outside test found reaching the model (xAI, Fireworks, Notion, LangSmith,
 * Pinecone, ElevenLabs, Resend, Neon, Supabase, Figma, Doppler, Discord webhooks, SSH2 and PuTTY
 * key files): every one in the corpus is gone, and code that starts the same way is left alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactSecrets } from '../../../../src/core/privacy/redact';
import { lookAlikes, secretCases } from '../../../harness/secretCorpus';

const FORMATS = [
  'xai-key',
  'fireworks-key',
  'notion-token',
  'notion-legacy-token',
  'langsmith-key',
  'pinecone-key',
  'elevenlabs-key',
  'resend-key',
  'neon-key',
  'supabase-token',
  'figma-token',
  'doppler-service-token',
  'doppler-scim-token',
  'discord-webhook',
  'ssh2-private-key',
  'putty-private-key',
  'putty-private-mac',
];
const LOOK_ALIKES = ['re_match call', 'sk_learn names', 'hash-suffixed names', 'resend-like identifier', 'fw_ identifier', 'secret_ identifier', 'Discord invite', 'PuTTY public lines', 'SSH2 public key'];

/** Gone: neither the value nor any 12-character piece of it is left. */
function leftOf(secret: string, text: string): string | undefined {
  const out = redactSecrets(text).text;
  for (let i = 0; i + 12 <= secret.length; i++) if (out.includes(secret.slice(i, i + 12))) return out;
  return undefined;
}

describe('model and service keys, and key files, gitleaks misses', () => {
  it('takes out every one of them in the corpus', () => {
    const cases = secretCases().filter((c) => FORMATS.includes(c.format));
    assert.equal(cases.length, FORMATS.length * 2);
    for (const c of cases) assert.equal(leftOf(c.secret, c.text), undefined, c.format);
  });

  it('leaves code that starts like one alone', () => {
    const looks = lookAlikes().filter((l) => LOOK_ALIKES.includes(l.name));
    assert.equal(looks.length, LOOK_ALIKES.length * 2);
    for (const l of looks) assert.deepEqual(redactSecrets(l.text).findings, [], l.name);
  });

  it('keeps what is not secret readable: a webhook’s host and id, a key block’s BEGIN and END lines, the key file’s public part', () => {
    const token = 'Ab3_'.repeat(17);
    assert.equal(redactSecrets(`https://discordapp.com/api/webhooks/123456789012345678/${token}`).text, 'https://discordapp.com/api/webhooks/123456789012345678/«redacted discord-webhook»');
    const block = redactSecrets('---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nP2/56wAAA\n---- END SSH2 ENCRYPTED PRIVATE KEY ----').text;
    assert.equal(block, '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n«redacted ssh2-private-key»\n---- END SSH2 ENCRYPTED PRIVATE KEY ----');
    const putty = redactSecrets('Public-Lines: 1\nAAAAC3NzaC1lZDI1NTE5\nPrivate-Lines: 2\nAAAAIG9uZSB0d28\nAAAAIHRocmVl\nPrivate-MAC: 0123456789abcdef0123456789abcdef01234567\n').text;
    assert.equal(putty, 'Public-Lines: 1\nAAAAC3NzaC1lZDI1NTE5\nPrivate-Lines: 2\n«redacted putty-private-key»\nPrivate-MAC: «redacted putty-private-key»\n');
  });

  it('takes out a block with no END line to its end, and a Doppler token of each kind', () => {
    assert.equal(redactSecrets('---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nP2/56wAAA\nAAAA').text, '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n«redacted ssh2-private-key»');
    for (const kind of ['pt', 'ct', 'sa', 'scim', 'audit', 'st.staging']) assert.equal(redactSecrets(`t = dp.${kind}.${'x9Y8'.repeat(11)}`).text, 't = «redacted doppler-token»', kind);
  });
});
