/**
 * Whether a proposal said to be applied really is on disk: every file it changes holds its result.
 * What a client on the daemon's socket says is checked here before an accept is booked.
 */
import type { Proposal } from '../../shared/types';
import { sha256 } from '../hash';

/** Why the proposal's files on disk do not hold its result, or undefined when they all do. */
export async function notOnDisk(proposal: Proposal, readFile: ((uri: string) => Promise<string | undefined>) | undefined): Promise<string | undefined> {
  for (const f of proposal.files) {
    const text = readFile ? await readFile(f.uri) : undefined;
    if (text === undefined) return `${f.relativePath} cannot be read`;
    if (!f.resultHash || sha256(text) !== f.resultHash) return `${f.relativePath} does not hold its change`;
  }
  return undefined;
}
