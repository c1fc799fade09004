/**
 * The proposals the user sees and decides on: publishes the open ones (hiding snoozed ones until
 * they wake, with one timer for the next to wake), and books each decision — accept, reject,
 * snooze — in the ledger and the per-kind yield statistics.
 */
import type { DecideProposalParams } from '../../shared/agentProtocol';
import type { ProposalStore } from '../proposals/ProposalStore';
import type { AgentHost } from './agentHost';
import type { YieldStats } from './yieldStats';

/** How long Snooze hides a proposal. */
export const SNOOZE_MS = 4 * 3600_000;

export class ProposalBoard {
  private cancelWakeTimer: (() => void) | undefined;

  constructor(
    private readonly store: ProposalStore,
    private readonly yields: YieldStats,
    private readonly host: Pick<AgentHost, 'log' | 'now' | 'setTimer' | 'onProposals' | 'spend'>,
  ) {}

  /** Publishes the proposals not snoozed, and wakes up when the next snooze ends. */
  publish(): void {
    const now = this.host.now().getTime();
    const all = this.store.list();
    const waking = all.map((p) => (p.snoozedUntil ? Date.parse(p.snoozedUntil) : 0)).filter((t) => t > now);
    this.host.onProposals(all.filter((p) => !p.snoozedUntil || Date.parse(p.snoozedUntil) <= now));
    this.cancelWakeTimer?.();
    this.cancelWakeTimer = waking.length > 0 ? this.host.setTimer(Math.min(...waking) - now + 1000, () => this.publish()) : undefined;
  }

  /** Records a decision; resolves once it is in the ledger. `taskKey`: the decided task, never to be paid for again. */
  async decide(params: DecideProposalParams): Promise<{ ok: boolean; taskKey?: string }> {
    if (params.decision === 'snooze') return this.snooze(params.id);
    const entry = this.store.decide(params.id);
    if (!entry) return { ok: false };
    const { proposal } = entry;
    const accepted = params.decision === 'accept' && params.applied !== false;
    const verb = params.decision === 'accept' ? (accepted ? 'accepted' : 'could not be applied') : 'rejected';
    this.host.log('info', `Proposal "${proposal.title}" ${verb}.`);
    this.publish();
    // Dismissing a stale proposal says nothing about its worth: no decision is booked.
    if (!proposal.stale && (accepted || params.decision === 'reject')) {
      this.yields.record(entry.taskKind, accepted);
      await this.book(() => this.host.spend.recordDecision(entry.taskId, entry.taskKind, proposal.id, accepted ? 'accepted' : 'rejected', params.reason));
    }
    return { ok: true, taskKey: entry.taskKey };
  }

  /** Hides a proposal for a while; it comes back by itself. */
  private async snooze(id: string): Promise<{ ok: boolean }> {
    const entry = this.store.get(id);
    const until = new Date(this.host.now().getTime() + SNOOZE_MS);
    if (!entry || !this.store.snooze(id, until.toISOString())) return { ok: false };
    this.host.log('info', `Proposal "${entry.proposal.title}" snoozed until ${until.toLocaleString()}.`);
    this.publish();
    await this.book(() => this.host.spend.recordDecision(entry.taskId, entry.taskKind, id, 'snoozed'));
    return { ok: true };
  }

  /** A decision the ledger could not take is logged; the decision itself stands. */
  private async book(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (err) {
      this.host.log('error', err instanceof Error ? err.message : String(err));
    }
  }

  dispose(): void {
    this.cancelWakeTimer?.();
  }
}
