/** A recording AgentHost over the real provider, budget and ledger, for the agent's tests. */
import * as fs from 'node:fs';
import { after, before } from 'node:test';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_AGENT_SETTINGS, type AgentHost } from '../../../../src/core/agent/BackgroundAgent';
import { BudgetGovernor, DEFAULT_BUDGET, type BudgetSettings } from '../../../../src/core/budget/BudgetGovernor';
import { SpendAccountant } from '../../../../src/core/budget/SpendAccountant';
import { SpendLedger } from '../../../../src/core/budget/SpendLedger';
import type { WorkspaceContext } from '../../../../src/core/context/WorkspaceContext';
import { PrivacyGate, type PrivacyRules } from '../../../../src/core/privacy/PrivacyGate';
import { OpenAIBackend } from '../../../../src/core/providers/openaiBackend';
import { priceFor } from '../../../../src/core/providers/pricing';
import { noVerifier, type Verifier } from '../../../../src/core/verify/Verifier';
import type { SettledDiagnosticsParams } from '../../../../src/shared/agentProtocol';
import type { AgentStatus, EscalationItem, Proposal } from '../../../../src/shared/types';
import { FakeModelServer } from '../../../fakes/fakeModelServer';

export const TEXT = 'export const answer: number = "42";\n';
export const FIX = ['TITLE: Make answer a number', 'WHY: a string was assigned to a number', '<<<<<<< SEARCH', 'export const answer: number = "42";', '=======', 'export const answer: number = 42;', '>>>>>>> REPLACE'].join('\n');

export function signal(text = TEXT, uri = 'file:///ws/src/a.ts'): SettledDiagnosticsParams {
  return {
    uri,
    relativePath: uri.slice('file:///ws/'.length),
    languageId: 'typescript',
    text,
    diagnostics: [
      {
        message: "Type 'string' is not assignable to type 'number'.",
        severity: 'error',
        source: 'ts',
        code: '2322',
        range: { startLine: 0, startCharacter: 13, endLine: 0, endCharacter: 19 },
      },
    ],
  };
}

const openLedgers: SpendLedger[] = [];

/** The loopback model server for a suite: started before its tests; it, and the ledgers they opened, closed after. */
export function loopbackModel(): { server: FakeModelServer; url: () => string } {
  const server = new FakeModelServer();
  let url = '';
  before(async () => {
    url = await server.start();
  });
  after(async () => {
    await server.close();
    await Promise.all(openLedgers.splice(0).map((l) => l.close()));
  });
  return { server, url: () => url };
}

/** A host that records what the agent reports and lets a test wait for it. */
export function recordingHost(
  baseURL: () => string | undefined,
  budget: Partial<BudgetSettings> = {},
  rules: PrivacyRules = {},
  verifier: Verifier = noVerifier,
  workspace?: WorkspaceContext | WorkspaceContext[],
  /** The escalation profile's server (GPT-5.4 prices), if one is set. */
  escalationURL: () => string | undefined = () => undefined,
) {
  const gate = new PrivacyGate(rules);
  const quiet = { value: '' };
  const schedule = { workHours: '', onlyWhenIdle: false };
  const concurrency = { value: 1 };
  const clock = { now: new Date('2026-11-21T12:00:00Z') };
  const ledger = new SpendLedger(fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-agent-')));
  openLedgers.push(ledger);
  const governor = new BudgetGovernor({ ...DEFAULT_BUDGET, ...budget }, () => clock.now.getTime());
  const spend = new SpendAccountant(governor, ledger, '/ws', () => clock.now);
  const statuses: AgentStatus[] = [];
  let proposals: Proposal[] = [];
  let escalations: EscalationItem[] = [];
  const logs: string[] = [];
  const messages: string[] = [];
  let listeners: Array<() => void> = [];
  const changed = () => {
    const l = listeners;
    listeners = [];
    l.forEach((f) => f());
  };
  let n = 0;
  /** Timers the agent set; a test fires them instead of waiting. */
  const timers: Array<{ ms: number; fn: () => void }> = [];
  const host: AgentHost = {
    resolveBackend: async ({ role }) => {
      if (role === 'escalation') {
        const esc = escalationURL();
        return esc ? { backend: new OpenAIBackend({ baseURL: esc, apiKey: 'k', model: 'gpt-5.4', displayName: 'OpenAI', price: priceFor('gpt-5.4'), local: false }) } : { setupNeeded: 'No escalation profile is chosen. Set nightshift.escalationProfile.', action: 'openSettings' as const };
      }
      const url = baseURL();
      return url ? { backend: new OpenAIBackend({ baseURL: url, apiKey: 'k', model: 'MiniMax-M2.7', displayName: 'the local server', price: priceFor('MiniMax-M2.7') }) } : { setupNeeded: "No API key for MiniMax. Run 'Nightshift: Set API Key'.", action: 'setApiKey' as const };
    },
    maxCompletionTokens: async () => 2048,
    spend,
    privacy: () => gate,
    verifier,
    approveCost: async () => true,
    onStatus: (s) => {
      statuses.push(s);
      changed();
    },
    onEscalations: (items) => {
      escalations = items;
      changed();
    },
    onProposals: (p) => {
      proposals = p;
      changed();
    },
    onUserMessage: (_level, message) => messages.push(message),
    log: (_level, message) => logs.push(message),
    now: () => clock.now,
    newId: () => `p${++n}`,
    setTimer: (ms, fn) => {
      timers.push({ ms, fn });
      return () =>
        timers.splice(
          timers.findIndex((t) => t.fn === fn),
          1,
        );
    },
    health: () => [],
    settings: () => ({ ...DEFAULT_AGENT_SETTINGS, concurrency: concurrency.value, quietHours: quiet.value, ...schedule }),
    workspaces: workspace === undefined ? [] : Array.isArray(workspace) ? workspace : [workspace],
  };
  const until = async (cond: () => boolean) => {
    while (!cond()) await new Promise<void>((resolve) => listeners.push(resolve));
  };
  return { host, clock, quiet, schedule, concurrency, ledger, timers, statuses, logs, messages, proposals: () => proposals, escalations: () => escalations, until, last: (): AgentStatus => statuses[statuses.length - 1] ?? { state: 'idle', detail: '', spendTodayUsd: 0, queued: 0 } };
}
