/**
 * What the extension knows of the agent: its status and open proposals, as last reported by the
 * server. The panel and the status bar render from here; nothing else keeps a copy.
 */
import * as vscode from 'vscode';
import type { PanelSnapshot } from '../shared/panelProtocol';
import type { AgentStatus, BudgetReport, EscalationItem, Proposal } from '../shared/types';

export class AgentModel implements vscode.Disposable {
  private status: AgentStatus = { state: 'starting', detail: 'Starting the agent…', spendTodayUsd: 0, queued: 0 };
  private proposals: Proposal[] = [];
  private escalations: EscalationItem[] = [];
  private budget: BudgetReport | undefined;
  private host: string | undefined;
  private readonly changed = new vscode.EventEmitter<PanelSnapshot>();
  readonly onDidChange = this.changed.event;

  snapshot(): PanelSnapshot {
    return { status: this.status, proposals: this.proposals, escalations: this.escalations, ...(this.budget ? { budget: this.budget } : {}), ...(this.host ? { host: this.host } : {}) };
  }

  /** The proposals waiting for a decision: not snoozed (a snoozed one is listed only as snoozed). */
  waiting(): Proposal[] {
    return this.proposals.filter((p) => !p.snoozedUntil);
  }

  proposal(id: string): Proposal | undefined {
    return this.proposals.find((p) => p.id === id);
  }

  setStatus(status: AgentStatus): void {
    this.status = status;
    this.changed.fire(this.snapshot());
  }

  setProposals(proposals: Proposal[]): void {
    this.proposals = proposals;
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
    this.setProposals(this.proposals.filter((p) => p.id !== id));
  }

  dispose(): void {
    this.changed.dispose();
  }
}
