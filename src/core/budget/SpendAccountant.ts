/**
 * Books the money: reservations through the governor before a call, and after it the real cost
 * into both the governor and the on-disk ledger (flushed before the caller goes on). Decisions
 * on proposals are booked here too. The one place that builds ledger entries.
 */
import type { UsageRecord } from '../providers/usage';
import type { BudgetGovernor, BudgetNotice, BudgetStatus, ReserveRequest, ReserveResult } from './BudgetGovernor';
import type { CallOutcome, CallRole, Decision } from './ledgerEntry';
import type { SpendLedger } from './SpendLedger';

export interface CallMeta {
  taskId: string;
  taskKind: string;
  backend: string;
  model: string;
  role: CallRole;
}

/** What the agent needs of the accountant; tests and hosts pass the real one. */
export interface SpendGate {
  reserve(request: ReserveRequest): ReserveResult;
  release(reservationId: number): void;
  /** Settles the reservation with the real cost and appends the ledger entry (on disk when it resolves). */
  record(reservationId: number, usage: UsageRecord, meta: CallMeta, outcome: CallOutcome): Promise<void>;
  recordDecision(taskId: string, taskKind: string, proposalId: string, decision: Decision, reason?: string): Promise<void>;
  status(): BudgetStatus;
  takeNotices(): BudgetNotice[];
}

export class SpendAccountant implements SpendGate {
  constructor(
    private readonly governor: BudgetGovernor,
    private readonly ledger: SpendLedger,
    private readonly workspace: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  reserve(request: ReserveRequest): ReserveResult {
    return this.governor.reserve(request);
  }

  release(reservationId: number): void {
    this.governor.release(reservationId);
  }

  async record(reservationId: number, usage: UsageRecord, meta: CallMeta, outcome: CallOutcome): Promise<void> {
    const costUsd = usage.costUsd ?? 0;
    this.governor.settle(reservationId, costUsd);
    await this.ledger.append({
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
    });
  }

  recordDecision(taskId: string, taskKind: string, proposalId: string, decision: Decision, reason?: string): Promise<void> {
    const why = reason?.trim() ? { reason: reason.trim().slice(0, 500) } : {};
    return this.ledger.append({ v: 1, at: this.now().toISOString(), kind: 'decision', taskId, taskKind, proposalId, decision, ...why });
  }

  status(): BudgetStatus {
    return this.governor.status();
  }

  takeNotices(): BudgetNotice[] {
    return this.governor.takeNotices();
  }
}
