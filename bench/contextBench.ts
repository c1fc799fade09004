/**
 * Context numbers: over real TypeScript files of this repository, each with a problem reported in
 * its middle, how many prompt tokens a fix task sends (system prompt, this repository's real
 * workspace facts, the excerpt, the problem) against a "whole file plus two open files" baseline,
 * and how much of each prompt is a byte-identical prefix shared with the previous task (what
 * providers bill at the cached rate).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
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

/** The first build of the workspace facts (listing, reading, mapping) on a 20,000-file workspace: paid once an hour, by the first task. */
async function factsBuild(files = 20_000): Promise<Measured[]> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nightshift-facts-'));
  for (let d = 0; d < files / 100; d++) {
    mkdirSync(path.join(root, `src/dir${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(path.join(root, `src/dir${d}`, `f${f}.ts`), `export function f${f}(a: number): number {\n  return a + ${f};\n}\nexport const v${f} = ${f};\n`);
  }
  try {
    const t = performance.now();
    const facts = await new WorkspaceContext(new WorkspaceFiles(root), undefined).facts(new PrivacyGate(), false);
    const ms = performance.now() - t;
    if (!facts.includes('Top-level declarations')) throw new Error('the facts have no declaration map');
    return [{ metric: `workspace facts, first build, ${files.toLocaleString('en-US')}-file workspace (no target)`, measured: ms, unit: 'ms', target: Infinity, kind: 'max' }];
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

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
    ...(await factsBuild()),
    { metric: `fix prompt vs whole file + open files, median of ${FILES.length} files`, measured: 100 * median(ratios), unit: '%', target: 30, kind: 'max' },
    { metric: 'byte-identical prefix across consecutive tasks, median', measured: 100 * median(prefixShares), unit: '%', target: 60, kind: 'min' },
  ];
}
