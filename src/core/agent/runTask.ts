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
import type { PrivacyGate } from '../privacy/PrivacyGate';
import type { Redaction } from '../privacy/redact';
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
  /** The current privacy rules: every file text passes here before it is sent. */
  privacy(): PrivacyGate;
  /** Told what was redacted (kinds and lines, never values), for the activity log. */
  onRedacted(relativePath: string, backend: string, findings: Redaction[]): void;
  /** Asks the user whether a call may cost this much; false when they decline or do not answer. */
  approveCost(message: string): Promise<boolean>;
  signal: AbortSignal;
}

export type TaskResult =
  | { kind: 'done'; outcome: FixOutcome; usage: UsageRecord; model: string }
  | { kind: 'setup'; message: string; action?: UserAction }
  | { kind: 'skipped'; reason: string }
  | { kind: 'held'; reason: string; step: LandingStep; retryAt?: number }
  | { kind: 'declined'; reason: string }
  | { kind: 'failed'; error: ModelError }
  | { kind: 'ledgerFailed'; error: LedgerWriteError; outcome?: FixOutcome };

export async function runTask(task: TaskRef, deps: RunDeps): Promise<TaskResult> {
  const privacy = deps.privacy();
  // A local-only file, or a budget down to local backends, goes to a local backend or nowhere.
  const fileLocalOnly = privacy.isLocalOnly(task.input.relativePath);
  const resolved = await deps.resolveBackend({ localOnly: fileLocalOnly || deps.spend.status().step === 'localOnly' });
  if ('setupNeeded' in resolved) {
    if (fileLocalOnly) return { kind: 'skipped', reason: `${task.input.relativePath} is marked local-only (nightshift.localOnly) and no local backend is configured` };
    return { kind: 'setup', message: resolved.setupNeeded, action: resolved.action };
  }
  const { backend } = resolved;
  const decision = privacy.check(task.input.relativePath, backend.local);
  if (!decision.allowed) return { kind: 'skipped', reason: `${task.input.relativePath} was not sent: ${decision.reason}` };

  const outbound = outboundInput(task.input, privacy, backend.local);
  if (outbound.findings.length > 0) deps.onRedacted(task.input.relativePath, backend.displayName, outbound.findings);
  const request = { messages: buildFixMessages(outbound.input), maxCompletionTokens: await deps.maxCompletionTokens(), signal: deps.signal };
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

/** The task's file text and problem messages as they may leave the machine. */
function outboundInput(input: FixInput, privacy: PrivacyGate, local: boolean): { input: FixInput; findings: Redaction[] } {
  const out = privacy.outboundFile(input.text, input.diagnostics.map((d) => d.message), local);
  // A finding in a problem message is reported at the problem's line.
  const findings = out.findings.map(({ kind, line, message }) => ({ kind, line: message === undefined ? line : input.diagnostics[message].range.startLine + 1 }));
  const diagnostics = input.diagnostics.map((d, i) => ({ ...d, message: out.messages[i] }));
  return { input: { ...input, text: out.text, diagnostics }, findings };
}
