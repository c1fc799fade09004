/**
 * What a secret looks like in source text: well-known token formats, private key blocks,
 * credentials in URLs, and high-entropy strings assigned to names like `password` or `apiKey`.
 * Each pattern is linear-time (no nested quantifiers), so scanning stays fast on large files.
 */

export interface SecretPattern {
  kind: string;
  re: RegExp;
  /** The capture group that holds the secret (0: the whole match). */
  group?: number;
  /** Extra test on the captured value, to keep false positives down. */
  accept?: (value: string) => boolean;
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Looks random enough to be a credential rather than a word, a path or a placeholder. */
function looksRandom(value: string): boolean {
  if (value.length < 12 || /^(x+|\*+|\.+|changeme|example|placeholder|your[-_a-z]*|<[^>]*>|\$\{[^}]*\}|process\.env.*)$/i.test(value)) return false;
  if (/^[a-z]+([-_ ][a-z]+)*$/i.test(value)) return false; // words
  return entropy(value) >= 3.2;
}

export const SECRET_PATTERNS: SecretPattern[] = [
  { kind: 'private-key', re: /-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g },
  { kind: 'aws-access-key', re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'github-token', re: /\b(gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { kind: 'slack-token', re: /\bxox[abprs]-[A-Za-z0-9-]{10,250}\b/g },
  { kind: 'anthropic-key', re: /\bsk-ant-[A-Za-z0-9_-]{20,250}\b/g },
  { kind: 'openai-key', re: /\bsk-(proj-|svcacct-)?[A-Za-z0-9_-]{20,250}\b/g },
  { kind: 'stripe-key', re: /\b[rs]k_(live|test)_[A-Za-z0-9]{16,250}\b/g },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g },
  { kind: 'url-credentials', re: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"`]{1,100}:([^\s@/'"`]{3,200})@/gi, group: 1 },
  {
    kind: 'assigned-secret',
    // name = "value", name: 'value', NAME=value (env style); the name mentions a secret.
    re: /\b[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|private[_-]?key|client[_-]?secret|credential)[\w.-]*["']?\s*[:=]\s*["'`]?([^\s"'`,;]{8,300})/gi,
    group: 1,
    accept: looksRandom,
  },
];
