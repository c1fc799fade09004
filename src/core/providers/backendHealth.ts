/**
 * Per-backend health over the last hour (calls, errors, median latency, tokens/s), so a user can
 * see whether the local server or the API is the slow part. Samples older than the window are
 * pruned on each record; nothing runs on a timer.
 */
import type { BackendHealthSummary } from '../../shared/types';

export interface HealthSample {
  backend: string;
  at: number;
  ok: boolean;
  latencyMs: number;
  outputTokensPerSecond: number | null;
}

const WINDOW_MS = 60 * 60 * 1000;
/** Bounds memory under a storm of calls: the newest samples win. */
const MAX_SAMPLES = 5000;

export class BackendHealth {
  private samples: HealthSample[] = [];

  record(sample: HealthSample): void {
    this.samples.push(sample);
    this.prune(sample.at);
  }

  summary(now: number, pausedUntil: (backend: string) => number | undefined = () => undefined): BackendHealthSummary[] {
    this.prune(now);
    const by = new Map<string, HealthSample[]>();
    for (const s of this.samples) {
      const list = by.get(s.backend) ?? [];
      list.push(s);
      by.set(s.backend, list);
    }
    return [...by.entries()].map(([backend, list]) => {
      const until = pausedUntil(backend);
      return {
        backend,
        calls: list.length,
        errors: list.filter((s) => !s.ok).length,
        medianLatencyMs: median(list.filter((s) => s.ok).map((s) => s.latencyMs)),
        tokensPerSecond: median(list.map((s) => s.outputTokensPerSecond).filter((v): v is number => v !== null)),
        ...(until !== undefined && until > now ? { pausedUntil: new Date(until).toISOString() } : {}),
      };
    });
  }

  private prune(now: number): void {
    const cutoff = now - WINDOW_MS;
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop].at < cutoff) drop++;
    if (this.samples.length - drop > MAX_SAMPLES) drop = this.samples.length - MAX_SAMPLES;
    if (drop > 0) this.samples = this.samples.slice(drop);
  }
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
