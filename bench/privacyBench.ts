/**
 * Privacy numbers: redaction throughput over source text with a few secrets in it, and the share
 * of the secret corpus's fake secrets caught and of its look-alikes flagged (test/harness/secretCorpus.ts).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { redactSecrets } from '../src/core/privacy/redact';
import { lookAlikes, secretCases } from '../test/harness/secretCorpus';
import type { Measured } from './providerBench';

/** Caught: the value is gone and no 12-character piece of it is left (as the unit test counts). */
function caught(text: string, secret: string): boolean {
  const out = redactSecrets(text).text;
  for (let i = 0; i + 12 <= secret.length; i++) if (out.includes(secret.slice(i, i + 12))) return false;
  return !out.includes(secret);
}

export function secretCorpusRows(): Measured[] {
  const cases = secretCases();
  const looks = lookAlikes();
  const recall = cases.filter((c) => caught(c.text, c.secret)).length / cases.length;
  const flagged = looks.filter((l) => redactSecrets(l.text).findings.length > 0).length / looks.length;
  return [
    { metric: `secrets caught (corpus: ${cases.length} in ${new Set(cases.map((c) => c.format)).size} formats)`, measured: recall * 100, unit: '%', target: 98, kind: 'min' },
    { metric: `look-alikes redacted (corpus: ${looks.length})`, measured: flagged * 100, unit: '%', target: 2, kind: 'max' },
  ];
}

export function redactionThroughput(megabytes = 20): Measured[] {
  // Real source files of this project, with a secret sprinkled in now and then.
  const root = path.resolve(__dirname, '..', '..');
  const files = ['src/core/agent/BackgroundAgent.ts', 'src/core/budget/BudgetGovernor.ts', 'src/core/providers/openaiBackend.ts', 'webview-ui/src/main.ts'];
  const source = files.map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
  const chunk = `${source}\nconst apiKey = "f3a9c81b7e2d4a6f9b0c";\n// AKIAIOSFODNN7EXAMPLQ\n`;
  // One flat string, as a file read or an editor's message gives: `repeat` alone builds a tree of
  // pieces, which costs the redactor's character-by-character pass an indirection no real text has.
  const text = Buffer.from(chunk.repeat(Math.ceil((megabytes * 1e6) / chunk.length))).toString('utf8');
  const started = performance.now();
  const { findings } = redactSecrets(text);
  const seconds = (performance.now() - started) / 1000;
  if (findings.length === 0) throw new Error('the benchmark text should contain secrets');
  return [{ metric: 'secret redaction throughput', measured: text.length / 1e6 / seconds, unit: 'MB/s', target: 20, kind: 'min' }];
}
