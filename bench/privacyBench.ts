/** Privacy numbers: redaction throughput over source text with a few secrets in it. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { redactSecrets } from '../src/core/privacy/redact';
import type { Measured } from './providerBench';

export function redactionThroughput(megabytes = 20): Measured[] {
  // Real source files of this project, with a secret sprinkled in now and then.
  const root = path.resolve(__dirname, '..', '..');
  const files = ['src/core/agent/BackgroundAgent.ts', 'src/core/budget/BudgetGovernor.ts', 'src/core/providers/openaiBackend.ts', 'webview-ui/src/main.ts'];
  const source = files.map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
  const chunk = `${source}\nconst apiKey = "f3a9c81b7e2d4a6f9b0c";\n// AKIAIOSFODNN7EXAMPLQ\n`;
  const text = chunk.repeat(Math.ceil((megabytes * 1e6) / chunk.length));
  const started = performance.now();
  const { findings } = redactSecrets(text);
  const seconds = (performance.now() - started) / 1000;
  if (findings.length === 0) throw new Error('the benchmark text should contain secrets');
  return [{ metric: 'secret redaction throughput', measured: text.length / 1e6 / seconds, unit: 'MB/s', target: 20, kind: 'min' }];
}
