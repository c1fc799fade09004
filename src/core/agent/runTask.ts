/**
 * One task's trip through the money and the model: pick the backend (a local one when the
 * budget says local-only), reserve the call's worst case, make the call, book its real cost in
 * the ledger (on disk before anything is shown), and read the answer. Returns what happened;
 * the agent decides what that means for its queue and state.
 */
import type { TaskKind, UserAction } from '../../shared/types';
import type { LandingStep, Priority } from '../budget/BudgetGovernor';
import type { SpendGate } from '../budget/SpendAccountant';
import { LedgerWriteError } from '../budget/SpendLedger';
import { fileURLToPath } from 'node:url';
import { applyReplacements } from '../edits/searchReplace';
import { ModelError, type ChatRequest, type ChatResult, type ModelBackend } from '../providers/modelBackend';
import type { Verifier } from '../verify/Verifier';
import type { CallMeta } from '../budget/SpendAccountant';
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
  kind: TaskKind;
  priority: Priority;
  input: FixInput;
}

export interface RunDeps extends FixIds {
  resolveBackend(options: { localOnly: boolean }): Promise<BackendResolution>;
  maxCompletionTokens(): Promise<number>;
  spend: SpendGate;
  /** Checks a proposal on a shadow copy before it is shown. */
  verifier: Verifier;
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
  const maxCompletionTokens = await deps.maxCompletionTokens();
  const meta = { taskId: task.id, taskKind: task.kind, backend: backend.displayName, model: backend.model, role: 'background' as const };
  const spent = { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0 as number | null };
  let messages = buildFixMessages(outbound.input);
  for (let round = 0; ; round++) {
    const call = await callOnce(backend, { messages, maxCompletionTokens, signal: deps.signal }, task, meta, deps);
    if (call.kind !== 'answered') return call;
    const { result, outcome } = call;
    addUsage(spent, result.usage);
    if (outcome.kind !== 'proposal') return { kind: 'done', outcome, usage: result.usage, model: result.model };

    // Check it on a shadow copy before showing it; a failed check goes back to the model.
    const file = outcome.proposal.files[0];
    const check = await deps.verifier.verify({
      filePath: filePathOf(task.input.uri),
      before: task.input.text,
      after: applyReplacements(task.input.text, file.replacements),
      targets: task.input.diagnostics,
    });
    const proposal = { ...outcome.proposal, check, usage: { ...spent }, costUsd: spent.costUsd };
    if (check.status !== 'failed') return { kind: 'done', outcome: { kind: 'proposal', proposal }, usage: result.usage, model: result.model };
    const evidence = (check.errors ?? []).join('; ');
    if (round >= MAX_CHECK_ROUNDS) {
      const reason = `needs escalation: the fix failed its check ${round + 1} times (${check.detail}${evidence ? ` ${evidence}` : ''})`;
      return { kind: 'done', outcome: { kind: 'none', reason }, usage: result.usage, model: result.model };
    }
    const feedback = privacy.outbound(`${check.detail}\n${(check.errors ?? []).map((e) => `- ${e}`).join('\n')}`, backend.local).text;
    messages = [
      ...messages,
      { role: 'assistant', content: result.rawContent },
      { role: 'user', content: `That change does not pass the check:\n${feedback}\nAnswer again in the same format. SEARCH text must be copied from the original file.` },
    ];
  }
}

/** Extra model rounds after a proposal fails its check, before the task is left for escalation. */
const MAX_CHECK_ROUNDS = 2;

type CallOutcome = { kind: 'answered'; result: ChatResult; outcome: FixOutcome } | Exclude<TaskResult, { kind: 'done' }>;

/** One reserved, booked model call and its answer read as a fix. */
async function callOnce(backend: ModelBackend, request: ChatRequest, task: TaskRef, meta: CallMeta, deps: RunDeps): Promise<CallOutcome> {
  const reserve = (approved: boolean) =>
    deps.spend.reserve({ role: 'background', worstCaseUsd: backend.worstCaseUsd(request), priority: task.priority, local: backend.local, approved });
  let reservation = reserve(false);
  if (!reservation.ok && reservation.needsApproval) {
    if (!(await deps.approveCost(`${reservation.reason} Allow this call to ${backend.displayName}?`))) return { kind: 'declined', reason: reservation.reason };
    reservation = reserve(true);
  }
  if (!reservation.ok) return { kind: 'held', reason: reservation.reason, step: reservation.step, retryAt: reservation.retryAt };

  let result: ChatResult;
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
  return { kind: 'answered', result, outcome };
}

function addUsage(total: { inputTokens: number; cachedInputTokens: number; outputTokens: number; reasoningTokens: number; costUsd: number | null }, u: UsageRecord): void {
  total.inputTokens += u.inputTokens;
  total.cachedInputTokens += u.cachedInputTokens;
  total.outputTokens += u.outputTokens;
  total.reasoningTokens += u.reasoningTokens;
  total.costUsd = total.costUsd === null || u.costUsd === null ? null : total.costUsd + u.costUsd;
}

function filePathOf(uri: string): string {
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/** The task's file text and problem messages as they may leave the machine. */
function outboundInput(input: FixInput, privacy: PrivacyGate, local: boolean): { input: FixInput; findings: Redaction[] } {
  const out = privacy.outboundFile(input.text, input.diagnostics.map((d) => d.message), local);
  // A finding in a problem message is reported at the problem's line.
  const findings = out.findings.map(({ kind, line, message }) => ({ kind, line: message === undefined ? line : input.diagnostics[message].range.startLine + 1 }));
  const diagnostics = input.diagnostics.map((d, i) => ({ ...d, message: out.messages[i] }));
  return { input: { ...input, text: out.text, diagnostics }, findings };
}
