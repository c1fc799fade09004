/**
 * Secrets hidden in base64, quoted or not: a run that decodes to a PEM block, to a private key's
 * DER bytes (PKCS#1, PKCS#8, SEC1) or an OpenSSH key, or to text that itself holds a secret (a
 * base64'd `sk_live_…`, a base64'd .env line). A run continues over the lines below it that are
 * base64 too, so a key body split in 64-character lines goes whole. Random bytes (lock files'
 * integrity hashes, a UUID's base64) decode to neither and are left alone.
 */
import type { SecretSpan } from './ruleSet';

/** 1 for the characters of base64 and of its URL-safe variant. */
export const BASE64_CHARS = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') BASE64_CHARS[c.charCodeAt(0)] = 1;
const B64 = BASE64_CHARS;
const isB64 = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c < 128 && B64[c] === 1;
};
/** A run shorter than this is no encoded key (a 256-bit key is 44 characters of base64). */
export const MIN_RUN = 40;
const MIN_LINE = 8;

/** Where the base64 run starting at `i` ends (its `=` padding taken). */
function runEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && isB64(text, j)) j++;
  for (let pad = 0; pad < 2 && text[j] === '='; pad++) j++;
  return j;
}

/** Where a block whose first line ends at `end` ends: the base64-only lines below it taken. */
function blockEnd(text: string, end: number): number {
  for (;;) {
    let j = end;
    while (text[j] === ' ' || text[j] === '\t' || text[j] === '\r') j++;
    if (text[j] !== '\n') return end;
    j++;
    while (text[j] === ' ' || text[j] === '\t') j++;
    const next = runEnd(text, j);
    const after = text[next];
    if (next - j < MIN_LINE || (after !== undefined && !/[\s"'`,;]/.test(after))) return end;
    end = next;
  }
}

/** A DER private key: SEQUENCE, then version 0 (PKCS#1 RSA, PKCS#8) or 1 followed by an OCTET STRING (SEC1 EC). */
function isDerPrivateKey(b: Buffer): boolean {
  if (b.length < 8 || b[0] !== 0x30) return false;
  const lengthBytes = b[1] & 0x80 ? b[1] & 0x7f : 0;
  if (lengthBytes > 3) return false;
  const at = 2 + lengthBytes;
  if (b[at] !== 0x02 || b[at + 1] !== 0x01) return false;
  const version = b[at + 2];
  const next = b[at + 3];
  return (version === 0 && (next === 0x02 || next === 0x30)) || (version === 1 && next === 0x04);
}

function printable(b: Buffer): boolean {
  let ok = 0;
  const n = Math.min(b.length, 400);
  for (let i = 0; i < n; i++) if ((b[i] >= 32 && b[i] < 127) || b[i] === 9 || b[i] === 10 || b[i] === 13) ok++;
  return ok >= n * 0.95;
}

/** The runs of base64 characters at least MIN_RUN long, as [start, end) pairs (for a text not scanned by the rule set). */
export function base64Runs(text: string): number[] {
  const runs: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (!isB64(text, i)) continue;
    let j = i;
    while (j < text.length && isB64(text, j)) j++;
    if (j - i >= MIN_RUN) runs.push(i, j);
    i = j;
  }
  return runs;
}

/**
 * Where base64-encoded secrets are in `text`, given its runs of base64 characters at least MIN_RUN
 * long ([start, end) pairs, in order; see base64Runs). `holdsSecret` judges decoded text (the
 * redactor's own rules, without this one: a secret is unwrapped once).
 */
export function encodedSecretSpans(text: string, runs: readonly number[], holdsSecret: (decoded: string) => boolean): SecretSpan[] {
  const spans: SecretSpan[] = [];
  let taken = 0; // the end of the last block found: its lines are not judged again
  for (let r = 0; r < runs.length; r += 2) {
    const start = runs[r];
    if (start < taken) continue;
    const first = runEnd(text, start);
    const line = text.slice(start, first);
    // Only letters and _: a long identifier or a word (base64 of anything has digits or + / in it).
    if (/^[A-Za-z_]+$/.test(line)) continue;
    const end = blockEnd(text, first);
    const bytes = Buffer.from(text.slice(start, end).replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    let kind: string | undefined;
    const latin = bytes.subarray(0, 4096).toString('latin1');
    if (/-----BEGIN [A-Z0-9 ]{0,40}(PRIVATE KEY|CERTIFICATE|KEY)/.test(latin)) kind = 'base64-pem';
    else if (latin.startsWith('openssh-key-v1\0') || isDerPrivateKey(bytes)) kind = 'base64-private-key';
    else if (printable(bytes) && holdsSecret(bytes.toString('utf8'))) kind = 'base64-secret';
    if (!kind) continue; // the lines below are judged as runs of their own
    spans.push({ start, end, kind });
    taken = end;
  }
  return spans;
}

/**
 * Whether a quoted high-entropy value is only base64 of plain text holding no secret (a banner, a
 * JSON cursor): high entropy, no key. `user:password` (HTTP Basic credentials) is a secret.
 */
export function isBase64OfPlainText(value: string, holdsSecret: (decoded: string) => boolean): boolean {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value) || value.replace(/=+$/, '').length % 4 === 1) return false;
  const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 8 || !printable(bytes)) return false;
  const text = bytes.toString('utf8');
  // Prose or structured data (spaces, JSON, a query): one unbroken token may be a wrapped key.
  if (!/[A-Za-z]{3}/.test(text) || !/[\s{}",&=]/.test(text)) return false;
  return !/^[\w.@+-]{1,64}:\S+$/.test(text) && !holdsSecret(text);
}
