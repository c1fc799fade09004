/**
 * Whether a proposal's files on disk hold its result, its base, or something else. What a client
 * on the daemon's socket says is checked here before an accept is booked, and the proposals kept
 * from an earlier session are judged here when an engine starts (their files may have changed while
 * none ran).
 */
import type { Proposal } from '../../shared/types';
import { sha256 } from '../hash';
import { rebaseReplacements } from '../edits/searchReplace';

type Read = (uri: string) => Promise<string | undefined>;

/** Why the proposal's files on disk do not hold its result, or undefined when they all do. */
export async function notOnDisk(proposal: Proposal, readFile: Read | undefined): Promise<string | undefined> {
  for (const f of proposal.files) {
    const text = readFile ? await readFile(f.uri) : undefined;
    if (text === undefined) return `${f.relativePath} cannot be read`;
    if (!f.resultHash || sha256(text) !== f.resultHash) return `${f.relativePath} does not hold its change`;
  }
  return undefined;
}

/**
 * A kept proposal against its files as they are now: `current` (each still holds the text it was
 * made on), `applied` (each holds its result: applied outside, by hand or by another tool), or
 * `stale` with why (a file changed otherwise, is gone, or only some hold the result).
 */
export type KeptVerdict = { kind: 'current' } | { kind: 'applied' } | { kind: 'stale'; reason: string };

export async function judgeKept(proposal: Proposal, readFile: Read): Promise<KeptVerdict> {
  let base = 0;
  let result = 0;
  for (const f of proposal.files) {
    const text = await readFile(f.uri);
    if (text === undefined) return { kind: 'stale', reason: `${f.relativePath} is gone or cannot be read` };
    const hash = sha256(text);
    if (hash === f.baseHash) base++;
    else if (f.resultHash && hash === f.resultHash) result++;
    else return { kind: 'stale', reason: `${f.relativePath} changed since it was made` };
  }
  if (base === proposal.files.length) return { kind: 'current' };
  if (result === proposal.files.length) return { kind: 'applied' };
  return { kind: 'stale', reason: 'only some of its files hold its change' };
}

/**
 * Whether a kept proposal still waits, judged with no engine running (`proposals list` from the
 * terminal): its files as it found them, or changed only where an engine would follow them (every
 * edit's anchor still there once: ProposalStore.followKept). Applied or changed where it edits: no.
 */
export async function stillWaits(proposal: Proposal, readFile: Read): Promise<boolean> {
  const verdict = await judgeKept(proposal, readFile);
  if (verdict.kind !== 'stale') return verdict.kind === 'current';
  for (const f of proposal.files) {
    const text = await readFile(f.uri);
    if (text === undefined) return false;
    if (sha256(text) !== f.baseHash && !rebaseReplacements(text, f.replacements)) return false;
  }
  return true;
}
