/**
 * What the background agent needs from the world it runs in: the LSP server in the editor, or a
 * headless host. Everything with an outside effect — calls, files, messages, time — goes through it.
 */
import type { AgentStatus, BackendHealthSummary, EscalationItem, Proposal, UserAction } from '../../shared/types';
import type { CallRole } from '../budget/ledgerEntry';
import type { SpendGate } from '../budget/SpendAccountant';
import type { WorkspaceContext } from '../context/WorkspaceContext';
import type { PrivacyGate } from '../privacy/PrivacyGate';
import type { Verifier } from '../verify/Verifier';
import type { CompilerFixer } from '../verify/compilerFixes';
import type { BackendResolution } from './runTask';
import { settingDefault } from '../../shared/settingsSchema';

export interface AgentHost {
  resolveBackend(options: { localOnly: boolean; role: CallRole }): Promise<BackendResolution>;
  maxCompletionTokens(): Promise<number>;
  spend: SpendGate;
  /** The privacy rules of the workspace folder that holds this file (its own ignore files apply). */
  privacy(uri: string): PrivacyGate;
  verifier: Verifier;
  /** The language's own fixes (rung 0), asked before any model; absent where there is no compiler to ask. */
  compilerFixes?: CompilerFixer;
  /** A file's text on disk now (undefined: gone or unreadable); absent where the host has no disk to read. */
  readFile?(uri: string): Promise<string | undefined>;
  approveCost(message: string): Promise<boolean>;
  onStatus(status: AgentStatus): void;
  onProposals(proposals: Proposal[]): void;
  /** The tasks waiting for the user to escalate them changed. */
  onEscalations(items: EscalationItem[]): void;
  onUserMessage(level: 'info' | 'warning' | 'error', message: string, action?: UserAction): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  now(): Date;
  newId(): string;
  /** Runs `fn` once after `ms`; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
  /** Health of the backends over the last hour, for the status. */
  health(): BackendHealthSummary[];
  /** The settings the agent reads as it goes. */
  settings(): AgentSettings;
  /** The workspace folders beyond one file (facts, lookups, commits, refactor candidates), first folder first. Empty: single files only. */
  workspaces: WorkspaceContext[];
}

export interface AgentSettings {
  /** Quiet windows ("22:00-07:00"): no work inside any of them. Empty: none. */
  quietHours: string | readonly string[];
  /** Work only inside these daily windows ("01:00-06:00"), inside every one of them; empty: any time. */
  workHours?: string | readonly string[];
  /** Start calls only while the user is idle (a team policy's rule). */
  onlyWhenIdle?: boolean;
  /** Kinds the user wants triggered whatever their acceptance rate (nightshift.alwaysTrigger). */
  alwaysTrigger: string[];
  /** Tasks run at once, at most. */
  concurrency: number;
  /** Review the new hunks of saved files. */
  reviewSavedChanges: boolean;
  /** Review new commits on the current branch. */
  reviewCommits: boolean;
  /** Treat TODO/FIXME comments as marker comments. */
  todoComments: boolean;
  /**
   * Whether the tuner may send a failed task to the escalation profile by itself, where escalated
   * tasks of its kind paid for themselves (nightshift.autoEscalate, and a policy that allows it
   * without confirmation).
   */
  autoEscalate?: boolean;
}

/** The settings' defaults (shared/settingsSchema.ts). */
export const DEFAULT_AGENT_SETTINGS: AgentSettings = {
  quietHours: settingDefault('quietHours'),
  alwaysTrigger: [],
  concurrency: settingDefault('concurrency'),
  reviewSavedChanges: settingDefault('reviewSavedChanges'),
  reviewCommits: settingDefault('reviewCommits'),
  todoComments: settingDefault('todoComments'),
};

/** Says the budget's notices (half the year's budget spent, a cap reached, the clock moved back) in the log and to the user, once each. */
export function tellBudgetNotices(host: Pick<AgentHost, 'spend' | 'log' | 'onUserMessage'>): void {
  for (const n of host.spend.takeNotices()) {
    host.log('warn', n.message);
    host.onUserMessage(n.kind === 'warn50' || n.kind === 'clockBack' ? 'info' : 'warning', n.message);
  }
}
