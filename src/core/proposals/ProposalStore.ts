/**
 * The open proposals of a workspace, and the task keys already decided on, so that a rejected
 * fix is not proposed again for the same code. In memory for now; persistence comes with the
 * proposal store on disk.
 */
import type { Proposal } from '../../shared/types';

export class ProposalStore {
  private readonly open = new Map<string, { proposal: Proposal; taskKey: string }>();

  list(): Proposal[] {
    return [...this.open.values()].map((e) => e.proposal);
  }

  get(id: string): Proposal | undefined {
    return this.open.get(id)?.proposal;
  }

  add(proposal: Proposal, taskKey: string): void {
    this.open.set(proposal.id, { proposal, taskKey });
  }

  /** Removes a proposal; returns the key of the task that made it. */
  remove(id: string): string | undefined {
    const entry = this.open.get(id);
    this.open.delete(id);
    return entry?.taskKey;
  }

  /** Drops the proposals for `uri` made on other content than `contentHash`; returns how many. */
  dropStale(uri: string, contentHash: string): number {
    let dropped = 0;
    for (const [id, { proposal }] of this.open) {
      if (proposal.files.some((f) => f.uri === uri && f.baseHash !== contentHash)) {
        this.open.delete(id);
        dropped++;
      }
    }
    return dropped;
  }
}
