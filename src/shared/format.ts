import type { BackendHealthSummary } from './types';

/** Money for people: cents when there are dollars, hundredths of a cent when there are not. */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0.00';
  const digits = Math.abs(usd) < 1 ? 4 : 2;
  return `${usd < 0 ? '-' : ''}$${Math.abs(usd).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** One line per backend: "MiniMax: 12 calls, 1 error, median 2.4 s, 61 tok/s". */
export function formatBackendHealth(h: BackendHealthSummary): string {
  const parts = [`${h.calls} call${h.calls === 1 ? '' : 's'}`, `${h.errors} error${h.errors === 1 ? '' : 's'}`];
  if (h.medianLatencyMs !== null) parts.push(`median ${h.medianLatencyMs < 1000 ? `${Math.round(h.medianLatencyMs)} ms` : `${(h.medianLatencyMs / 1000).toFixed(1)} s`}`);
  if (h.tokensPerSecond !== null) parts.push(`${Math.round(h.tokensPerSecond)} tok/s`);
  if (h.pausedUntil) parts.push(`paused until ${new Date(h.pausedUntil).toLocaleTimeString()}`);
  return `${h.backend}: ${parts.join(', ')}`;
}
