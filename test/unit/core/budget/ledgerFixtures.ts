import type { LedgerEntry } from '../../../../src/core/budget/ledgerEntry';

export function entry(over: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    v: 1,
    at: '2026-11-21T12:00:00.000Z',
    workspace: '/ws',
    taskId: 't1',
    taskKind: 'fix',
    backend: 'MiniMax',
    model: 'MiniMax-M2.7',
    role: 'background',
    inputTokens: 1000,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 200,
    reasoningTokens: 50,
    costUsd: 0.00054,
    costSource: 'price-table',
    outcome: 'proposal',
    ...over,
  };
}
