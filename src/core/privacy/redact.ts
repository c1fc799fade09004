/**
 * Takes secrets out of text before it leaves the machine. Each secret is replaced by a marker
 * naming its kind; the findings say what kind and which line, never the value.
 */
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

/** Where the secrets in `text` are: earlier and longer spans win where patterns overlap. */
function secretSpans(text: string): Array<{ start: number; end: number; kind: string }> {
  const spans: Array<{ start: number; end: number; kind: string }> = [];
  for (const p of SECRET_PATTERNS) {
    // Stryker disable next-line ConditionalExpression: equivalent, the hints only skip scanning a text that cannot match
    if (p.hints && !p.hints.some((h) => text.includes(h))) continue;
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      // Stryker disable next-line all: equivalent, no pattern matches empty text (the guard keeps a future one from looping)
      if (m[0].length === 0) {
        p.re.lastIndex++;
        continue;
      }
      const value = m[p.group ?? 0];
      // Stryker disable next-line ConditionalExpression: the `value === undefined` half is equivalent (a matched group is defined); the `accept` half is killed
      if (value === undefined || (p.accept && !p.accept(value))) continue;
      const start = m.index + (p.group ? m[0].indexOf(value) : 0);
      spans.push({ start, end: start + value.length, kind: p.kind });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: typeof spans = [];
  for (const s of spans) if (kept.length === 0 || s.start >= kept[kept.length - 1].end) kept.push(s);
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
