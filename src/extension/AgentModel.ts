/**
 * What the extension knows of the agent: its status and open proposals, as last reported by the
 * server. The panel and the status bar render from here; nothing else keeps a copy.
 */
import * as vscode from 'vscode';
import type { PanelSnapshot } from '../shared/panelProtocol';
import type { AgentStatus, BudgetReport, EscalationItem, Proposal } from '../shared/types';
import { hostStatusOf } from '../core/agent/agentState';

export class AgentModel implements vscode.Disposable {
  private status: AgentStatus = hostStatusOf({ kind: 'starting' });
  private proposals: Proposal[] = [];
  private escalations: EscalationItem[] = [];
  private budget: BudgetReport | undefined;
  private host: string | undefined;
  /** Proposals hidden at once on a decision, before the server confirms it (or, for a reject, before it is sent). */
  private readonly hidden = new Set<string>();
  private undo: PanelSnapshot['undo'];
  private readonly changed = new vscode.EventEmitter<PanelSnapshot>();
  readonly onDidChange = this.changed.event;

  snapshot(): PanelSnapshot {
    const proposals = this.hidden.size ? this.proposals.filter((p) => !this.hidden.has(p.id)) : this.proposals;
    return {
      status: this.status,
      proposals,
      escalations: this.escalations,
      ...(this.budget ? { budget: this.budget } : {}),
      ...(this.host ? { host: this.host } : {}),
      ...(this.undo ? { undo: this.undo } : {}),
    };
  }

  /** The proposals waiting for a decision: not snoozed (a snoozed one is listed only as snoozed). */
  waiting(): Proposal[] {
    return this.snapshot().proposals.filter((p) => !p.snoozedUntil);
  }

  /** A proposal the user can still act on (not hidden by a decision under way). */
  proposal(id: string): Proposal | undefined {
    return this.hidden.has(id) ? undefined : this.proposals.find((p) => p.id === id);
  }

  setStatus(status: AgentStatus): void {
    this.status = status;
    this.changed.fire(this.snapshot());
  }

  setProposals(proposals: Proposal[]): void {
    this.proposals = proposals;
    const open = new Set(proposals.map((p) => p.id));
    for (const id of this.hidden) if (!open.has(id)) this.hidden.delete(id);
    this.changed.fire(this.snapshot());
  }

  setEscalations(items: EscalationItem[]): void {
    this.escalations = items;
    this.changed.fire(this.snapshot());
  }

  /** The engine runs in a daemon this window attached to (described for people), or in this window (undefined). */
  setHost(host: string | undefined): void {
    this.host = host;
    this.changed.fire(this.snapshot());
  }

  setBudget(budget: BudgetReport): void {
    this.budget = budget;
    this.changed.fire(this.snapshot());
  }

  /** Sends the same state again: the panel re-enables a button whose action the user called off. */
  republish(): void {
    this.changed.fire(this.snapshot());
  }

  /** Hides a proposal at once, before the server confirms, so a double click cannot apply it twice. */
  withdraw(id: string): void {
    this.hidden.add(id);
    this.changed.fire(this.snapshot());
  }

  /** Shows a withdrawn proposal again (its decision was undone or failed). */
  restore(id: string): void {
    if (this.hidden.delete(id)) this.changed.fire(this.snapshot());
  }

  /** The decision the panel offers to undo; undefined: none. */
  setUndo(undo: PanelSnapshot['undo']): void {
    this.undo = undo;
    this.changed.fire(this.snapshot());
  }

  dispose(): void {
    this.changed.dispose();
  }
}
