/**
 * What the agent has been doing, for the Activity view: the last calls (what for, which model,
 * what they cost, how long they took, what came of them) and the secrets redacted this session.
 * In memory only: the ledger is the record; this is the window onto it.
 */
import type { ActivityCall, UsageRecordLike } from '../../shared/types';
import type { CallOutcome } from '../budget/ledgerEntry';
import { afterEachCall, type CallMeta, type SpendGate } from '../budget/SpendAccountant';

/** Calls kept, newest first. */
const RECENT = 10;

export class Activity {
  private calls: ActivityCall[] = [];
  /** Output tokens so far of each task whose reply is streaming, by task key. */
  private readonly streaming = new Map<string, number>();
  redactions = 0;

  constructor(private readonly onChange: () => void) {}

  recent(): ActivityCall[] {
    return this.calls;
  }

  progress(taskKey: string, outputTokens: number): void {
    this.streaming.set(taskKey, outputTokens);
    this.onChange();
  }

  /** The task's output tokens so far, while it runs; its entry goes when it ends. */
  tokensSoFar(taskKey: string): number | undefined {
    return this.streaming.get(taskKey);
  }

  ended(taskKey: string): void {
    this.streaming.delete(taskKey);
  }

  call(file: string, meta: CallMeta, usage: UsageRecordLike, outcome: CallOutcome, at: Date): void {
    this.calls = [{ at: at.toISOString(), kind: meta.taskKind, file, model: meta.model, role: meta.role, costUsd: usage.costUsd, latencyMs: usage.latencyMs, outcome }, ...this.calls].slice(0, RECENT);
    this.onChange();
  }

  redacted(count: number): void {
    this.redactions += count;
    this.onChange();
  }

  /** The spend gate a task's run uses, noting each call it books. */
  watching(spend: SpendGate, file: string, now: () => Date): SpendGate {
    return afterEachCall(spend, (usage, meta, outcome) => this.call(file, meta, usage, outcome, now()));
  }
}
