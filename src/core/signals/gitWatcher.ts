/**
 * Notices new commits without polling: the kernel tells us when git appends to the HEAD reflog
 * (every commit, checkout and reset does). On each change HEAD is read once, and a commit that
 * moved the current branch forward by one is handed on for review.
 */
import { watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';
import { git } from '../context/WorkspaceFiles';
import { headOf, newCommit, type Commit } from './commits';

const DEBOUNCE_MS = 500;

export class GitWatcher {
  private watcher: FSWatcher | undefined;
  private head: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private checking = Promise.resolve();
  private gitDir: string | undefined;
  private disposed = false;

  constructor(
    private readonly root: string,
    private readonly onCommit: (commit: Commit) => void,
    private readonly log: (message: string) => void,
  ) {}

  async start(): Promise<void> {
    const gitDir = (await git(this.root, ['rev-parse', '--absolute-git-dir']))?.trim();
    if (!gitDir) return;
    this.head = (await headOf(this.root))?.sha;
    this.gitDir = gitDir;
    this.arm();
  }

  /**
   * Watches the reflog; before the first commit there is none, so the git folder is watched until
   * it appears. A reflog replaced by another file (git gc rewrites it) is watched anew.
   */
  private arm(): void {
    if (!this.gitDir || this.disposed) return;
    this.watcher?.close();
    const onEvent = (event: string) => {
      this.changed();
      if (event === 'rename') setTimeout(() => this.arm(), DEBOUNCE_MS);
    };
    try {
      this.watcher = watch(path.join(this.gitDir, 'logs', 'HEAD'), { persistent: false }, onEvent);
    } catch {
      try {
        this.watcher = watch(this.gitDir, { persistent: false }, onEvent);
      } catch (err) {
        this.watcher = undefined;
        this.log(`Not watching for new commits: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  private changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // One failed look (a patch git could not give, a handler that threw) must not end the chain: a rejected
      // `checking` would skip every later commit for the rest of the session (outside test: commits not reviewed).
      this.checking = this.checking.then(() => this.check()).catch((err: unknown) => this.log(`Could not read the new commit: ${err instanceof Error ? err.message : String(err)}`));
    }, DEBOUNCE_MS);
  }

  private async check(): Promise<void> {
    const { head, commit } = await newCommit(this.root, this.head);
    this.head = head;
    if (commit && commit.files.length > 0) this.onCommit(commit);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.close();
  }
}
