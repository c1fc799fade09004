/** The ledger as CSV (one row per call or decision) or JSON, for spreadsheets and scripts. */
import type { DecisionEntry, LedgerEntry } from './ledgerEntry';

const COLUMNS = ['at', 'kind', 'workspace', 'taskId', 'taskKind', 'backend', 'model', 'role', 'inputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens', 'costUsd', 'costSource', 'outcome', 'proposalId', 'decision', 'reason'] as const;

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  // Quote what needs it; a leading formula character is neutralised for spreadsheet safety.
  const safe = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function ledgerToCsv(calls: readonly LedgerEntry[], decisions: readonly DecisionEntry[]): string {
  const rows: Array<Record<string, unknown>> = [...calls.map((c) => ({ ...c, kind: 'call' })), ...decisions.map((d) => ({ ...d, kind: 'decision' }))].sort((a, b) => String(a.at).localeCompare(String(b.at)));
  return [COLUMNS.join(','), ...rows.map((r) => COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

export function ledgerToJson(calls: readonly LedgerEntry[], decisions: readonly DecisionEntry[]): string {
  return JSON.stringify({ calls, decisions }, null, 2) + '\n';
}
