/**
 * The custom LSP methods between the extension (client) and the agent server, declared once and
 * imported by both ends. No runtime dependency: each descriptor is a method name with phantom
 * parameter/result types that the hosts' typed send/handle helpers read.
 */
import type { AgentStatus, BudgetReport, ConnectionTest, DiagnosticInfo, EscalationItem, EscalationQuote, LocalModelServer, Proposal, UserAction } from './types';

export interface RequestDescriptor<P, R> {
  readonly method: string;
  readonly _types?: [P, R];
}
export interface NotificationDescriptor<P> {
  readonly method: string;
  readonly _params?: P;
}
const request = <P, R>(method: string): RequestDescriptor<P, R> => ({ method });
const notification = <P>(method: string): NotificationDescriptor<P> => ({ method });

export type { DiagnosticInfo } from './types';

// client → server

export interface SettledDiagnosticsParams {
  uri: string;
  relativePath: string;
  languageId: string;
  text: string;
  diagnostics: DiagnosticInfo[];
}
/** Diagnostics that were still there a while after the file was saved. */
export const SettledDiagnosticsNotification = notification<SettledDiagnosticsParams>('nightshift/settledDiagnostics');

/** Files were deleted or renamed away: their proposals go stale. */
export const FilesDeletedNotification = notification<{ uris: string[] }>('nightshift/filesDeleted');

/** The API key was set or cleared: the server asks for it again before its next call. */
export const CredentialsChangedNotification = notification<Record<string, never>>('nightshift/credentialsChanged');

/** The user has not typed, moved the cursor or switched editors for nightshift.idleSweepMinutes. */
export const UserIdleNotification = notification<Record<string, never>>('nightshift/userIdle');

/** The user came back to the editor (`active`), or has been away from it for two minutes. */
export const UserPresenceNotification = notification<{ active: boolean }>('nightshift/userPresence');

export interface DecideProposalParams {
  id: string;
  /** `unsnooze` brings a snoozed proposal back now; `acceptHunk` / `rejectHunk` decide one hunk (see `hunk`). */
  decision: 'accept' | 'reject' | 'snooze' | 'unsnooze' | 'acceptHunk' | 'rejectHunk';
  /** For accept: whether the edit reached the files. */
  applied?: boolean;
  reason?: string;
  /** For a hunk: its file, its index among the file's replacements, and the text the file holds now (the hunk's base). */
  hunk?: { uri: string; index: number; base: string };
}
export const DecideProposalRequest = request<DecideProposalParams, { ok: boolean; reason?: string }>('nightshift/decideProposal');

/** From the Activity view: run a waiting task next, or cancel a waiting or running one. */
export const TaskActionRequest = request<{ key: string; action: 'runNow' | 'cancel' }, { ok: boolean }>('nightshift/taskAction');
/** Freezes a task kind's tuning at its setting, lets it tune again, or forgets what it learnt. */
export const TuningControlRequest = request<{ kind: string; action: 'freeze' | 'unfreeze' | 'reset' }, { ok: boolean }>('nightshift/tuningControl');

/** One call of a single token to the background profile, booked like any other: does it answer, how fast, for what. */
export const TestConnectionRequest = request<Record<string, never>, ConnectionTest>('nightshift/testConnection');

export const SetPausedRequest = request<{ paused: boolean }, AgentStatus>('nightshift/setPaused');

/** The Budget view's numbers, from the ledger. */
export const BudgetReportRequest = request<Record<string, never>, BudgetReport>('nightshift/budgetReport');

/** Writes the whole ledger to `path` as CSV or JSON. */
export const ExportLedgerRequest = request<{ format: 'csv' | 'json'; path: string }, { calls: number; decisions: number }>('nightshift/exportLedger');

/** Probes the default ports of local model servers (loopback only) for their models. */
export const DetectLocalModelsRequest = request<Record<string, never>, { servers: LocalModelServer[] }>('nightshift/detectLocalModels');

/** The team policy in force: each rule's value and who set it, and why a layer cannot be used. */
export const PolicyReportRequest = request<Record<string, never>, { broken: boolean; problems: string[]; rules: Array<{ rule: string; value: string; setBy: string }> }>('nightshift/policyReport');

/** What escalating a waiting task would cost; nothing is spent. */
export const EscalationQuoteRequest = request<{ id: string }, EscalationQuote>('nightshift/escalationQuote');

/** Sends a waiting task to the escalation profile (after the user saw the quote). */
export const EscalateRequest = request<{ id: string }, { ok: boolean }>('nightshift/escalate');

// server → client

/** The tasks the background model could not do, which the user may escalate. */
export const EscalationsChangedNotification = notification<{ items: EscalationItem[] }>('nightshift/escalationsChanged');

export const ProposalsChangedNotification = notification<{ proposals: Proposal[] }>('nightshift/proposalsChanged');

export const AgentStatusNotification = notification<AgentStatus>('nightshift/agentStatus');

export interface UserMessageParams {
  level: 'info' | 'warning' | 'error';
  message: string;
  action?: UserAction;
}
/** Something the user should see once, as a notification, besides the log. */
export const UserMessageNotification = notification<UserMessageParams>('nightshift/userMessage');

/** The server asks whether a call above the user's "ask above" threshold may go ahead. */
export const ApproveCostRequest = request<{ message: string }, { approved: boolean }>('nightshift/approveCost');

/** Where VS Code's language features say a symbol is declared (workspace symbols). */
export const FindDefinitionRequest = request<{ symbol: string }, { locations: Array<{ relativePath: string; line: number }> }>('nightshift/findDefinition');

/** Hover signatures of the names used on some (zero-based) lines of a file, from its language server. */
export const SignaturesRequest = request<{ uri: string; lines: number[] }, { signatures: string[] }>('nightshift/signatures');

/** Sent by the client in `initialize`: where the user's state lives and which workspace this is. */
export interface AgentInitOptions {
  /** The user's Nightshift state folder (shared by every window and the headless host): the spend ledger lives here. */
  stateDir: string;
  workspace: string;
  /** The workspace folders' paths: each file is judged by its own folder's ignore files and checked by its own folder's TypeScript, ESLint and tests; each folder's git is watched. */
  workspaceFolders: string[];
  /** This workspace's state folder, the same for every host: proposals live here. */
  workspaceStateDir?: string;
  /** The Ruff extension's own ruff (its bundled binary), checking Ruff's problems where no ruff is beside the folder's Python or on PATH. */
  ruffBundled?: string;
}

/** The profile made from nightshift.baseUrl/model; its key is the one asked for without a profile. */
export const DEFAULT_PROFILE_NAME = 'default';

/** The server asks for the key of a backend profile; the extension reads it from SecretStorage. */
/** A profile's key and the base URL it was stored for (absent for a key stored before keys remembered theirs): core/providers/keyScope.ts. */
export const ApiKeyRequest = request<{ profile: string }, { apiKey: string | null; for?: string }>('nightshift/apiKey');

/* eslint-disable @typescript-eslint/no-explicit-any -- matches vscode-jsonrpc's generic handler signatures */
/** The four calls both a LanguageClient and a server Connection offer, by method name. */
export interface JsonRpcEndpoint {
  sendNotification(method: string, params: any): unknown;
  sendRequest(method: string, params: any): Promise<unknown>;
  onNotification(method: string, handler: (...params: any[]) => void): unknown;
  onRequest(method: string, handler: (...params: any[]) => unknown): unknown;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Typed access to an endpoint through the descriptors above, so both ends agree on shapes. */
export function typedEndpoint(endpoint: JsonRpcEndpoint) {
  return {
    notify<P>(d: NotificationDescriptor<P>, params: P): void {
      // Fire and forget: a notification to a peer that has just gone is lost, never an unhandled rejection (it ended a daemon once).
      void Promise.resolve(endpoint.sendNotification(d.method, params)).catch(() => undefined);
    },
    request<P, R>(d: RequestDescriptor<P, R>, params: P): Promise<R> {
      return endpoint.sendRequest(d.method, params) as Promise<R>;
    },
    onNotify<P>(d: NotificationDescriptor<P>, handler: (params: P) => void): void {
      endpoint.onNotification(d.method, handler);
    },
    onRequest<P, R>(d: RequestDescriptor<P, R>, handler: (params: P) => R | Promise<R>): void {
      endpoint.onRequest(d.method, handler);
    },
  };
}
