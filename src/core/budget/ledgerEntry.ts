/**
 * One spend-ledger entry per model call, and the check that reads one back from disk. The ledger
 * is outside input once written: a line is only trusted after it passes `parseEntry`.
 */
import { EVIDENCE_KEYS, type EvidenceKey } from '../../shared/evidence';

export type CallRole = 'background' | 'escalation';
/**
 * What a call gave: a proposal (its check passed, or none could run), an answer whose edit failed
 * its check (the task goes on or gives up), nothing usable, an error, or a request to look
 * something up (the task goes on).
 */
export type CallOutcome = 'proposal' | 'checkFailed' | 'none' | 'error' | 'lookup';
export type Decision = 'accepted' | 'rejected' | 'snoozed';
/** The cost source of a $0 entry for the compiler's own fix (rung 0): no model was asked. */
export const FREE_FIX_SOURCE = 'compiler';
/** The cost source of a call its process never booked (killed mid-call): booked by the next process at its worst case. */
export const CUT_OFF_SOURCE = 'estimate (call cut off)';

export interface LedgerEntry {
  /** Format version. */
  v: 1;
  /** ISO time the call ended. */
  at: string;
  workspace: string;
  taskId: string;
  taskKind: string;
  backend: string;
  model: string;
  role: CallRole;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
  costSource: string;
  outcome: CallOutcome;
  proposalId?: string;
  /** What the check of the proposal proved, in the words every surface uses (src/shared/evidence.ts). */
  evidence?: EvidenceKey;
}

/** A decision on a proposal, appended later; it costs nothing and refers to its task. */
export interface DecisionEntry {
  v: 1;
  at: string;
  kind: 'decision';
  taskId: string;
  taskKind: string;
  proposalId: string;
  decision: Decision;
  /** Why, when the user said (a rejection's reason). */
  reason?: string;
  /** Decided hunk by hunk: how many of its hunks were accepted, of how many (accepted in part when some, not all). */
  partial?: { accepted: number; of: number };
}

export type LedgerLine = { type: 'call'; entry: LedgerEntry } | { type: 'decision'; entry: DecisionEntry };

/*
 * Lines are checked by hand rather than with a schema library: a year's ledger can hold a million
 * lines, and a generic validator tripled the load time (measured: 6.4 s against 3.3 s for 1M lines).
 */
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isTime = (v: unknown): v is string => typeof v === 'string' && ISO_TIME.test(v);
const ROLES = new Set(['background', 'escalation']);
const OUTCOMES = new Set(['proposal', 'checkFailed', 'none', 'error', 'lookup']);
const EVIDENCE = new Set<string>(EVIDENCE_KEYS);
const DECISIONS = new Set(['accepted', 'rejected', 'snoozed']);

function isCall(e: Record<string, unknown>): boolean {
  return (
    isTime(e.at) &&
    isStr(e.workspace) &&
    isStr(e.taskId) &&
    isStr(e.taskKind) &&
    isStr(e.backend) &&
    isStr(e.model) &&
    ROLES.has(e.role as string) &&
    isCount(e.inputTokens) &&
    isCount(e.cachedInputTokens) &&
    isCount(e.cacheWriteTokens) &&
    isCount(e.outputTokens) &&
    isCount(e.reasoningTokens) &&
    typeof e.costUsd === 'number' &&
    Number.isFinite(e.costUsd) &&
    e.costUsd >= 0 &&
    isStr(e.costSource) &&
    OUTCOMES.has(e.outcome as string) &&
    (e.proposalId === undefined || isStr(e.proposalId)) &&
    (e.evidence === undefined || EVIDENCE.has(e.evidence as string))
  );
}

function isDecision(e: Record<string, unknown>): boolean {
  return isTime(e.at) && isStr(e.taskId) && isStr(e.taskKind) && isStr(e.proposalId) && DECISIONS.has(e.decision as string) && (e.reason === undefined || isStr(e.reason)) && (e.partial === undefined || isPartial(e.partial));
}

function isPartial(v: unknown): boolean {
  const p = v as { accepted?: unknown; of?: unknown } | null;
  return typeof p === 'object' && p !== null && isCount(p.accepted) && isCount(p.of) && p.accepted <= p.of;
}

/** Parses one line; undefined when it is not valid JSON of either shape. */
export function parseLine(line: string): LedgerLine | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || (raw as { v?: unknown }).v !== 1) return undefined;
  const e = raw as Record<string, unknown>;
  if (e.kind === 'decision') return isDecision(e) ? { type: 'decision', entry: e as unknown as DecisionEntry } : undefined;
  return isCall(e) ? { type: 'call', entry: e as unknown as LedgerEntry } : undefined;
}
