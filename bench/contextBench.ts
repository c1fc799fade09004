/**
 * Context numbers: how many prompt tokens a fix task sends (system prompt, the workspace's facts,
 * the excerpt, the problem) against a "whole file plus two open files" baseline, and how much of
 * each prompt is a byte-identical prefix shared with the previous task (what providers bill at the
 * cached rate) — over the fixture project's real compiler errors (test/fixtures/context-tasks),
 * and over files of this repository with a problem placed mid-file.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as path from 'node:path';
import { buildTaskMessages, SYSTEM_PROMPT } from '../src/core/agent/taskPrompt';
import * as ts from 'typescript';
import { estimateTokens } from '../src/core/providers/modelBackend';
import type { DiagnosticInfo } from '../src/shared/agentProtocol';
import { WorkspaceContext } from '../src/core/context/WorkspaceContext';
import { WorkspaceFiles } from '../src/core/context/WorkspaceFiles';
import { PrivacyGate } from '../src/core/privacy/PrivacyGate';
import type { Measured } from './providerBench';

const FILES = ['src/core/agent/BackgroundAgent.ts', 'src/core/budget/BudgetGovernor.ts', 'src/core/providers/openaiBackend.ts', 'src/core/budget/SpendLedger.ts', 'src/core/verify/TypeScriptVerifier.ts', 'src/core/agent/runTask.ts', 'src/core/edits/searchReplace.ts', 'webview-ui/src/main.ts'];

/** The first build of the workspace facts (listing, reading, mapping) on a 20,000-file workspace: paid once an hour, by the first task. */
async function factsBuild(files = 20_000): Promise<Measured[]> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'nightshift-facts-'));
  for (let d = 0; d < files / 100; d++) {
    mkdirSync(path.join(root, `src/dir${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) writeFileSync(path.join(root, `src/dir${d}`, `f${f}.ts`), `export function f${f}(a: number): number {\n  return a + ${f};\n}\nexport const v${f} = ${f};\n`);
  }
  try {
    const stalls = monitorEventLoopDelay({ resolution: 5 });
    stalls.enable();
    const t = performance.now();
    const facts = await new WorkspaceContext(new WorkspaceFiles(root), undefined).facts(new PrivacyGate(), false);
    const ms = performance.now() - t;
    stalls.disable();
    if (!facts.includes('Top-level declarations')) throw new Error('the facts have no declaration map');
    return [
      { metric: `workspace facts, first build, ${files.toLocaleString('en-US')}-file workspace (no target)`, measured: ms, unit: 'ms', target: Infinity, kind: 'max' },
      { metric: 'workspace facts build: longest event-loop stall (no target)', measured: stalls.max / 1e6, unit: 'ms', target: Infinity, kind: 'max' },
    ];
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

interface ContextTask {
  relativePath: string;
  text: string;
  diagnostics: DiagnosticInfo[];
}

/** Prompt size against the baseline (the task's file plus the next two as open files) and the shared prefix, per task. */
function measure(tasks: ContextTask[], facts: string): { ratio: number; prefix: number } {
  const ratios: number[] = [];
  const prefixShares: number[] = [];
  let previous = '';
  tasks.forEach((task, i) => {
    const messages = buildTaskMessages('fix', { uri: `file:///ws/${task.relativePath}`, relativePath: task.relativePath, languageId: 'typescript', text: task.text, diagnostics: task.diagnostics }, { facts });
    const prompt = messages.map((m) => m.content).join('\n');
    const open = [tasks[(i + 1) % tasks.length].text, tasks[(i + 2) % tasks.length].text];
    const baseline = [SYSTEM_PROMPT, task.text, ...open].join('\n');
    ratios.push(estimateTokens(prompt) / estimateTokens(baseline));
    if (previous) prefixShares.push(commonPrefix(previous, prompt) / prompt.length);
    previous = prompt;
  });
  return { ratio: 100 * median(ratios), prefix: 100 * median(prefixShares) };
}

/** The fixture project's files that have compiler errors, with the errors TypeScript reports. */
function fixtureTasks(root: string): ContextTask[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) throw new Error(`${root}/tsconfig.json could not be read`);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const byFile = new Map<string, DiagnosticInfo[]>();
  for (const d of ts.getPreEmitDiagnostics(program)) {
    if (!d.file || d.start === undefined) continue;
    const start = d.file.getLineAndCharacterOfPosition(d.start);
    const end = d.file.getLineAndCharacterOfPosition(d.start + (d.length ?? 0));
    const list = byFile.get(d.file.fileName) ?? [];
    list.push({ message: ts.flattenDiagnosticMessageText(d.messageText, ' '), severity: 'error', source: 'ts', code: String(d.code), range: { startLine: start.line, startCharacter: start.character, endLine: end.line, endCharacter: end.character } });
    byFile.set(d.file.fileName, list);
  }
  return [...byFile].sort(([a], [b]) => a.localeCompare(b)).map(([file, diagnostics]) => ({ relativePath: path.relative(root, file), text: readFileSync(file, 'utf8'), diagnostics }));
}

export async function contextSize(repoRoot: string): Promise<Measured[]> {
  // The measure: the fixture project's real compiler errors, with that project's facts.
  const fixture = path.join(repoRoot, 'test', 'fixtures', 'context-tasks');
  const tasks = fixtureTasks(fixture);
  const fixtureFacts = await new WorkspaceContext(new WorkspaceFiles(fixture), undefined).facts(new PrivacyGate(), false);
  const onFixtures = measure(tasks, fixtureFacts);
  // A larger, real workspace: this repository's files, a problem placed mid-file, this repository's facts.
  const gate = new PrivacyGate({ gitignore: readFileSync(path.join(repoRoot, '.gitignore'), 'utf8') });
  const repoFacts = await new WorkspaceContext(new WorkspaceFiles(repoRoot), undefined).facts(gate, false);
  const repoTasks = FILES.map((f) => {
    const text = readFileSync(path.join(repoRoot, f), 'utf8');
    const line = Math.floor(text.split('\n').length / 2);
    const diagnostics: DiagnosticInfo[] = [{ message: "Type 'string' is not assignable to type 'number'.", severity: 'error', source: 'ts', code: '2322', range: { startLine: line, startCharacter: 2, endLine: line, endCharacter: 10 } }];
    return { relativePath: f, text, diagnostics };
  });
  const onRepo = measure(repoTasks, repoFacts);
  return [
    ...(await factsBuild()),
    { metric: `fix prompt vs whole file + open files, median of ${tasks.length} fixture tasks (real tsc errors)`, measured: onFixtures.ratio, unit: '%', target: 30, kind: 'max' },
    { metric: 'byte-identical prefix across consecutive fixture tasks, median', measured: onFixtures.prefix, unit: '%', target: 60, kind: 'min' },
    { metric: `fix prompt vs whole file + open files, median of ${FILES.length} files of this repository`, measured: onRepo.ratio, unit: '%', target: 30, kind: 'max' },
    { metric: 'byte-identical prefix across consecutive tasks in this repository, median', measured: onRepo.prefix, unit: '%', target: 60, kind: 'min' },
  ];
}
