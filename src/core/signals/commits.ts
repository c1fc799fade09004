/**
 * New commits on the current branch, read with git: a commit is new when HEAD moved forward by
 * it (its first parent is the HEAD seen before). Checkouts, resets and rebases move HEAD too but
 * are not new work, so they are not reviewed.
 */
import { git } from '../context/WorkspaceFiles';
import { filesOfPatch, type FilePatch } from './changes';

export interface Commit {
  sha: string;
  subject: string;
  files: FilePatch[];
}

/** Files of one commit reviewed at most (the ones with the most changed lines). */
const MAX_COMMIT_FILES = 5;

export async function headOf(root: string): Promise<{ sha: string; parents: string[] } | undefined> {
  const out = await git(root, ['log', '-1', '--format=%H %P', 'HEAD']);
  const [sha, ...parents] = (out ?? '').trim().split(/\s+/);
  return sha ? { sha, parents } : undefined;
}

/** The commit HEAD now points at, if it is one new commit on top of `previous`; otherwise undefined. */
export async function newCommit(root: string, previous: string | undefined): Promise<{ head: string | undefined; commit?: Commit }> {
  const head = await headOf(root);
  if (!head || head.sha === previous) return { head: head?.sha };
  if (!previous || head.parents.length !== 1 || head.parents[0] !== previous) return { head: head.sha };
  const show = await git(root, ['show', '--no-color', '--no-ext-diff', '--no-textconv', '--relative', '--format=%s', '--unified=2', head.sha]);
  if (show === undefined) return { head: head.sha };
  const newline = show.indexOf('\n');
  const subject = show.slice(0, newline < 0 ? undefined : newline).trim();
  const files = filesOfPatch(show.slice(newline + 1))
    .sort((a, b) => b.changes.lines.length - a.changes.lines.length)
    .slice(0, MAX_COMMIT_FILES);
  return { head: head.sha, commit: { sha: head.sha, subject, files } };
}
