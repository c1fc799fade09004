/**
 * A shadow copy of a workspace folder, for checks that run the workspace's own tools against a
 * proposal: a git worktree at HEAD with the user's current changes (edited, deleted and untracked
 * files) copied in, the workspace's node_modules linked, and a proposal's files written in for the
 * length of one use, then put back. Kept warm between uses: brought up to date with the user's
 * changes file by file, made anew only when HEAD moves; removed on dispose or after a spell unused.
 * Must never write into the workspace itself, and never serve two uses at once.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { run, type Run } from './processRun';
import { SAFE_GIT_CONFIG } from '../context/WorkspaceFiles';

export interface ShadowFile {
  /** Absolute path in the workspace. */
  filePath: string;
  text: string;
}

export interface ShadowOptions {
  /** Removed after this long unused; Infinity (the default) keeps it until dispose. */
  idleMs?: number;
  /**
   * 'folder': node_modules is one link to the workspace's. 'entries': a folder of links to each of
   * its entries, so that what tools cache inside node_modules (.vite, .cache) stays in the shadow.
   */
  nodeModules?: 'folder' | 'entries';
  /** The temporary folder's name starts with this. */
  prefix?: string;
  /** Whether the repository is trusted (the default): untrusted, git runs none of the filters its config names (a clean or smudge filter is a program). */
  trusted?: boolean;
}

/** What a use sees. */
export interface ShadowCheckout {
  /** The workspace folder's counterpart in the shadow. */
  readonly dir: string;
  /** HEAD and the user's changes as one hash: equal keys, equal bases. */
  readonly baseKey: string;
  /** Goes up each time the shadow is made anew: whatever holds its files must start over. */
  readonly generation: number;
  /** Writes texts over files for the rest of this use; they are put back after it. */
  write(files: ShadowFile[]): void;
  /** The shadow's files whose content changed since this was last asked (the user's changes, writes, put-backs). */
  takeChanged(): string[];
}

export type ShadowProblem = 'no-repository' | 'no-worktree' | 'outside';

interface Made {
  base: string;
  tree: string;
  dir: string;
  head: string;
  generation: number;
  /** The user's changed files (relative to the repository's top) as copied in, by fingerprint. */
  synced: Map<string, string>;
  onExit: () => void;
}

const GIT_TIMEOUT_MS = 60_000;
/**
 * What tools keep in node_modules for themselves (.vite, .vite-temp, .cache, .vitest, …: every dot
 * entry but a package manager's own), left out of an 'entries' link so that they are the shadow's
 * own. A linked `.vite-temp` broke vitest in the shadow (it removes that folder with rm, not rmdir).
 */
const PACKAGE_MANAGER_ENTRIES = new Set(['.bin', '.pnpm', '.modules.yaml', '.package-lock.json', '.yarn-state.yml', '.yarn-integrity']);
const isCacheEntry = (entry: string) => entry.startsWith('.') && !PACKAGE_MANAGER_ENTRIES.has(entry);

export class ShadowTree {
  private made: Made | undefined;
  private generation = 0;
  private top: { top: string; prefix: string } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private gitConfig: Promise<string[]> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new Set<string>();

  constructor(
    private readonly root: string,
    private readonly options: ShadowOptions = {},
  ) {}

  /** Runs `use` on the shadow, up to date with the workspace and with `files` written in; they are put back afterwards. */
  use<T>(files: ShadowFile[], use: (checkout: ShadowCheckout) => Promise<T>): Promise<T | { unavailable: ShadowProblem }> {
    clearTimeout(this.idleTimer);
    const next = this.queue.then(() => this.useNow(files, use));
    this.queue = next.catch(() => undefined).finally(() => this.armIdle());
    return next;
  }

  async dispose(): Promise<void> {
    clearTimeout(this.idleTimer);
    const done = this.queue.then(() => this.remove());
    this.queue = done.catch(() => undefined);
    await done;
  }

  private async useNow<T>(files: ShadowFile[], use: (checkout: ShadowCheckout) => Promise<T>): Promise<T | { unavailable: ShadowProblem }> {
    const relative = files.map((f) => path.relative(this.root, f.filePath));
    if (relative.some((r) => r.startsWith('..') || path.isAbsolute(r))) return { unavailable: 'outside' };
    const made = await this.upToDate();
    if (typeof made === 'string') return { unavailable: made };
    const baseKey = this.baseKey(made);
    const saved = new Map<string, Buffer | null>();
    const createdDirs: string[] = [];
    const write = (list: ShadowFile[]) => {
      for (const f of list) {
        const target = path.join(made.dir, path.relative(this.root, f.filePath));
        if (!saved.has(target)) saved.set(target, existsSync(target) ? readFileSync(target) : null);
        const created = mkdirSync(path.dirname(target), { recursive: true });
        if (created) createdDirs.push(created);
        writeFileSync(target, f.text);
        this.changed.add(target);
      }
    };
    try {
      write(files);
      const checkout: ShadowCheckout = { dir: made.dir, baseKey, generation: made.generation, write, takeChanged: () => this.takeChanged() };
      return await use(checkout);
    } finally {
      for (const [target, content] of saved) {
        if (content === null) rmSync(target, { force: true });
        else writeFileSync(target, content);
        this.changed.add(target);
      }
      for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
    }
  }

  private takeChanged(): string[] {
    const list = [...this.changed];
    this.changed.clear();
    return list;
  }

  /** The shadow at the workspace's HEAD with its changes copied in, made if need be; or why there is none. */
  private async upToDate(): Promise<Made | ShadowProblem> {
    const git = (args: string[], cwd = this.root) => this.git(args, cwd);
    if (!this.top) {
      const top = await git(['rev-parse', '--show-toplevel']);
      if (top.code !== 0) return 'no-repository';
      const topDir = top.output.trim();
      this.top = { top: topDir, prefix: path.relative(topDir, realpathSync(this.root)) };
    }
    const { top, prefix } = this.top;
    const head = await git(['rev-parse', '--verify', 'HEAD']);
    if (head.code !== 0) {
      await this.remove();
      return 'no-worktree';
    }
    if (this.made?.head !== head.output.trim()) {
      await this.remove();
      const made = await this.make(head.output.trim(), top, prefix);
      if (!made) return 'no-worktree';
      this.made = made;
    }
    await this.syncChanges(this.made, top);
    this.relinkEntries(path.join(this.root, 'node_modules'), path.join(this.made.dir, 'node_modules'));
    return this.made;
  }

  private async make(head: string, top: string, prefix: string): Promise<Made | undefined> {
    // Stryker disable next-line StringLiteral: the folder names are equivalent, any name works and both are removed
    const base = mkdtempSync(path.join(os.tmpdir(), this.options.prefix ?? 'nightshift-check-'));
    const tree = path.join(base, 'tree');
    await this.git(['worktree', 'prune'], top);
    // The repository's hooks (a post-checkout that installs or builds) are not the check's to run (SAFE_GIT_CONFIG).
    const add = await this.git(['worktree', 'add', '--detach', tree, head], top);
    if (add.code !== 0) {
      rmSync(base, { recursive: true, force: true });
      return undefined;
    }
    const dir = path.join(tree, prefix);
    // Installed dependencies are not in git: share the workspace's (and the repository top's, in a monorepo).
    this.linkNodeModules(path.join(this.root, 'node_modules'), path.join(dir, 'node_modules'));
    if (prefix) this.linkNodeModules(path.join(top, 'node_modules'), path.join(tree, 'node_modules'));
    // A host that ends without disposing still takes the copy with it.
    const onExit = () => rmSync(base, { recursive: true, force: true });
    process.once('exit', onExit);
    this.changed.clear();
    return { base, tree, dir, head, generation: ++this.generation, synced: new Map(), onExit };
  }

  private linkNodeModules(from: string, to: string): void {
    if (!existsSync(from) || existsSync(to)) return;
    if (this.options.nodeModules !== 'entries') return symlinkSync(from, to, 'dir');
    mkdirSync(to);
    this.relinkEntries(from, to);
  }

  /** The entries of an 'entries' link made to match the workspace's node_modules (a package installed since is linked too). */
  private relinkEntries(from: string, to: string): void {
    if (this.options.nodeModules !== 'entries' || !existsSync(from) || !existsSync(to) || lstatSync(to).isSymbolicLink()) return;
    const wanted = new Set(readdirSync(from).filter((e) => !isCacheEntry(e)));
    const have = new Set(readdirSync(to));
    for (const entry of have) if (!wanted.has(entry) && !isCacheEntry(entry)) rmSync(path.join(to, entry), { force: true, recursive: true });
    for (const entry of wanted) if (!have.has(entry)) symlinkSync(path.join(from, entry), path.join(to, entry));
  }

  /** Copies in what the user changed since the last use, and puts back what they reverted. */
  private async syncChanges(made: Made, top: string): Promise<void> {
    const git = (args: string[]) => this.git(args, top, 64 << 20);
    const edited = await git(['diff', '--name-only', '--no-renames', '-z', 'HEAD']);
    const untracked = await git(['ls-files', '--others', '--exclude-standard', '-z']);
    const now = new Map<string, string>();
    for (const file of [...edited.output.split('\0'), ...untracked.output.split('\0')]) {
      // Installed dependencies are linked, never copied.
      if (file && !file.split('/').includes('node_modules')) now.set(file, fingerprint(path.join(top, file)));
    }
    const reverted: string[] = [];
    for (const file of made.synced.keys()) if (!now.has(file)) reverted.push(file);
    for (const [file, print] of now) {
      if (made.synced.get(file) === print) continue;
      const target = path.join(made.tree, file);
      rmSync(target, { recursive: true, force: true });
      if (print !== 'deleted') {
        mkdirSync(path.dirname(target), { recursive: true });
        cpSync(path.join(top, file), target, { verbatimSymlinks: true });
      }
      this.changed.add(target);
    }
    for (const file of reverted) {
      const target = path.join(made.tree, file);
      rmSync(target, { recursive: true, force: true });
      await this.git(['checkout', 'HEAD', '--', file], made.tree);
      this.changed.add(target);
    }
    made.synced = now;
  }

  private baseKey(made: Made): string {
    const hash = createHash('sha1').update(made.head);
    for (const [file, print] of [...made.synced].sort(([a], [b]) => (a < b ? -1 : 1))) hash.update(`\0${file}\0${print}`);
    return hash.digest('hex');
  }

  private async remove(): Promise<void> {
    const made = this.made;
    this.made = undefined;
    if (!made) return;
    process.removeListener('exit', made.onExit);
    await this.git(['worktree', 'remove', '--force', made.tree], this.root);
    rmSync(made.base, { recursive: true, force: true });
    await this.git(['worktree', 'prune'], this.root);
  }

  /**
   * git as a check runs it: none of the programs the repository's config names (SAFE_GIT_CONFIG:
   * fsmonitor, hooks, pager), and where it is not trusted none of its filters either — each filter
   * its config names is made `cat` (outside test: a user's own check command in an untrusted
   * repository let its fsmonitor and clean filter run).
   */
  private async git(args: string[], cwd: string, maxOutput = 16 << 20): Promise<Run> {
    this.gitConfig ??= this.safeConfig();
    return run('git', [...(await this.gitConfig), ...args], cwd, GIT_TIMEOUT_MS, false, maxOutput);
  }

  private async safeConfig(): Promise<string[]> {
    if (this.options.trusted !== false) return [...SAFE_GIT_CONFIG];
    const listed = await run('git', [...SAFE_GIT_CONFIG, 'config', '--name-only', '--get-regexp', '^filter\\.'], this.root, GIT_TIMEOUT_MS);
    const names = new Set(listed.output.split('\n').flatMap((l) => /^filter\.(.+)\.[^.]+$/.exec(l.trim())?.[1] ?? []));
    return [...SAFE_GIT_CONFIG, ...[...names].flatMap((n) => ['-c', `filter.${n}.clean=cat`, '-c', `filter.${n}.smudge=cat`, '-c', `filter.${n}.process=`, '-c', `filter.${n}.required=false`])];
  }

  private armIdle(): void {
    const idleMs = this.options.idleMs ?? Number.POSITIVE_INFINITY;
    if (!this.made || !Number.isFinite(idleMs)) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.dispose(), idleMs);
    this.idleTimer.unref?.();
  }
}

/** What a changed file holds, cheaply: its content's hash (its size and time for a large one), its link's target, or 'deleted'. */
function fingerprint(file: string): string {
  try {
    const stat = lstatSync(file);
    if (stat.isSymbolicLink()) return `link:${readlinkSync(file)}`;
    if (stat.size > 1 << 20) return `large:${stat.size}:${stat.mtimeMs}`;
    return createHash('sha1').update(readFileSync(file)).digest('hex');
  } catch {
    return 'deleted';
  }
}
