/**
 * Messages between the side panel (webview-ui) and the extension. The extension is the source
 * of truth; the panel renders what it is sent and asks for actions. Every message from the
 * panel is untrusted input: `parsePanelRequest` checks its shape before anything acts on it.
 */
import type { AgentStatus, BudgetReport, EscalationItem, Proposal, UserAction } from './types';

export interface PanelSnapshot {
  status: AgentStatus;
  proposals: Proposal[];
  /** Tasks the background model could not do, which the user may escalate. */
  escalations: EscalationItem[];
  budget?: BudgetReport;
  /** Which host runs the engine this window shows: undefined for this window's own server. */
  host?: string;
  /** The last decision that can still be undone (a reject is only sent after a few seconds; a snooze is undone by waking it). */
  undo?: { id: string; title: string; what: 'rejected' | 'snoozed' };
  /** The user's nightshift.typeCheckedCounts: what the inbox's "checked" filter and order count as checked (see countsAsChecked). */
  typeCheckedCounts?: boolean;
}

/** extension → panel */
export type PanelUpdate = { type: 'state/update'; snapshot: PanelSnapshot } | { type: 'reveal'; id: string };

/** panel → extension */
export type PanelRequest =
  | { type: 'panel/ready' }
  | { type: 'proposal/accept'; id: string }
  | { type: 'proposal/reject'; id: string }
  | { type: 'proposal/snooze'; id: string }
  | { type: 'proposal/openDiff'; id: string }
  | { type: 'proposal/unsnooze'; id: string }
  | { type: 'proposal/undo'; id: string }
  | { type: 'proposal/acceptHunk'; id: string; file: number; hunk: number }
  | { type: 'proposal/rejectHunk'; id: string; file: number; hunk: number }
  | { type: 'escalation/escalate'; id: string }
  | { type: 'agent/setPaused'; paused: boolean }
  | { type: 'tuning/control'; kind: string; action: 'freeze' | 'unfreeze' | 'reset' }
  | { type: 'command/run'; action: UserAction };

const userActions: readonly UserAction[] = ['setApiKey', 'showLog', 'openSettings', 'exportLedger', 'detectLocalModels', 'manageTrust', 'openWalkthrough'];
const MAX_ID_LENGTH = 200;
const tuningKinds = ['fix', 'todo', 'review', 'refactor'];
const tuningActions = ['freeze', 'unfreeze', 'reset'] as const;

function isIndex(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 10_000;
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH;
}

/** Returns the request if `raw` is a well-formed panel request, else undefined. */
export function parsePanelRequest(raw: unknown): PanelRequest | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'panel/ready':
      return { type: 'panel/ready' };
    case 'proposal/accept':
    case 'proposal/reject':
    case 'proposal/snooze':
    case 'proposal/openDiff':
    case 'proposal/unsnooze':
    case 'proposal/undo':
    case 'escalation/escalate':
      return isId(m.id) ? { type: m.type, id: m.id } : undefined;
    case 'proposal/acceptHunk':
    case 'proposal/rejectHunk':
      return isId(m.id) && isIndex(m.file) && isIndex(m.hunk) ? { type: m.type, id: m.id, file: m.file, hunk: m.hunk } : undefined;
    case 'agent/setPaused':
      return typeof m.paused === 'boolean' ? { type: 'agent/setPaused', paused: m.paused } : undefined;
    case 'tuning/control':
      return tuningKinds.includes(m.kind as string) && tuningActions.includes(m.action as 'freeze') ? { type: 'tuning/control', kind: m.kind as string, action: m.action as 'freeze' | 'unfreeze' | 'reset' } : undefined;
    case 'command/run':
      return userActions.includes(m.action as UserAction) ? { type: 'command/run', action: m.action as UserAction } : undefined;
    default:
      return undefined;
  }
}
