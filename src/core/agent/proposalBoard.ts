/**
 * The proposals the user sees and decides on: publishes the open ones (snoozed ones marked, with
 * one timer for the next to wake), and books each decision — accept, reject, snooze, a hunk at a
 * time — in the ledger, and tells the tuner. What is left of a proposal after a hunk
 * was decided is checked again before it is shown as checked.
 */
import { fileURLToPath } from 'node:url';
import type { DecideProposalParams, DiagnosticInfo } from '../../shared/agentProtocol';
import type { Proposal } from '../../shared/types';
import { applyReplacements } from '../edits/searchReplace';
import type { ProposalStore, StoredProposal } from '../proposals/ProposalStore';
import { judgeKept } from '../proposals/appliedOnDisk';
import type { AgentHost } from './agentHost';

/** How long Snooze hides a proposal. */
export const SNOOZE_MS = 4 * 3600_000;

type BoardHost = Pick<AgentHost, 'log' | 'now' | 'setTimer' | 'onProposals' | 'spend' | 'verifier'>;

/** What the checkers say of one file now, and which of them looked (a headless host's look at a kept proposal's file). */
export interface KeptLook {
  text: string;
  /** The diagnostics' sources that looked at the file ('ts', 'eslint', 'Pyright'): only their problems are judged. */
  sources: readonly string[];
  problems: readonly DiagnosticInfo[];
}

export class ProposalBoard {
  private cancelWakeTimer: (() => void) | undefined;
  /** Re-checks under way, by proposal id. */
  private readonly rechecking = new Map<string, Promise<void>>();

  constructor(
    private readonly store: ProposalStore,
    /** Told each final decision: `accepted` of `of` hunks (the tuner learns from it). */
    private readonly onDecided: (entry: StoredProposal, accepted: number, of: number) => void,
    private readonly host: BoardHost,
  ) {}

  /** Publishes the open proposals, snoozed ones included (marked, for the "N snoozed" list); wakes up when the next snooze ends. */
  publish(): void {
    const now = this.host.now().getTime();
    const all = this.store.list();
    const waking = all.map((p) => (p.snoozedUntil ? Date.parse(p.snoozedUntil) : 0)).filter((t) => t > now);
    this.host.onProposals(all.map((p) => (p.snoozedUntil && Date.parse(p.snoozedUntil) <= now ? withoutSnooze(p) : p)));
    this.cancelWakeTimer?.();
    this.cancelWakeTimer = waking.length > 0 ? this.host.setTimer(Math.min(...waking) - now + 1000, () => this.publish()) : undefined;
  }

  /**
   * The proposals kept from an earlier session, judged against their files as they are now (they
   * may have changed while no engine ran): a file changed elsewhere than where it edits is
   * followed, as while an engine runs; one changed where it edits makes it stale, saying why, as a
   * problem gone does; files that hold its result mean it was applied outside Nightshift, and
   * it is booked as accepted. Before the first publish, so nothing outdated is shown as current.
   */
  async reconcileKept(read: (uri: string) => Promise<string | undefined>): Promise<void> {
    for (const { proposal } of this.store.entries()) {
      if (proposal.stale) continue;
      const verdict = await judgeKept(proposal, read);
      if (verdict.kind === 'stale' && (await this.followKept(proposal, read))) {
        this.host.log('info', `Proposal "${proposal.title}" follows ${proposal.files.map((f) => f.relativePath).join(', ')}, changed meanwhile.`);
      } else if (verdict.kind === 'stale' && this.store.markStale(proposal.id, verdict.reason)) {
        this.host.log('info', `Proposal "${proposal.title}" is stale: ${verdict.reason}.`);
      } else if (verdict.kind === 'applied') {
        this.host.log('info', `Proposal "${proposal.title}" was applied outside Nightshift; booked as accepted.`);
        await this.decide({ id: proposal.id, decision: 'accept', applied: true, reason: 'applied outside Nightshift' });
      }
    }
  }

  /** Moves a kept proposal onto its files as they are now, where every edit's anchor is there once (ProposalStore.followKept). */
  private async followKept(proposal: Proposal, read: (uri: string) => Promise<string | undefined>): Promise<boolean> {
    const texts = new Map<string, string>();
    for (const f of proposal.files) {
      const text = await read(f.uri);
      if (text === undefined) return false;
      texts.set(f.uri, text);
    }
    return this.store.followKept(proposal.id, texts);
  }

  /**
   * A headless host looked at the files again (its first full pass): a kept fix whose problems the
   * checker that reports them finds gone (fixed by an edit elsewhere while no engine ran) goes stale,
   * as a problem gone does while one runs. A file no checker of those problems looked at stays as it is.
   */
  async recheckKept(look: (uri: string) => Promise<KeptLook | undefined>): Promise<void> {
    let changed = false;
    for (const { proposal } of this.store.entries()) {
      const uri = proposal.targetUri ?? proposal.files[0]?.uri;
      if (proposal.stale || !proposal.targets?.length || !uri) continue;
      const now = await look(uri);
      if (!now || !proposal.targets.every((t) => t.source !== undefined && now.sources.includes(t.source))) continue;
      if (!this.store.onProblemsSettled(uri, now.text, now.problems)) continue;
      changed = true;
      this.host.log('info', `Proposal "${proposal.title}" is stale: the problem it fixes is gone.`);
    }
    if (changed) this.publish();
  }

  /** Records a decision; resolves once it is in the ledger. `taskKey`: the decided task, never to be paid for again. */
  async decide(params: DecideProposalParams): Promise<{ ok: boolean; reason?: string; taskKey?: string }> {
    if (params.decision === 'snooze') return this.snooze(params.id, new Date(this.host.now().getTime() + SNOOZE_MS));
    if (params.decision === 'unsnooze') return this.snooze(params.id, undefined);
    if (params.decision === 'acceptHunk' || params.decision === 'rejectHunk') return this.decideHunk(params);
    const entry = this.store.decide(params.id);
    if (!entry) return { ok: false };
    const { proposal } = entry;
    const accepted = params.decision === 'accept' && params.applied !== false;
    const verb = params.decision === 'accept' ? (accepted ? 'accepted' : 'could not be applied') : 'rejected';
    this.host.log('info', `Proposal "${proposal.title}" ${verb}.`);
    this.publish();
    // Dismissing a stale proposal says nothing about its worth: no decision is booked.
    if (!proposal.stale && (accepted || params.decision === 'reject')) {
      const left = proposal.files.reduce((n, f) => n + f.replacements.length, 0);
      await this.book(entry, accepted ? left : 0, left, params.reason);
    }
    return { ok: true, taskKey: entry.taskKey };
  }

  /** One hunk accepted (the editor applies it next) or rejected; the last one decides the proposal. */
  private async decideHunk(params: DecideProposalParams): Promise<{ ok: boolean; reason?: string; taskKey?: string }> {
    const { hunk } = params;
    if (!hunk) return { ok: false, reason: 'no hunk named' };
    const accept = params.decision === 'acceptHunk';
    const result = this.store.decideHunk(params.id, hunk.uri, hunk.index, accept, hunk.base);
    if (!result.ok) {
      this.host.log('warn', `A hunk was not ${accept ? 'applied' : 'rejected'}: ${result.reason}.`);
      return result;
    }
    const { proposal } = result;
    this.host.log('info', `A hunk of "${proposal.title}" ${accept ? 'accepted' : 'rejected'}.`);
    if (proposal.files.length === 0) {
      const entry = this.store.decide(params.id)!;
      this.publish();
      await this.book(entry, 0, 0, params.reason);
      return { ok: true, taskKey: entry.taskKey };
    }
    this.publish();
    this.recheck(proposal, hunk.uri, result.base);
    return { ok: true };
  }

  /** Checks what is left of a proposal, on the text its files now hold; the result stands only if nothing changed meanwhile. */
  private recheck(proposal: Proposal, uri: string, base: string): void {
    const file = proposal.files.find((f) => f.uri === uri);
    if (!file || !proposal.check) return;
    if (proposal.files.length > 1 || (proposal.targetUri !== undefined && proposal.targetUri !== uri)) {
      // The other files' text is the editor's: a change to several files is not re-checked here.
      if (this.store.setCheck(proposal.id, proposal.files, { status: 'unchecked', detail: 'Not checked again after a hunk was decided (the change spans several files).' })) this.publish();
      return;
    }
    const run = (async () => {
      const check = await this.host.verifier
        .verify({ filePath: fileURLToPath(uri), before: base, after: applyReplacements(base, file.replacements), targets: proposal.targets ?? [] })
        .catch((err: unknown) => ({ status: 'unchecked' as const, detail: `The re-check could not run: ${err instanceof Error ? err.message : String(err)}` }));
      if (this.store.setCheck(proposal.id, proposal.files, check)) this.publish();
    })();
    this.rechecking.set(proposal.id, run);
    void run.finally(() => this.rechecking.get(proposal.id) === run && this.rechecking.delete(proposal.id));
  }

  /** Resolves once the re-checks under way are done (for tests and an orderly stop). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.rechecking.values()]);
  }

  /** Hides a proposal until `until`, or brings it back (undefined). */
  private async snooze(id: string, until: Date | undefined): Promise<{ ok: boolean }> {
    const entry = this.store.get(id);
    if (!entry || !this.store.snooze(id, until?.toISOString())) return { ok: false };
    this.host.log('info', until ? `Proposal "${entry.proposal.title}" snoozed until ${until.toLocaleString()}.` : `Proposal "${entry.proposal.title}" is back.`);
    this.publish();
    if (until) await this.write(() => this.host.spend.recordDecision(entry.taskId, entry.taskKind, id, 'snoozed'));
    return { ok: true };
  }

  /**
   * Books the final decision: `accepting` of the `left` hunks still open are taken now, on top of
   * those decided one by one. All accepted: accepted; none: rejected; some: accepted in part.
   */
  private async book(entry: StoredProposal, accepting: number, left: number, reason?: string): Promise<void> {
    const part = entry.proposal.partial;
    const accepted = (part?.accepted ?? 0) + accepting;
    const of = accepted + (part?.rejected ?? 0) + (left - accepting);
    const decision = accepted > 0 ? 'accepted' : 'rejected';
    this.onDecided(entry, accepted, of);
    const partial = part ? { accepted, of } : undefined;
    await this.write(() => this.host.spend.recordDecision(entry.taskId, entry.taskKind, entry.proposal.id, decision, reason, partial));
  }

  /** A decision the ledger could not take is logged; the decision itself stands. */
  private async write(append: () => Promise<void>): Promise<void> {
    try {
      await append();
    } catch (err) {
      this.host.log('error', err instanceof Error ? err.message : String(err));
    }
  }

  dispose(): void {
    this.cancelWakeTimer?.();
  }
}

function withoutSnooze(p: Proposal): Proposal {
  const { snoozedUntil: _gone, ...rest } = p;
  return rest;
}
