/**
 * One task's trip through the money and the model: pick the backend (a local one when the
 * budget says local-only), reserve the call's worst case, make the call, book its real cost in
 * the ledger (on disk before anything is shown), and read the answer. Returns what happened;
 * the agent decides what that means for its queue and state.
 */
import type { LandingStep, Priority } from '../budget/BudgetGovernor';
import type { SpendGate } from '../budget/SpendAccountant';
import { LedgerWriteError } from '../budget/SpendLedger';
import { fileURLToPath } from 'node:url';
import { ModelError, type ChatMessage, type ChatRequest, type ChatResult, type ModelBackend } from '../providers/modelBackend';
import { CUT_OFF_SOURCE, type CallRole } from '../budget/ledgerEntry';
import type { Verifier, VerifyRequest } from '../verify/Verifier';
import type { ToolRequest } from '../context/tools';
import type { CallMeta } from '../budget/SpendAccountant';
import { addUsage, type UsageRecord } from '../providers/usage';
import type { CheckResult, TaskKind, TokenUsage, UserAction } from '../../shared/types';
import type { PrivacyGate } from '../privacy/PrivacyGate';
import type { Redaction } from '../privacy/redact';
import type { WorkspaceContext } from '../context/WorkspaceContext';
import { parseToolRequests } from '../context/tools';
import { recipeFor, type ActingArm } from '../tuner/arms';
import { evidenceKey } from '../../shared/evidence';
import { buildTaskMessages, focusLines, type TaskInput } from './taskPrompt';
import { interpretAnswer, type AnswerDeps, type TaskOutcome } from './interpretAnswer';

/** A backend to call, or what the user must set up first (a key, a price, a valid URL). */
export type BackendResolution = { backend: ModelBackend } | { setupNeeded: string; action?: UserAction };

export interface TaskRef {
  /** Short id for the ledger. */
  id: string;
  kind: TaskKind;
  priority: Priority;
  input: TaskInput;
  /** 'escalation': the user sent it to the escalation profile, having seen the cost. Default 'background'. */
  role?: CallRole;
  /** The tuner's recipe for it (context, lookups, output, instruction); default the standard one. */
  arm?: ActingArm;
}

/** Rounds of read-only lookups a task may make before it must answer. */
export const MAX_TOOL_STEPS = 3;
/** The least output a recipe may cut a call down to. */
const MIN_COMPLETION_TOKENS = 512;
/** Prompt plus output tokens one task may use over all its calls. */
export const MAX_TASK_TOKENS = 60_000;

export interface RunDeps extends Omit<AnswerDeps, 'readOther'> {
  resolveBackend(options: { localOnly: boolean; role: CallRole }): Promise<BackendResolution>;
  maxCompletionTokens(): Promise<number>;
  spend: SpendGate;
  /** Checks a proposal on a shadow copy before it is shown. */
  verifier: Verifier;
  /** The current privacy rules of the task's folder: every file text passes here before it is sent. */
  privacy(): PrivacyGate;
  /** Told what was redacted (kinds and lines, never values), for the activity log. */
  onRedacted(relativePath: string, backend: string, findings: Redaction[]): void;
  /** Asks the user whether a call may cost this much; false when they decline or do not answer. */
  approveCost(message: string): Promise<boolean>;
  /** Told each round of lookups the model made: the first line of each result (what was read, or why not). */
  onLookups?(summaries: string[]): void;
  /** Told, while a reply streams, the output tokens the task has had so far (estimated for the call under way). */
  onProgress?(outputTokens: number): void;
  /** The workspace beyond the task's file (facts, lookups, other files); absent where there is none. */
  workspace?: WorkspaceContext;
  signal: AbortSignal;
}

export type TaskResult =
  /** `usage`: all the task's calls together; `calls`: how many there were. */
  | { kind: 'done'; outcome: TaskOutcome; usage: UsageRecord; model: string; calls: number }
  | { kind: 'setup'; message: string; action?: UserAction }
  | { kind: 'skipped'; reason: string }
  | { kind: 'held'; reason: string; step: LandingStep; retryAt?: number }
  | { kind: 'declined'; reason: string }
  | { kind: 'failed'; error: ModelError }
  | { kind: 'ledgerFailed'; error: LedgerWriteError; outcome?: TaskOutcome }
  /** A call cost more than the most it could cost (a gateway's fees, a wrong price): booked as it was; background work stops. */
  | { kind: 'overcharged'; backend: string; overUsd: number; costUsd: number; outcome?: TaskOutcome };

/** The backend a task goes to: a local one when its file is local-only or the budget says so (background work only). */
export async function backendFor(task: TaskRef, deps: Pick<RunDeps, 'privacy' | 'resolveBackend' | 'spend'>): Promise<BackendResolution | { skipped: string }> {
  const role = task.role ?? 'background';
  const fileLocalOnly = deps.privacy().isLocalOnly(task.input.relativePath);
  const localOnly = role === 'background' && (fileLocalOnly || deps.spend.status().step === 'localOnly');
  const resolved = await deps.resolveBackend({ localOnly, role });
  if ('setupNeeded' in resolved && fileLocalOnly && role === 'background') {
    return { skipped: `${task.input.relativePath} is marked local-only (${deps.privacy().localOnlyRule(task.input.relativePath)}) and no local backend is configured` };
  }
  return resolved;
}

/**
 * A task's first prompt for a backend: the privacy gate's say on its file, then the file and
 * problems redacted for that backend, the workspace facts and the language server's signatures.
 */
export async function firstPrompt(task: TaskRef, backend: ModelBackend, deps: Pick<RunDeps, 'privacy' | 'workspace' | 'onRedacted'>): Promise<{ messages: ChatMessage[] } | { skipped: string }> {
  const privacy = deps.privacy();
  const decision = privacy.check(task.input.relativePath, backend.local);
  if (!decision.allowed) return { skipped: `${task.input.relativePath} was not sent: ${decision.reason}` };
  const outbound = outboundInput(task.input, privacy, backend.local);
  if (outbound.findings.length > 0) deps.onRedacted(task.input.relativePath, backend.displayName, outbound.findings);
  const workspace = deps.workspace;
  const local = backend.local;
  const recipe = recipeFor(task.arm);
  const [facts, signatures] = await Promise.all([
    // Without facts the task still runs; only the cached prefix is shorter.
    workspace?.facts(privacy, local).catch(() => undefined),
    task.kind === 'fix' && recipe.signatures && workspace?.language ? workspace.language.signatures(task.input.uri, [...new Set(focusLines(task.input))].slice(0, 4)).catch(() => [] as string[]) : undefined,
  ]);
  const context = { facts, signatures: signatures?.map((sig) => privacy.outbound(sig, local).text), windowRadius: recipe.windowRadius, instruction: recipe.instruction };
  return { messages: buildTaskMessages(task.kind, outbound.input, context) };
}

export async function runTask(task: TaskRef, deps: RunDeps): Promise<TaskResult> {
  const resolved = await backendFor(task, deps);
  if ('skipped' in resolved) return { kind: 'skipped', reason: resolved.skipped };
  if ('setupNeeded' in resolved) return { kind: 'setup', message: resolved.setupNeeded, action: resolved.action };
  const { backend } = resolved;
  const prompt = await firstPrompt(task, backend, deps);
  if ('skipped' in prompt) return { kind: 'skipped', reason: prompt.skipped };
  let messages = prompt.messages;
  const privacy = deps.privacy();
  const workspace = deps.workspace;
  const local = backend.local;
  const recipe = recipeFor(task.arm);
  // The recipe's share of the output limit, never so little that a short answer cannot fit.
  const maxCompletionTokens = Math.max(MIN_COMPLETION_TOKENS, Math.round((await deps.maxCompletionTokens()) * recipe.outputShare));
  const maxLookups = Math.min(MAX_TOOL_STEPS, recipe.lookups);
  const meta = { taskId: task.id, taskKind: task.kind, backend: backend.displayName, model: backend.model, role: task.role ?? 'background' };
  const answerDeps: AnswerDeps = {
    newId: deps.newId,
    now: deps.now,
    readOther: workspace ? (rel) => workspace.readForEdit(rel, privacy, local) : undefined,
  };
  const check = async (outcome: ProposalOutcome) => {
    try {
      return await deps.verifier.verify(verifyRequest(task.input, outcome));
    } catch (err) {
      return { status: 'unchecked' as const, detail: `The check could not run: ${err instanceof Error ? err.message : String(err)}` };
    }
  };
  let total: UsageRecord | undefined;
  let calls = 0;
  let lookups = 0;
  let toldSilencing = false;
  for (let round = 0; ;) {
    const before = total?.outputTokens ?? 0;
    const onProgress = deps.onProgress && ((n: number) => deps.onProgress!(before + n));
    const call = await callOnce(backend, { messages, maxCompletionTokens, signal: deps.signal, onProgress }, task, meta, deps, answerDeps, lookups < maxLookups && workspace !== undefined, check);
    if (call.kind !== 'answered') return call;
    const { result, outcome } = call;
    if (call.overUsd > 0) {
      const shown = outcome.kind === 'proposal' && call.check?.status !== 'failed' ? { ...outcome, proposal: { ...outcome.proposal, check: call.check } } : undefined;
      return { kind: 'overcharged', backend: backend.displayName, overUsd: call.overUsd, costUsd: result.usage.costUsd ?? 0, outcome: shown };
    }
    total = total ? addUsage(total, result.usage) : result.usage;
    calls++;
    const done = (o: TaskOutcome): TaskResult => ({ kind: 'done', outcome: o, usage: total!, model: result.model, calls });
    const overLimit = total.inputTokens + total.outputTokens >= MAX_TASK_TOKENS;
    if (outcome.kind === 'lookup') {
      if (overLimit) return done({ kind: 'none', reason: `the task reached its limit of ${MAX_TASK_TOKENS} tokens while looking things up` });
      lookups++;
      const answers = await Promise.all(outcome.requests.map((r) => workspace!.runTool(r, privacy, local)));
      deps.onLookups?.(answers.map((a) => a.split('\n')[0].replace(/:$/, '')));
      const left = maxLookups - lookups;
      messages = [...messages, { role: 'assistant', content: result.rawContent }, { role: 'user', content: `${answers.join('\n\n')}\n\n${left > 0 ? `You may look things up ${left} more time(s), or answer now.` : 'Answer now, in the format given.'}` }];
      continue;
    }
    if (outcome.kind !== 'proposal') return done(outcome);

    // Checked on a shadow copy before it was booked; a failed check goes back to the model, and so
    // does an answer that silences the problem, once: if it comes back the same, it is shown as such.
    const verdict = call.check!;
    const proposal = { ...outcome.proposal, check: verdict, usage: tokensOf(total), costUsd: total.costUsd };
    const silenced = verdict.status === 'silences';
    if (verdict.status !== 'failed' && !(silenced && !toldSilencing && !overLimit)) return done({ ...outcome, proposal });
    const evidence = (verdict.errors ?? []).join('; ');
    if (!silenced && (round >= MAX_CHECK_ROUNDS || overLimit)) {
      return done({ kind: 'none', reason: `needs escalation: the fix failed its check ${round + 1} times (${verdict.detail}${evidence ? ` ${evidence}` : ''})` });
    }
    const feedback = privacy.outbound(`${verdict.detail}\n${(verdict.errors ?? []).map((e) => `- ${e}`).join('\n')}`, backend.local).text;
    const ask = silenced
      ? `That change silences the problem instead of fixing it:\n${feedback}\nFix the cause: no suppression comment, no cast through any or unknown, no non-null assertion, no change to compiler or linter settings. Answer again in the same format.`
      : `That change does not pass the check:\n${feedback}\nAnswer again in the same format. SEARCH text must be copied from the original file.`;
    messages = [...messages, { role: 'assistant', content: result.rawContent }, { role: 'user', content: ask }];
    if (silenced) toldSilencing = true;
    else round++;
  }
}

type ProposalOutcome = Extract<TaskOutcome, { kind: 'proposal' }>;

function tokensOf(u: UsageRecord): TokenUsage {
  return { inputTokens: u.inputTokens, cachedInputTokens: u.cachedInputTokens, outputTokens: u.outputTokens, reasoningTokens: u.reasoningTokens };
}

/**
 * The shadow check of a proposal: the task's file with its problems, whichever files the answer
 * edits (an answer that edits only another file must still prove the problem gone), with the
 * others alongside. A task with no problems is checked on the first file edited.
 */
function verifyRequest(input: TaskInput, outcome: ProposalOutcome): VerifyRequest {
  const edited = [...outcome.texts].map(([uri, t]) => ({ filePath: filePathOf(uri), uri, ...t }));
  const untouched = { filePath: filePathOf(input.uri), uri: input.uri, before: input.text, after: input.text };
  const main = edited.find((f) => f.uri === input.uri) ?? (input.diagnostics.length > 0 ? untouched : edited[0]);
  return {
    filePath: main.filePath,
    before: main.before,
    after: main.after,
    targets: main.uri === input.uri ? input.diagnostics : [],
    also: edited.filter((f) => f !== main).map(({ filePath, before, after }) => ({ filePath, before, after })),
  };
}

/** Extra model rounds after a proposal fails its check, before the task is left for escalation. */
const MAX_CHECK_ROUNDS = 2;

type Answer = TaskOutcome | { kind: 'lookup'; requests: ToolRequest[] };
type CallOutcome = { kind: 'answered'; result: ChatResult; outcome: Answer; check?: CheckResult; overUsd: number } | Exclude<TaskResult, { kind: 'done' }>;

/**
 * One reserved, booked model call and its answer: lookups (when still allowed), or edits read as a
 * proposal and checked — so the ledger says whether the answer passed its check.
 */
async function callOnce(backend: ModelBackend, request: ChatRequest, task: TaskRef, meta: CallMeta, deps: RunDeps, answerDeps: AnswerDeps, lookupsAllowed: boolean, check: (outcome: ProposalOutcome) => Promise<CheckResult>): Promise<CallOutcome> {
  const worstCaseUsd = backend.worstCaseUsd(request);
  const reserve = (approved: boolean) => deps.spend.reserve({ role: meta.role, worstCaseUsd, priority: task.priority, local: backend.local, approved, call: { taskId: meta.taskId, taskKind: meta.taskKind, backend: meta.backend, model: meta.model } });
  // An escalation's cost was shown to the user before they sent it: no second question.
  let reservation = await reserve(meta.role === 'escalation');
  if (!reservation.ok && reservation.needsApproval) {
    if (!(await deps.approveCost(`${reservation.reason} Allow this call to ${backend.displayName}?`))) return { kind: 'declined', reason: reservation.reason };
    reservation = await reserve(true);
  }
  if (!reservation.ok) return { kind: 'held', reason: reservation.reason, step: reservation.step, retryAt: reservation.retryAt };

  let result: ChatResult;
  try {
    result = await backend.complete(request);
  } catch (err) {
    const error = err instanceof ModelError ? err : new ModelError('badResponse', String(err));
    // Nothing to bill: a fault before any reply, or a cancel before the request went out (during a retry's wait, say). Released, unbooked.
    if (!error.partial) {
      await deps.spend.release(reservation.id);
      return { kind: 'failed', error };
    }
    // A call cancelled after it was sent: its prompt and what arrived, booked as an estimate for a
    // call cut off (the backend may bill the prompt), never above the worst case reserved for it.
    const partial = error.kind === 'aborted' ? cutOff(error.partial, worstCaseUsd) : error.partial;
    // What arrived before the break is billed: booked once, here.
    try {
      await deps.spend.record(reservation.id, partial, meta, 'error');
    } catch (ledgerErr) {
      if (ledgerErr instanceof LedgerWriteError) return { kind: 'ledgerFailed', error: ledgerErr };
      throw ledgerErr;
    }
    // The log names what was booked.
    return { kind: 'failed', error: partial === error.partial ? error : new ModelError(error.kind, error.message, { partial }) };
  }
  const requests = lookupsAllowed && !/^<{5,9} ?SEARCH/m.test(result.answer) ? parseToolRequests(result.answer) : [];
  const outcome: Answer = requests.length > 0 ? { kind: 'lookup', requests } : interpretAnswer(task.kind, task.input, result, answerDeps);
  const verdict = outcome.kind === 'proposal' ? await check(outcome) : undefined;
  let overUsd: number;
  try {
    const evidence = verdict && { evidence: evidenceKey(verdict) };
    overUsd = await deps.spend.record(reservation.id, result.usage, { ...meta, model: result.model, ...evidence }, verdict?.status === 'failed' ? 'checkFailed' : outcome.kind);
  } catch (err) {
    if (!(err instanceof LedgerWriteError)) throw err;
    // A proposal is shown only as checked as it was; one that failed its check is never shown.
    const shown = outcome.kind === 'proposal' && verdict?.status !== 'failed' ? { ...outcome, proposal: { ...outcome.proposal, check: verdict } } : undefined;
    return { kind: 'ledgerFailed', error: err, outcome: shown };
  }
  return { kind: 'answered', result, outcome, check: verdict, overUsd };
}

/** A cancelled call's usage as booked: an estimate for a call cut off, at most its worst case. */
function cutOff(usage: UsageRecord, worstCaseUsd: number): UsageRecord {
  return { ...usage, costUsd: usage.costUsd === null ? null : Math.min(usage.costUsd, worstCaseUsd), costSource: CUT_OFF_SOURCE };
}

function filePathOf(uri: string): string {
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

/** The task's file text and problem messages as they may leave the machine. */
function outboundInput(input: TaskInput, privacy: PrivacyGate, local: boolean): { input: TaskInput; findings: Redaction[] } {
  const out = privacy.outboundFile(
    input.text,
    input.diagnostics.map((d) => d.message),
    local,
  );
  // A finding in a problem message is reported at the problem's line.
  const findings = out.findings.map(({ kind, line, message }) => ({ kind, line: message === undefined ? line : input.diagnostics[message].range.startLine + 1 }));
  const diagnostics = input.diagnostics.map((d, i) => ({ ...d, message: out.messages[i] }));
  const review = input.review && { ...input.review, hunks: privacy.outbound(input.review.hunks, local).text };
  return { input: { ...input, text: out.text, diagnostics, ...(review ? { review } : {}) }, findings };
}
