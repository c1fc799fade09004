/**
 * Books the money: reservations through the governor before a call, and after it the real cost
 * into both the governor and the on-disk ledger (flushed before the caller goes on). Decisions
 * on proposals are booked here too. The one place that builds ledger entries. With a shared
 * ledger (every process of the user spends against it), each reservation first reads what the
 * others spent and hold, under one lock, so together they never pass a cap; and a call a dead
 * process left reserved (killed mid-call: the backend may have billed it) is booked at its worst
 * case, marked as an estimate for a call cut off, by the next process that takes the lock.
 */
import type { EvidenceKey } from '../../shared/evidence';
import type { UsageRecord } from '../providers/usage';
import type { BudgetGovernor, BudgetNotice, BudgetStatus, ReserveRequest, ReserveResult } from './BudgetGovernor';
import { CUT_OFF_SOURCE, FREE_FIX_SOURCE, type CallOutcome, type CallRole, type Decision, type DecisionEntry, type LedgerEntry } from './ledgerEntry';
import type { SpendLedger } from './SpendLedger';
import type { SharedHold, SharedReservations, SharedState } from './sharedReservations';

export interface CallMeta {
  taskId: string;
  taskKind: string;
  backend: string;
  model: string;
  role: CallRole;
  /** What the check of the call's proposal proved (tested, type-checked, unchecked, silences, failed). */
  evidence?: EvidenceKey;
}

/** What the agent needs of the accountant; tests and hosts pass the real one. */
export interface SpendGate {
  reserve(request: ReserveRequest): Promise<ReserveResult>;
  release(reservationId: number): Promise<void>;
  /**
   * Settles the reservation with the real cost and appends the ledger entry (on disk when it
   * resolves). Resolves to how much the real cost went past what was reserved (0 normally).
   */
  record(reservationId: number, usage: UsageRecord, meta: CallMeta, outcome: CallOutcome): Promise<number>;
  recordDecision(taskId: string, taskKind: string, proposalId: string, decision: Decision, reason?: string, partial?: DecisionEntry['partial']): Promise<void>;
  /** Books work that cost nothing (the compiler's own fix, rung 0) as a $0 entry with that source. */
  recordFree(meta: CallMeta, proposalId: string): Promise<void>;
  status(): BudgetStatus;
  takeNotices(): BudgetNotice[];
}

/** The same gate, told after each call it books (the activity list, a gateway re-read). */
export function afterEachCall(spend: SpendGate, onRecorded: (usage: UsageRecord, meta: CallMeta, outcome: CallOutcome) => void): SpendGate {
  return {
    reserve: (r) => spend.reserve(r),
    release: (id) => spend.release(id),
    async record(id, usage, meta, outcome) {
      const over = await spend.record(id, usage, meta, outcome);
      onRecorded(usage, meta, outcome);
      return over;
    },
    recordDecision: (...a) => spend.recordDecision(...a),
    recordFree: (...a) => spend.recordFree(...a),
    status: () => spend.status(),
    takeNotices: () => spend.takeNotices(),
  };
}

/** The other processes' side of the ledger: their reservations, and a re-read of what all have spent. */
export interface SharedSpend {
  reservations: SharedReservations;
  /** Loads the governor with the ledger's spend as it is on disk now (every process's appends). */
  refresh(): Promise<void>;
}

export class SpendAccountant implements SpendGate {
  constructor(
    private readonly governor: BudgetGovernor,
    private readonly ledger: SpendLedger,
    private readonly workspace: string,
    private readonly now: () => Date = () => new Date(),
    private readonly shared?: SharedSpend,
  ) {}

  async reserve(request: ReserveRequest): Promise<ReserveResult> {
    const shared = this.shared;
    if (!shared) return this.governor.reserve(request);
    return shared.reservations.locked(async (state) => {
      await this.bookLeftovers(state);
      await shared.refresh();
      this.governor.setOutsideReservations(state.others());
      const r = this.governor.reserve(request);
      const held = r.ok ? this.governor.reservedAmount(r.id) : undefined;
      const call = request.call;
      if (r.ok && held && held.nano > 0) state.add(r.id, held.role, held.nano, call && { workspace: this.workspace, taskId: call.taskId, taskKind: call.taskKind, backend: call.backend, model: call.model });
      return r;
    });
  }

  /** Books the calls that processes which died mid-call left reserved (at start, and before every reservation). Resolves to how many. */
  async bookLeftoverCalls(): Promise<number> {
    const shared = this.shared;
    if (!shared) return 0;
    return shared.reservations.locked((state) => this.bookLeftovers(state));
  }

  /**
   * Each leftover at its worst case, as an estimate for a call cut off: what it really cost is
   * unknown, and never booking it would let billed money go unrecorded. One the ledger cannot take
   * stays reserved (it keeps counting against the caps) for the next try.
   */
  private async bookLeftovers(state: SharedState): Promise<number> {
    let booked = 0;
    for (const hold of state.deadOwners()) {
      try {
        await this.ledger.append(this.cutOffEntry(hold));
      } catch {
        break;
      }
      state.settle(hold);
      booked++;
    }
    return booked;
  }

  private cutOffEntry(hold: SharedHold): LedgerEntry {
    const at = new Date(hold.at);
    // The file is outside input: only these fields of it reach the ledger.
    const call = hold.call ?? { workspace: 'unknown', taskId: `cut-off-${hold.owner.slice(0, 8)}-${hold.id}`, taskKind: 'unknown', backend: 'unknown', model: 'unknown' };
    return {
      v: 1,
      at: (Number.isNaN(at.getTime()) || hold.at > this.now().getTime() ? this.now() : at).toISOString(),
      workspace: call.workspace,
      taskId: call.taskId,
      taskKind: call.taskKind,
      backend: call.backend,
      model: call.model,
      role: hold.role,
      inputTokens: 0,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: 0,
      reasoningTokens: 0,
      costUsd: hold.nano / 1e9,
      costSource: CUT_OFF_SOURCE,
      outcome: 'error',
    };
  }

  async release(reservationId: number): Promise<void> {
    this.governor.release(reservationId);
    await this.shared?.reservations.locked((state) => state.remove(reservationId));
  }

  async record(reservationId: number, usage: UsageRecord, meta: CallMeta, outcome: CallOutcome): Promise<number> {
    const costUsd = usage.costUsd ?? 0;
    const entry = this.entry(usage, meta, outcome, costUsd);
    const reserved = this.governor.reservedAmount(reservationId);
    // The truth is booked, whatever was reserved; the caller hears by how much it went over. A local
    // backend reserves nothing by design (it is free to run), so it cannot go over.
    const overrun = reserved && reserved.nano > 0 ? Math.max(0, costUsd - reserved.nano / 1e9) : 0;
    if (!this.shared) {
      this.governor.settle(reservationId, costUsd);
      await this.ledger.append(entry);
      return overrun;
    }
    // The entry is in the ledger before the reservation is let go: no other process ever sees neither.
    await this.shared.reservations.locked(async (state) => {
      try {
        await this.ledger.append(entry);
      } finally {
        this.governor.settle(reservationId, costUsd);
      }
      state.remove(reservationId);
    });
    return overrun;
  }

  private entry(usage: UsageRecord, meta: CallMeta, outcome: CallOutcome, costUsd: number): LedgerEntry {
    return {
      v: 1,
      at: this.now().toISOString(),
      workspace: this.workspace,
      taskId: meta.taskId,
      taskKind: meta.taskKind,
      backend: meta.backend,
      model: meta.model,
      role: meta.role,
      inputTokens: usage.inputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      outputTokens: usage.outputTokens,
      reasoningTokens: usage.reasoningTokens,
      costUsd,
      costSource: usage.costSource,
      outcome,
      ...(meta.evidence ? { evidence: meta.evidence } : {}),
    };
  }

  recordDecision(taskId: string, taskKind: string, proposalId: string, decision: Decision, reason?: string, partial?: DecisionEntry['partial']): Promise<void> {
    const why = reason?.trim() ? { reason: reason.trim().slice(0, 500) } : {};
    return this.ledger.append({ v: 1, at: this.now().toISOString(), kind: 'decision', taskId, taskKind, proposalId, decision, ...why, ...(partial ? { partial } : {}) });
  }

  recordFree(meta: CallMeta, proposalId: string): Promise<void> {
    const none: UsageRecord = { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0, latencyMs: 0, ttftMs: null, outputTokensPerSecond: null, costUsd: 0, costSource: FREE_FIX_SOURCE };
    return this.ledger.append({ ...this.entry(none, meta, 'proposal', 0), proposalId });
  }

  status(): BudgetStatus {
    return this.governor.status();
  }

  takeNotices(): BudgetNotice[] {
    return this.governor.takeNotices();
  }
}
