/**
 * What the budget and the reports need from the ledger, folded into sums that merge and
 * serialize: spend per UTC day and role, per model / backend / task kind, and decisions per kind.
 * A year of a million calls folds into a few kilobytes.
 */
import { FREE_FIX_SOURCE, type DecisionEntry, type LedgerEntry } from './ledgerEntry';

export interface SpendBucket {
  usd: number;
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

export interface DaySpend {
  background: number;
  escalation: number;
  /** Escalated calls made that day (a policy can limit them per month). */
  escalationCalls?: number;
  /** Proposals accepted that day (whole or in part). */
  accepted?: number;
  /** Fix proposals shown that day: by a model, and free by the compiler's own fixes (rung 0). */
  fixProposals?: number;
  freeFixes?: number;
}

export interface LedgerAggregate {
  /** "YYYY-MM-DD" (UTC) → spend by role. */
  days: Record<string, DaySpend>;
  byModel: Record<string, SpendBucket>;
  byBackend: Record<string, SpendBucket>;
  byKind: Record<string, SpendBucket>;
  accepted: Record<string, number>;
  rejected: Record<string, number>;
  /** Accepted in part (some hunks, not all): counted in `accepted` too. */
  partial?: Record<string, number>;
}

export function emptyAggregate(): LedgerAggregate {
  return { days: {}, byModel: {}, byBackend: {}, byKind: {}, accepted: {}, rejected: {} };
}

function bucket(map: Record<string, SpendBucket>, key: string): SpendBucket {
  return (map[key] ??= { usd: 0, calls: 0, inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 });
}

function addTo(b: SpendBucket, e: LedgerEntry): void {
  b.usd += e.costUsd;
  b.calls++;
  b.inputTokens += e.inputTokens;
  b.cachedInputTokens += e.cachedInputTokens;
  b.outputTokens += e.outputTokens;
}

export function addCall(agg: LedgerAggregate, e: LedgerEntry): void {
  const day = (agg.days[e.at.slice(0, 10)] ??= { background: 0, escalation: 0 });
  day[e.role] += e.costUsd;
  if (e.role === 'escalation') day.escalationCalls = (day.escalationCalls ?? 0) + 1;
  if (e.outcome === 'proposal' && e.taskKind === 'fix') {
    if (e.costSource === FREE_FIX_SOURCE) day.freeFixes = (day.freeFixes ?? 0) + 1;
    else day.fixProposals = (day.fixProposals ?? 0) + 1;
  }
  addTo(bucket(agg.byModel, e.model), e);
  addTo(bucket(agg.byBackend, e.backend), e);
  addTo(bucket(agg.byKind, e.taskKind), e);
}

export function addDecision(agg: LedgerAggregate, d: DecisionEntry): void {
  if (d.decision === 'accepted') {
    const day = (agg.days[d.at.slice(0, 10)] ??= { background: 0, escalation: 0 });
    day.accepted = (day.accepted ?? 0) + 1;
  }
  if (d.decision === 'accepted') agg.accepted[d.taskKind] = (agg.accepted[d.taskKind] ?? 0) + 1;
  if (d.decision === 'accepted' && d.partial && d.partial.accepted < d.partial.of) (agg.partial ??= {})[d.taskKind] = (agg.partial[d.taskKind] ?? 0) + 1;
  else if (d.decision === 'rejected') agg.rejected[d.taskKind] = (agg.rejected[d.taskKind] ?? 0) + 1;
}

function mergeBuckets(into: Record<string, SpendBucket>, from: Record<string, SpendBucket>): void {
  for (const [k, b] of Object.entries(from)) {
    const t = bucket(into, k);
    t.usd += b.usd;
    t.calls += b.calls;
    t.inputTokens += b.inputTokens;
    t.cachedInputTokens += b.cachedInputTokens;
    t.outputTokens += b.outputTokens;
  }
}

/** Adds `from` into `into`. */
export function mergeAggregate(into: LedgerAggregate, from: LedgerAggregate): LedgerAggregate {
  for (const [day, s] of Object.entries(from.days)) {
    const t = (into.days[day] ??= { background: 0, escalation: 0 });
    t.background += s.background;
    t.escalation += s.escalation;
    for (const k of ['escalationCalls', 'accepted', 'fixProposals', 'freeFixes'] as const) if (s[k]) t[k] = (t[k] ?? 0) + s[k];
  }
  mergeBuckets(into.byModel, from.byModel);
  mergeBuckets(into.byBackend, from.byBackend);
  mergeBuckets(into.byKind, from.byKind);
  for (const [k, n] of Object.entries(from.accepted)) into.accepted[k] = (into.accepted[k] ?? 0) + n;
  for (const [k, n] of Object.entries(from.rejected)) into.rejected[k] = (into.rejected[k] ?? 0) + n;
  for (const [k, n] of Object.entries(from.partial ?? {})) (into.partial ??= {})[k] = (into.partial[k] ?? 0) + n;
  return into;
}
