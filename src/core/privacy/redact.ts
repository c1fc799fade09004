/**
 * Takes secrets out of text before it leaves the machine. Each secret is replaced by a marker
 * naming its kind; the findings say what kind and which line, never the value.
 */
import { CREDENTIAL_SHAPES } from './credentialShapes';
import { BASE64_CHARS, encodedSecretSpans, isBase64OfPlainText, MIN_RUN } from './encodedSecrets';
import { PATH_SCOPED_KINDS, secretRuleSet, type SecretSpan } from './ruleSet';
import { SECRET_PATTERNS } from './secretPatterns';

export interface Redaction {
  kind: string;
  /** One-based line of the secret's start. */
  line: number;
}

export interface RedactResult {
  text: string;
  findings: Redaction[];
  /**
   * The secret values themselves, so that other texts about the same file (a compiler message
   * quoting a string literal) can be scrubbed of them too. Never log or send these.
   */
  values: string[];
}

export const REDACTION_MARK = (kind: string) => `«redacted ${kind}»`;

type Span = SecretSpan;

/** Kinds that say only "looks like a secret": a span found by a named format as well is named by that. */
const GENERIC_KINDS = new Set(['assigned-secret', 'high-entropy-string', 'password-assignment', 'generic-api-key']);
const OWN_KINDS = new Set([...SECRET_PATTERNS.map((p) => p.kind), ...CREDENTIAL_SHAPES.map((r) => r.id), 'base64-pem', 'base64-private-key', 'base64-secret']);
const rank = (kind: string) => (PATH_SCOPED_KINDS.has(kind) ? 3 : GENERIC_KINDS.has(kind) ? 2 : OWN_KINDS.has(kind) ? 0 : 1);

const holdsSecret = (decoded: string): boolean => plainSpans(decoded).length > 0;

/**
 * Spans of every detector but the base64 one (whose candidate runs, when asked for, are found in
 * the same pass); a high-entropy string that is base64 of plain text is no secret.
 */
function plainSpans(text: string, base64Runs?: number[]): Span[] {
  const runs = base64Runs && { chars: BASE64_CHARS, min: MIN_RUN, found: (start: number, end: number) => base64Runs.push(start, end) };
  return secretRuleSet()
    .spans(text, runs)
    .filter((s) => s.kind !== 'high-entropy-string' || !isBase64OfPlainText(text.slice(s.start, s.end), (decoded) => secretRuleSet().spans(decoded).length > 0));
}

/**
 * Where the secrets in `text` are: our patterns, gitleaks' rules and our credential shapes, and
 * base64 that decodes to a key or a secret. Overlapping finds are joined (a part of a secret two
 * rules cut differently never stays), named by the most specific rule among them.
 */
function secretSpans(text: string): Span[] {
  // A string built by concatenation is read a character at a time below: make it one flat string
  // first (converting to a number flattens it in V8; the value is not used).
  Number(text);
  const runs: number[] = [];
  const spans = plainSpans(text, runs);
  spans.push(...encodedSecretSpans(text, runs, holdsSecret));
  spans.sort((a, b) => a.start - b.start || b.end - a.end || rank(a.kind) - rank(b.kind));
  const kept: Span[] = [];
  for (const s of spans) {
    const last = kept[kept.length - 1];
    if (!last || s.start >= last.end) {
      kept.push({ ...s });
      continue;
    }
    if (s.end > last.end) last.end = s.end;
    if (rank(s.kind) < rank(last.kind)) last.kind = s.kind;
  }
  return kept;
}

export function redactSecrets(text: string): RedactResult {
  const spans = secretSpans(text);
  // Stryker disable next-line ConditionalExpression: equivalent, the loop below returns the same for no spans
  if (spans.length === 0) return { text, findings: [], values: [] };
  let out = '';
  let cursor = 0;
  let line = 1;
  let counted = 0;
  const findings: Redaction[] = [];
  const values: string[] = [];
  for (const s of spans) {
    for (let i = text.indexOf('\n', counted); i >= 0 && i < s.start; i = text.indexOf('\n', i + 1)) line++;
    counted = s.start;
    out += text.slice(cursor, s.start) + REDACTION_MARK(s.kind);
    cursor = s.end;
    findings.push({ kind: s.kind, line });
    values.push(text.slice(s.start, s.end));
  }
  return { text: out + text.slice(cursor), findings, values };
}

/**
 * The file's lines with every part of a secret replaced by its marker, line by line: a secret is
 * recognised in the whole text (a key block, a BEGIN line above), so a single line shown alone
 * (a search hit) never carries part of one. As many lines as the text has.
 */
export function redactedLines(text: string): string[] {
  const spans = secretSpans(text);
  const lines: string[] = [];
  let start = 0;
  let k = 0;
  for (const line of text.split('\n')) {
    const end = start + line.length;
    let out = '';
    let cursor = start;
    // Stryker disable next-line EqualityOperator: equivalent, no secret ends with a line break (a span never ends exactly where a line starts)
    while (k < spans.length && spans[k].end <= start) k++;
    // Stryker disable next-line EqualityOperator: equivalent, no secret starts with a line break
    for (let j = k; j < spans.length && spans[j].start < end; j++) {
      const from = Math.max(spans[j].start, start);
      // Stryker disable next-line ConditionalExpression: equivalent, the spans no longer overlap here
      if (from < cursor) continue;
      out += text.slice(cursor, from) + REDACTION_MARK(spans[j].kind);
      cursor = Math.min(spans[j].end, end);
    }
    lines.push(out + text.slice(cursor, end));
    start = end + 1;
  }
  return lines;
}

/** Redacts secrets in `text`, and any of `known` secret values wherever they appear in it. */
export function redactWithKnown(text: string, known: readonly { kind: string; value: string }[]): RedactResult {
  let scrubbed = text;
  const findings: Redaction[] = [];
  for (const k of known) {
    if (k.value.length < 6 || !scrubbed.includes(k.value)) continue;
    scrubbed = scrubbed.split(k.value).join(REDACTION_MARK(k.kind));
    findings.push({ kind: k.kind, line: 1 });
  }
  const rest = redactSecrets(scrubbed);
  return { text: rest.text, findings: [...findings, ...rest.findings], values: rest.values };
}
