/**
 * The team's gateway budget as this process knows it — the one counter all the team's machines
 * share. Read after every call, every few minutes, and again before a call its last reading cannot
 * cover is refused. A reading counts what the gateway had billed when the read *started*: the
 * governor takes off everything booked since (by any process: the shared ledger is re-read before
 * each reservation) and every reservation in flight, so a late answer never gives back money that
 * was spent meanwhile. Never logs the key.
 */
import { readGatewayBudget } from '../providers/gatewayBudget';
import type { BudgetGovernor } from './BudgetGovernor';
import type { GatewayReading } from './gatewayView';
import type { SpendGate } from './SpendAccountant';

export interface GatewaySource {
  kind: 'litellm' | 'openrouter';
  baseUrl: string;
  key: string;
  displayName: string;
}

/** How often the team's gateway budget is read when no call prompts it. */
export const GATEWAY_REFRESH_MS = 5 * 60_000;

export class GatewayWatch {
  /** The last good reading, for the Budget view. */
  reading: GatewayReading | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private started = 0;
  private landed = 0;
  /** A read asked for by a refused call, shared by the calls refused while it runs. */
  private rereading: Promise<void> | undefined;

  constructor(
    private readonly governor: Pick<BudgetGovernor, 'setGatewayRemaining' | 'gatewayMark'>,
    /** The gateway whose budget binds, and a key to read it with; undefined: none. */
    private readonly source: () => Promise<GatewaySource | undefined>,
    private readonly warn: (message: string) => void,
    private readonly read: typeof readGatewayBudget = readGatewayBudget,
  ) {}

  /** Reads the gateway now. Reads overlap (one after every call): an answer older than one already taken is dropped. */
  async refresh(): Promise<void> {
    const mine = ++this.started;
    const gw = await this.source().catch(() => undefined);
    if (!gw) {
      if (!this.newest(mine)) return;
      this.reading = undefined;
      return this.governor.setGatewayRemaining(undefined);
    }
    const bookedAtRead = this.governor.gatewayMark();
    const read = await this.read(gw.kind, gw.baseUrl, gw.key);
    if (!this.newest(mine)) return;
    if (!read.ok) {
      if (this.reading) this.reading = { ...this.reading, stale: read.message };
      return this.warn(`${gw.displayName}: ${read.message}; the last known team budget still applies.`);
    }
    const { remainingUsd, scope } = read.budget;
    const label = `${gw.displayName} (${scope} budget)`;
    this.reading = { label, budget: read.budget, readAt: new Date() };
    this.governor.setGatewayRemaining(remainingUsd === null ? undefined : { usd: remainingUsd, label, bookedAtRead });
  }

  /** Reads the gateway every `everyMs` until disposed, besides the reads after calls. */
  start(everyMs = GATEWAY_REFRESH_MS): void {
    this.dispose();
    this.timer = setInterval(() => void this.refresh(), everyMs);
    this.timer.unref?.();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The same gate, except that a call refused on the gateway's last reading reads the gateway again and is judged on that. */
  gate(spend: SpendGate): SpendGate {
    return {
      reserve: async (request) => {
        const first = await spend.reserve(request);
        if (first.ok || !first.gateway) return first;
        await this.reread();
        return spend.reserve(request);
      },
      release: (id) => spend.release(id),
      record: (...a) => spend.record(...a),
      recordDecision: (...a) => spend.recordDecision(...a),
      recordFree: (...a) => spend.recordFree(...a),
      status: () => spend.status(),
      takeNotices: () => spend.takeNotices(),
    };
  }

  private reread(): Promise<void> {
    this.rereading ??= this.refresh().finally(() => (this.rereading = undefined));
    return this.rereading;
  }

  private newest(read: number): boolean {
    if (read < this.landed) return false;
    this.landed = read;
    return true;
  }
}
