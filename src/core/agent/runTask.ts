/**
 * One task's trip through the money and the model: pick the backend (a local one when the
 * budget says local-only), reserve the call's worst case, make the call, book its real cost in
 * the ledger (on disk before anything is shown), and read the answer. Returns what happened;
 * the agent decides what that means for its queue and state.
 */
import type { UserAction } from '../../shared/types';
import type { LandingStep, Priority } from '../budget/BudgetGovernor';
import type { SpendGate } from '../budget/SpendAccountant';
import { LedgerWriteError } from '../budget/SpendLedger';
import { ModelError, type ModelBackend } from '../providers/modelBackend';
import type { UsageRecord } from '../providers/usage';
import { buildFixMessages, type FixInput } from './fixPrompt';
import { interpretFix, type FixIds, type FixOutcome } from './fixTask';

/** A backend to call, or what the user must set up first (a key, a price, a valid URL). */
export type BackendResolution = { backend: ModelBackend } | { setupNeeded: string; action?: UserAction };

export interface TaskRef {
  /** Short id for the ledger. */
  id: string;
  kind: 'fix';
  priority: Priority;
  input: FixInput;
}

export interface RunDeps extends FixIds {
  resolveBackend(options: { localOnly: boolean }): Promise<BackendResolution>;
  maxCompletionTokens(): Promise<number>;
  spend: SpendGate;
  /** Asks the user whether a call may cost this much; false when they decline or do not answer. */
  approveCost(message: string): Promise<boolean>;
  signal: AbortSignal;
}

export type TaskResult =
  | { kind: 'done'; outcome: FixOutcome; usage: UsageRecord; model: string }
  | { kind: 'setup'; message: string; action?: UserAction }
  | { kind: 'held'; reason: string; step: LandingStep; retryAt?: number }
  | { kind: 'declined'; reason: string }
  | { kind: 'failed'; error: ModelError }
  | { kind: 'ledgerFailed'; error: LedgerWriteError; outcome?: FixOutcome };

export async function runTask(task: TaskRef, deps: RunDeps): Promise<TaskResult> {
  const localOnly = deps.spend.status().step === 'localOnly';
  const resolved = await deps.resolveBackend({ localOnly });
  if ('setupNeeded' in resolved) return { kind: 'setup', message: resolved.setupNeeded, action: resolved.action };
  const { backend } = resolved;

  const request = { messages: buildFixMessages(task.input), maxCompletionTokens: await deps.maxCompletionTokens(), signal: deps.signal };
  const reserve = (approved: boolean) =>
    deps.spend.reserve({ role: 'background', worstCaseUsd: backend.worstCaseUsd(request), priority: task.priority, local: backend.local, approved });
  let reservation = reserve(false);
  if (!reservation.ok && reservation.needsApproval) {
    if (!(await deps.approveCost(`${reservation.reason} Allow this call to ${backend.displayName}?`))) return { kind: 'declined', reason: reservation.reason };
    reservation = reserve(true);
  }
  if (!reservation.ok) return { kind: 'held', reason: reservation.reason, step: reservation.step, retryAt: reservation.retryAt };

  const meta = { taskId: task.id, taskKind: task.kind, backend: backend.displayName, model: backend.model, role: 'background' as const };
  let result;
  try {
    result = await backend.complete(request);
  } catch (err) {
    const error = err instanceof ModelError ? err : new ModelError('badResponse', String(err));
    if (!error.partial) {
      deps.spend.release(reservation.id);
      return { kind: 'failed', error };
    }
    // What arrived before the break is billed: booked once, here.
    try {
      await deps.spend.record(reservation.id, error.partial, meta, 'error');
    } catch (ledgerErr) {
      if (ledgerErr instanceof LedgerWriteError) return { kind: 'ledgerFailed', error: ledgerErr };
      throw ledgerErr;
    }
    return { kind: 'failed', error };
  }
  const outcome = interpretFix(task.input, result, deps);
  try {
    await deps.spend.record(reservation.id, result.usage, { ...meta, model: result.model }, outcome.kind === 'proposal' ? 'proposal' : 'none');
  } catch (err) {
    if (err instanceof LedgerWriteError) return { kind: 'ledgerFailed', error: err, outcome };
    throw err;
  }
  return { kind: 'done', outcome, usage: result.usage, model: result.model };
}
