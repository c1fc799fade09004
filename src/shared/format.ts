import type { BackendHealthSummary } from './types';

/** Money for people: cents when there are dollars, hundredths of a cent when there are not. */
/** What the ledger's task kinds are called where people read them (the Budget view, `nightshift budget`). */
const TASK_KIND_LABEL: Record<string, string> = {
  fix: 'fixes',
  todo: 'marker comments',
  review: 'reviews',
  refactor: 'refactors',
  connectionTest: 'connection tests',
  escalation: 'escalations',
};

export function taskKindLabel(kind: string): string {
  return TASK_KIND_LABEL[kind] ?? kind;
}

export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  const digits = Math.abs(usd) < 1 ? 4 : 2;
  return `${usd < 0 ? '-' : ''}$${Math.abs(usd).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/**
 * Amounts read side by side in one sentence ("has $0.0004 left; this call may cost up to $0.0012"):
 * all with the same digits — cents, or hundredths of a cent when one is below a cent, more (up to
 * 8) when those still read alike — so two different amounts never read the same and one above zero
 * never reads $0.00. Zero itself reads $0.00.
 */
export function formatUsdAlike(...amounts: number[]): string[] {
  const nonzero = amounts.filter((a) => a !== 0).map(Math.abs);
  let digits = nonzero.length > 0 && Math.min(...nonzero) < 0.01 ? 4 : 2;
  const reads = (d: number) => amounts.map((a) => Math.abs(a).toFixed(d));
  for (; digits < 8; digits++) {
    const shown = reads(digits);
    const apart = amounts.every((a, i) => amounts.every((b, j) => a === b || shown[i] !== shown[j]));
    const aboveZero = amounts.every((a, i) => a === 0 || Number(shown[i]) !== 0);
    if (apart && aboveZero) break;
  }
  return amounts.map((a) => (a === 0 ? '$0.00' : `${a < 0 ? '-' : ''}$${Math.abs(a).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`));
}

/** One line per backend: "MiniMax: 12 calls, 1 error, median 2.4 s, 61 tok/s". */
export function formatBackendHealth(h: BackendHealthSummary): string {
  const parts = [`${h.calls} call${h.calls === 1 ? '' : 's'}`, `${h.errors} error${h.errors === 1 ? '' : 's'}`];
  if (h.medianLatencyMs !== null) parts.push(`median ${h.medianLatencyMs < 1000 ? `${Math.round(h.medianLatencyMs)} ms` : `${(h.medianLatencyMs / 1000).toFixed(1)} s`}`);
  if (h.tokensPerSecond !== null) parts.push(`${Math.round(h.tokensPerSecond)} tok/s`);
  if (h.pausedUntil) parts.push(`paused until ${new Date(h.pausedUntil).toLocaleTimeString()}`);
  return `${h.backend}: ${parts.join(', ')}`;
}
