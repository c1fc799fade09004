/**
 * Nightshift's behaviour before the tuner, kept as the benchmark's baseline: every task runs the
 * standard recipe, and a kind whose proposals are mostly rejected (under 25% after 10 decisions)
 * is triggered one signal in three.
 */

/** Decisions needed before a kind is judged. */
const MIN_DECISIONS = 10;
/** Below this share of accepted proposals a kind is low-yield. */
const LOW_YIELD = 0.25;
const SAMPLE_EVERY = 3;

export class FixedRule {
  private readonly counts = new Map<string, { accepted: number; rejected: number }>();
  private readonly skipped = new Map<string, number>();

  constructor(private readonly alwaysTrigger: () => readonly string[] = () => []) {}

  /** Replaces the counts with the ledger's (this budget year's decisions). */
  load(accepted: Record<string, number>, rejected: Record<string, number>): void {
    this.counts.clear();
    for (const kind of new Set([...Object.keys(accepted), ...Object.keys(rejected)])) {
      this.counts.set(kind, { accepted: accepted[kind] ?? 0, rejected: rejected[kind] ?? 0 });
    }
  }

  record(kind: string, accepted: boolean): void {
    const c = this.counts.get(kind) ?? { accepted: 0, rejected: 0 };
    if (accepted) c.accepted++;
    else c.rejected++;
    this.counts.set(kind, c);
  }

  isLowYield(kind: string): boolean {
    if (this.alwaysTrigger().includes(kind)) return false;
    const c = this.counts.get(kind);
    if (!c || c.accepted + c.rejected < MIN_DECISIONS) return false;
    return c.accepted / (c.accepted + c.rejected) < LOW_YIELD;
  }

  /** Whether a new task of this kind is queued now: always, or one in three for a low-yield kind. */
  admit(kind: string): boolean {
    if (!this.isLowYield(kind)) return true;
    const n = (this.skipped.get(kind) ?? 0) + 1;
    this.skipped.set(kind, n % SAMPLE_EVERY);
    return n % SAMPLE_EVERY === 0;
  }
}
