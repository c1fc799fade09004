/**
 * Domain types shared by the engine, the LSP host, the extension and the panel.
 * Plain data only: everything here crosses a process or webview boundary as JSON.
 */

/** A problem the editor (or the headless host's compiler) reports. */
export interface DiagnosticInfo {
  message: string;
  severity: 'error' | 'warning';
  source?: string;
  code?: string;
  /** Zero-based, as in LSP. */
  range: { startLine: number; startCharacter: number; endLine: number; endCharacter: number };
}

/** One replacement in a file, in UTF-16 offsets of the base content the proposal was made on. */
export interface TextReplacement {
  offset: number;
  length: number;
  newText: string;
}

/** A replacement with the text it was anchored on, so it can follow its file's later edits. */
export interface AnchoredReplacement extends TextReplacement {
  /** The base text at [offset, offset + length): unique in the base content. */
  search: string;
}

export interface FileChange {
  uri: string;
  relativePath: string;
  /** sha256 of the content the replacements apply to: a proposal is never applied to other content. */
  baseHash: string;
  replacements: AnchoredReplacement[];
  /** sha256 of the content with the proposal applied: the file holding it means the proposal was just applied, not that it went stale. */
  resultHash?: string;
  /** Unified diff, for display. */
  diff: string;
  /** With more than one replacement: each one's diff (from its @@ line), in the replacements' order, to decide on one by one. */
  hunks?: string[];
}

export interface TokenUsage {
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
}

export type TaskKind = 'fix' | 'todo' | 'review' | 'refactor';

/**
 * What checking a proposal found. `errors` lists what a failed check reported. A check is the
 * weakest of its parts (types, silencing, tests, commands): `passed` only when every part that ran
 * passed and each target problem was proved gone by a checker that reports it.
 */
export interface CheckResult {
  /** 'silences': the change hides the problem (a suppression, a cast, a loosened config) instead of fixing it. */
  status: 'passed' | 'failed' | 'unchecked' | 'silences';
  detail: string;
  errors?: string[];
  /** For a passed check: 'tested' when the tests that reach the change ran and passed, else 'type-checked'. Absent on older proposals: read as type-checked. */
  level?: 'tested' | 'type-checked';
  /** For a type-checked one: why there is no test evidence ("no test reaches this change", "tests are off"). */
  untested?: string;
  /** The workspace has tests a check could have run (a runner was found and tests are on). */
  testsAvailable?: boolean;
  /** The team policy requires test evidence before a proposal counts as checked. */
  testsRequired?: boolean;
  /** Which of the request's targets (by index) this check proved gone. Set by the checkers that report them; what a composed check is built from. */
  proved?: number[];
}

export interface Proposal {
  id: string;
  kind: TaskKind;
  title: string;
  rationale: string;
  files: FileChange[];
  model: string;
  usage: TokenUsage;
  /** null when the model's price is unknown. */
  costUsd: number | null;
  createdAt: string;
  /** Set when its file changed where the proposal edits, or was deleted: it can no longer be applied. */
  stale?: string;
  /** The check run before it was shown. */
  check?: CheckResult;
  /** ISO time until which the user put it aside; it is hidden until then. */
  snoozedUntil?: string;
  /** The problems it is meant to fix (a fix's diagnostics): where the editor offers it as a quick fix, and what a re-check looks for. */
  targets?: DiagnosticInfo[];
  /** The file the targets are in (the task's file, which the change may not edit). Absent on older proposals: the first file's. */
  targetUri?: string;
  /** Hunks decided one by one so far. */
  partial?: { accepted: number; rejected: number };
  /** 'compiler': the language's own fix (rung 0 of the cost ladder), found before any model was asked; absent: a model's. */
  source?: 'compiler';
}

/** A task the background model could not do, which the user may send to the escalation profile. */
export interface EscalationItem {
  id: string;
  kind: TaskKind;
  relativePath: string;
  /** Why the background model's attempt came to nothing. */
  reason: string;
  at: string;
}

/** What escalating a task would cost, shown before anything is spent; or why it cannot be escalated. */
export type EscalationQuote = { ok: true; backend: string; model: string; estimateUsd: number | null; worstCaseUsd: number; leftUsd: number } | { ok: false; message: string; action?: UserAction };

export type AgentState = 'starting' | 'idle' | 'working' | 'paused' | 'error' | 'needsSetup' | 'untrusted';

export interface AgentStatus {
  state: AgentState;
  /** One sentence for people: what the agent is doing, or why it is not. */
  detail: string;
  spendTodayUsd: number;
  queued: number;
  /** What the user can do about the current state, if anything. */
  action?: UserAction;
  /** When held: when the queued work is tried again (ms since the epoch). */
  retryAt?: number;
  backends?: BackendHealthSummary[];
  /** The tasks running and waiting, running first (for the Activity view). */
  tasks?: TaskItem[];
  /** The last calls, newest first. */
  recentCalls?: ActivityCall[];
  /** Secrets redacted from what was sent, this session. */
  redactions?: number;
}

export interface TaskItem {
  /** The task's key: what Run now and Cancel name. */
  key: string;
  kind: TaskKind;
  relativePath: string;
  priority: 'high' | 'normal' | 'low';
  running: boolean;
  role: 'background' | 'escalation';
  /** The compiler's own fixes are being tried (rung 0): no model is asked yet. */
  compilerFix?: boolean;
  /** Output tokens so far while its reply streams (estimated for the call under way). */
  tokensSoFar?: number;
}

export interface ActivityCall {
  at: string;
  kind: string;
  file: string;
  model: string;
  role: 'background' | 'escalation';
  costUsd: number | null;
  latencyMs: number;
  outcome: string;
}

/** The part of a call's usage the Activity view shows. */
export interface UsageRecordLike {
  costUsd: number | null;
  latencyMs: number;
}

/** What a one-token call to the background profile found. */
export type ConnectionTest = { ok: true; backend: string; model: string; latencyMs: number; costUsd: number | null; inputTokens: number; outputTokens: number } | { ok: false; message: string; action?: UserAction };

/** What a user can be asked to do about a message. */
export type UserAction = 'setApiKey' | 'showLog' | 'openSettings' | 'exportLedger' | 'detectLocalModels' | 'manageTrust' | 'openWalkthrough';

/** How one backend has done over the last hour, for the panel and the log. */
export interface BackendHealthSummary {
  backend: string;
  calls: number;
  errors: number;
  medianLatencyMs: number | null;
  /** Median output tokens per second while streaming. */
  tokensPerSecond: number | null;
  /** ISO time until which calls to it are held back by the circuit breaker. */
  pausedUntil?: string;
}

/** A model server found running on this machine. */
export interface LocalModelServer {
  /** Backend kind, e.g. "ollama". */
  kind: string;
  label: string;
  baseUrl: string;
  models: string[];
}

export interface SpendLine {
  name: string;
  usd: number;
  calls: number;
}

/** The Budget view's numbers, computed by the server from the ledger. */
export interface BudgetReport {
  /** ISO date the report was made. */
  at: string;
  step: 'normal' | 'throttled' | 'localOnly' | 'paused';
  yearStart: string;
  yearEnd: string;
  spentTodayUsd: number;
  spentMonthUsd: number;
  spentYearUsd: number;
  backgroundSpentUsd: number;
  escalationSpentUsd: number;
  backgroundBudgetUsd: number;
  escalationBudgetUsd: number;
  allowanceToDateUsd: number;
  /** Average spend per day over the last 7 days. */
  burnPerDayUsd: number;
  /** When the background budget runs out at that rate; null if it lasts the year. */
  runwayDate: string | null;
  projectedYearEndUsd: number;
  byModel: SpendLine[];
  byBackend: SpendLine[];
  /** `accepted` counts those accepted in part (some hunks, not all) too; `acceptedInPart` says how many. */
  byKind: Array<SpendLine & { accepted: number; acceptedInPart: number; rejected: number; costPerAcceptedUsd: number | null }>;
  frontierModel: string;
  /** What the same tokens would have cost on the frontier model, less what they did cost. */
  savedVsFrontierUsd: number;
  /** Cumulative background spend and allowance at the end of each day so far (for the burn chart). */
  burn: Array<{ day: string; spentUsd: number; allowanceUsd: number }>;
  /** Problems found reading the ledger. */
  ledgerProblems: number;
  /** What the team's gateway last said (its counter is the one all the team's machines share); none without a gateway. */
  gateway?: GatewayView;
  /** The team policy in force: each rule's value and who set it. */
  policy?: PolicyRow[];
  /** Why the policy cannot be used (file:line:col), when it cannot. */
  policyProblems?: string[];
  /** The rules a repository's policy set but may not (a profile, the year's start), each with where and why; they are ignored. */
  policyRefused?: string[];
  /** The last 7 days against the 7 before: cost per accepted proposal, and the share of fixes the compiler settled free. */
  weekly?: { thisWeek: WeekNumbers; lastWeek: WeekNumbers };
  /** The tuner's setting per task kind, with its numbers (the Tuning section). */
  tuning?: TuningKindView[];
}

export interface WeekNumbers {
  spentUsd: number;
  accepted: number;
  /** null with nothing accepted. */
  costPerAcceptedUsd: number | null;
  /** Fix proposals shown: free ones (the compiler's own fixes) and by a model. */
  freeFixes: number;
  fixProposals: number;
  /** freeFixes of all fix proposals; null with none. */
  freeShare: number | null;
}

export interface GatewayView {
  /** "Team LiteLLM (team budget)". */
  label: string;
  scope: 'key' | 'team';
  spentUsd: number | null;
  limitUsd: number | null;
  remainingUsd: number | null;
  /** ISO time of the last good read. */
  readAt: string;
  /** The last read failed: why (the figures are from the last good read). */
  stale?: string;
  /** Gateway spend less this machine's ledger (this budget year); null when it cannot be compared. */
  gapUsd: number | null;
  /** A sentence when the gap is worth a look. */
  gapNote?: string;
}

export interface PolicyRow {
  rule: string;
  value: string;
  setBy: string;
  /** Which layer set it: a team policy (organisation, repository), the user's settings (wherever the host read them), or none. */
  layer?: 'organisation' | 'repository' | 'user' | 'default';
}

/** One arm of a task kind's tuning, as the Tuning section shows it. */
export interface TuningArmView {
  arm: string;
  tasks: number;
  shown: number;
  decided: number;
  /** Share of decided proposals accepted and kept; null before any decision. */
  keptRate: number | null;
  costPerTaskUsd: number | null;
  /** Expected reward per task (docs/tuning.md). */
  value: number;
}

/** A task kind's tuning: its setting, why, its arms' numbers, recent changes, and automatic escalation. */
export interface TuningKindView {
  kind: string;
  /** 'silent', or the recipe tasks of this kind run with. */
  setting: string;
  frozen: boolean;
  why: string;
  arms: TuningArmView[];
  history: Array<{ at: string; from: string; to: string; why: string }>;
  autoEscalate: { on: boolean; why: string };
}
