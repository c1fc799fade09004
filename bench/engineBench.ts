/**
 * Engine numbers: an event storm (a branch switch re-reporting 20,000 files, all unchanged since
 * their last check; half with errors, half without, which takes the saved-changes review path)
 * against the real agent, and the overhead from a settled signal to the model request leaving
 * (workspace facts of this repository included), through the real provider to the loopback server.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BackgroundAgent, DEFAULT_AGENT_SETTINGS, type AgentHost } from '../src/core/agent/BackgroundAgent';
import { BudgetGovernor, DEFAULT_BUDGET } from '../src/core/budget/BudgetGovernor';
import { SpendAccountant } from '../src/core/budget/SpendAccountant';
import { SpendLedger } from '../src/core/budget/SpendLedger';
import { PrivacyGate } from '../src/core/privacy/PrivacyGate';
import { OpenAIBackend } from '../src/core/providers/openaiBackend';
import { priceFor } from '../src/core/providers/pricing';
import { noVerifier } from '../src/core/verify/Verifier';
import type { SettledDiagnosticsParams } from '../src/shared/agentProtocol';
import { FakeModelServer } from '../test/fakes/fakeModelServer';
import { WorkspaceContext } from '../src/core/context/WorkspaceContext';
import { WorkspaceFiles } from '../src/core/context/WorkspaceFiles';
import type { Measured } from './providerBench';

/** The agent's view of this repository: real files, real git. */
const repoWorkspace = () => new WorkspaceContext(new WorkspaceFiles(path.resolve(__dirname, '..', '..')), undefined);

/** Ledgers the benchmarks opened, closed when they end. */
const ledgers: SpendLedger[] = [];

function host(baseURL: string, onIdle: () => void, workspace?: WorkspaceContext): AgentHost {
  const ledger = new SpendLedger(fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-engine-')));
  ledgers.push(ledger);
  const spend = new SpendAccountant(new BudgetGovernor(DEFAULT_BUDGET, () => Date.now()), ledger, 'bench');
  const gate = new PrivacyGate();
  return {
    resolveBackend: async () => ({ backend: new OpenAIBackend({ baseURL, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'bench', price: priceFor('MiniMax-M2.7') }) }),
    maxCompletionTokens: async () => 2048,
    spend,
    privacy: () => gate,
    verifier: noVerifier,
    approveCost: async () => true,
    onStatus: (s) => s.state === 'idle' && s.queued === 0 && onIdle(),
    onProposals: () => undefined,
    onEscalations: () => undefined,
    onUserMessage: () => undefined,
    log: () => undefined,
    now: () => new Date(),
    newId: () => Math.random().toString(36).slice(2),
    setTimer: (ms, fn) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    health: () => [],
    settings: () => ({ ...DEFAULT_AGENT_SETTINGS, concurrency: 1 }),
    workspaces: workspace ? [workspace] : [],
  };
}

function signal(i: number, text: string, withError = true): SettledDiagnosticsParams {
  return {
    uri: `file:///ws/src/f${i}.ts`,
    relativePath: `src/f${i}.ts`,
    languageId: 'typescript',
    text,
    diagnostics: withError ? [{ message: "Type 'string' is not assignable to type 'number'.", severity: 'error', code: '2322', range: { startLine: 0, startCharacter: 13, endLine: 0, endCharacter: 19 } }] : [],
  };
}

export async function eventStorm(files = 20_000): Promise<Measured[]> {
  const server = new FakeModelServer();
  const url = await server.start();
  server.respondWith(() => ({ content: 'TITLE: none' }));
  let idle: () => void = () => undefined;
  const agent = new BackgroundAgent(host(url, () => idle(), repoWorkspace()));
  const text = (i: number) => `export const v${i}: number = "${i}";\n`;
  // Warm-up: every file checked once (the model is asked once per file), then the storm repeats them unchanged.
  const warm = 200;
  const done = new Promise<void>((r) => (idle = r));
  for (let i = 0; i < warm; i++) agent.onSettledDiagnostics(signal(i, text(i), i % 2 === 0));
  await done;
  // Let the first reads of the files' committed versions (for reviews) finish.
  await new Promise((r) => setTimeout(r, 1000));
  const callsBefore = server.chatRequests().length;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  for (let i = 0; i < files; i++) agent.onSettledDiagnostics(signal(i % warm, text(i % warm), i % 2 === 0));
  const used = process.cpuUsage(cpu);
  const rssGrowth = (process.memoryUsage().rss - rssBefore) / 1e6;
  const calls = server.chatRequests().length - callsBefore;
  agent.dispose();
  await server.close();
  await Promise.all(ledgers.splice(0).map((l) => l.close()));
  return [
    { metric: `event storm: ${files.toLocaleString('en-US')} settled signals, unchanged content, CPU`, measured: (used.user + used.system) / 1000, unit: 'ms', target: 1000, kind: 'max' },
    { metric: 'event storm: model calls for unchanged content', measured: calls, unit: 'calls', target: 0, kind: 'max' },
    { metric: 'event storm: memory growth', measured: Math.max(0, rssGrowth), unit: 'MB', target: 50, kind: 'max' },
  ];
}

export async function pipelineOverhead(runs = 100): Promise<Measured[]> {
  const server = new FakeModelServer();
  const url = await server.start();
  server.respondWith(() => ({ content: 'TITLE: none' }));
  let idle: () => void = () => undefined;
  const agent = new BackgroundAgent(host(url, () => idle(), repoWorkspace()));
  const samples: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    const done = new Promise<void>((r) => (idle = r));
    const before = server.chatRequests().length;
    const t = performance.now();
    agent.onSettledDiagnostics(signal(1_000_000 + i, `export const v: number = "${i}";\n`));
    await server.waitForChatRequests(before + 1);
    const arrived = server.timings[server.timings.length - 1].receivedAt;
    if (i >= 10) samples.push(arrived - t);
    await done;
  }
  agent.dispose();
  await server.close();
  await Promise.all(ledgers.splice(0).map((l) => l.close()));
  samples.sort((a, b) => a - b);
  return [{ metric: `settled signal to model request sent, p50 of ${runs}`, measured: samples[Math.floor(samples.length / 2)], unit: 'ms', target: 20, kind: 'max' }];
}
