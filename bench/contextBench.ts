/**
 * Context numbers: over real TypeScript files of this repository, each with a problem reported in
 * its middle, how many prompt tokens a fix task sends (system prompt, this repository's real
 * workspace facts, the excerpt, the problem) against a "whole file plus two open files" baseline,
 * and how much of each prompt is a byte-identical prefix shared with the previous task (what
 * providers bill at the cached rate).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { buildTaskMessages, SYSTEM_PROMPT } from '../src/core/agent/taskPrompt';
import { estimateTokens } from '../src/core/providers/modelBackend';
import { WorkspaceContext } from '../src/core/context/WorkspaceContext';
import { WorkspaceFiles } from '../src/core/context/WorkspaceFiles';
import { PrivacyGate } from '../src/core/privacy/PrivacyGate';
import type { Measured } from './providerBench';

const FILES = [
  'src/core/agent/BackgroundAgent.ts',
  'src/core/budget/BudgetGovernor.ts',
  'src/core/providers/openaiBackend.ts',
  'src/core/budget/SpendLedger.ts',
  'src/core/verify/TypeScriptVerifier.ts',
  'src/core/agent/runTask.ts',
  'src/core/edits/searchReplace.ts',
  'webview-ui/src/main.ts',
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export async function contextSize(repoRoot: string): Promise<Measured[]> {
  const gate = new PrivacyGate({ gitignore: readFileSync(path.join(repoRoot, '.gitignore'), 'utf8') });
  const facts = await new WorkspaceContext(new WorkspaceFiles(repoRoot), undefined).facts(gate, false);
  const texts = FILES.map((f) => readFileSync(path.join(repoRoot, f), 'utf8'));
  const ratios: number[] = [];
  const prefixShares: number[] = [];
  let previous = '';
  texts.forEach((text, i) => {
    const lines = text.split('\n');
    const line = Math.floor(lines.length / 2);
    const messages = buildTaskMessages('fix', {
      uri: `file:///ws/${FILES[i]}`,
      relativePath: FILES[i],
      languageId: 'typescript',
      text,
      diagnostics: [{ message: "Type 'string' is not assignable to type 'number'.", severity: 'error', source: 'ts', code: '2322', range: { startLine: line, startCharacter: 2, endLine: line, endCharacter: 10 } }],
    }, { facts });
    const prompt = messages.map((m) => m.content).join('\n');
    const open = [texts[(i + 1) % texts.length], texts[(i + 2) % texts.length]];
    const baseline = [SYSTEM_PROMPT, text, ...open].join('\n');
    ratios.push(estimateTokens(prompt) / estimateTokens(baseline));
    if (previous) prefixShares.push(commonPrefix(previous, prompt) / prompt.length);
    previous = prompt;
  });
  return [
    { metric: `fix prompt vs whole file + open files, median of ${FILES.length} files`, measured: 100 * median(ratios), unit: '%', target: 30, kind: 'max' },
    { metric: 'byte-identical prefix across consecutive tasks, median', measured: 100 * median(prefixShares), unit: '%', target: 60, kind: 'min' },
  ];
}
