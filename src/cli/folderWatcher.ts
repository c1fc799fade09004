/**
 * The headless host's file watching where the native watcher cannot load: one non-recursive
 * fs.watch per folder, never entering an ignored folder (dependency and version-control folders,
 * build output, gitignored folders), so a 20k-file node_modules costs no watch at all. Folders made
 * later are watched as they appear (and their files reported). When the system's limit on watches
 * (Linux: fs.inotify.max_user_watches) or open files is reached it says so once, with the setting
 * to raise, and polls the folders it could not watch slowly instead of taking every watch there is
 * from the user's other tools.
 */
import { watch as fsWatch, type FSWatcher, type Stats, type WatchListener } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';

export interface FolderEvent {
  /** Absolute path. */
  file: string;
  deleted: boolean;
}

export interface FolderWatchOptions {
  /** Whether a workspace-relative folder ('/'-separated) is never entered. */
  ignored(relativeFolder: string): boolean;
  onEvents(events: FolderEvent[]): void;
  onError(message: string): void;
  /** Between two polls of the folders that could not be watched. */
  pollMs?: number;
  /** The seam for tests: Node's non-recursive fs.watch. */
  watch?: (folder: string, listener: WatchListener<string>) => FSWatcher;
}

/** Errors that mean "no more watches here", not "this folder is gone". */
const OUT_OF_WATCHES = new Set(['ENOSPC', 'EMFILE', 'ENFILE']);

export function limitAdvice(code: string): string {
  return code === 'ENOSPC'
    ? 'the system limit on file watches is reached (Linux: raise it with `sudo sysctl fs.inotify.max_user_watches=524288`, and add `fs.inotify.max_user_watches=524288` to /etc/sysctl.conf to keep it)'
    : 'the system limit on open files is reached (raise it with `ulimit -n`, or the launchd/systemd limit of the service)';
}

export class FolderWatcher {
  /** Watched folders (absolute) and their watchers. */
  private readonly watched = new Map<string, FSWatcher>();
  /** Folders polled instead, with what they held at the last look (name → mtime:size:kind). */
  private readonly polled = new Map<string, Map<string, string>>();
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  private saidLimit = false;
  private closed = false;
  private readonly watchDir: NonNullable<FolderWatchOptions['watch']>;

  constructor(
    private readonly root: string,
    private readonly o: FolderWatchOptions,
  ) {
    this.watchDir = o.watch ?? ((folder, listener) => fsWatch(folder, { persistent: true }, listener));
  }

  /** Watches the tree; resolves once every folder there was is watched (or polled). */
  async start(): Promise<void> {
    await this.add(this.root, false);
  }

  /** Folders watched and polled now. */
  counts(): { watched: number; polled: number } {
    return { watched: this.watched.size, polled: this.polled.size };
  }

  close(): void {
    this.closed = true;
    for (const w of this.watched.values()) w.close();
    this.watched.clear();
    this.polled.clear();
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  private rel(abs: string): string {
    return path.relative(this.root, abs).split(path.sep).join('/');
  }

  /** Watches a folder and every folder below it not ignored; `report`: its files are news (a folder made while watching). */
  private async add(top: string, report: boolean): Promise<void> {
    const queue = [top];
    while (queue.length > 0 && !this.closed) {
      const folder = queue.shift()!;
      if (this.watched.has(folder) || this.polled.has(folder)) continue;
      if (folder !== this.root && this.o.ignored(this.rel(folder))) continue;
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => undefined);
      if (!entries || this.closed) continue;
      this.watchOne(folder);
      const files: FolderEvent[] = [];
      for (const e of entries) {
        const abs = path.join(folder, e.name);
        if (e.isDirectory()) queue.push(abs);
        else if (report && e.isFile()) files.push({ file: abs, deleted: false });
      }
      if (files.length > 0) this.o.onEvents(files);
    }
  }

  private watchOne(folder: string): void {
    if (this.polled.size > 0) return this.poll(folder);
    try {
      const w = this.watchDir(folder, (_type, name) => void this.changed(folder, name));
      w.on('error', () => this.forget(folder));
      this.watched.set(folder, w);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (!OUT_OF_WATCHES.has(code)) return; // gone already, or not readable
      if (!this.saidLimit) {
        this.saidLimit = true;
        const every = Math.round((this.o.pollMs ?? 10_000) / 1000);
        this.o.onError(`The file watcher could not watch ${this.rel(folder) || '.'}: ${limitAdvice(code)}. ${this.watched.size} folder(s) are watched; the rest are checked every ${every} s.`);
      }
      this.poll(folder);
    }
  }

  private poll(folder: string): void {
    this.polled.set(folder, new Map());
    void this.snapshot(folder).then((s) => s && this.polled.has(folder) && this.polled.set(folder, s));
    if (!this.pollTimer) {
      this.pollTimer = setInterval(() => void this.pollAll(), this.o.pollMs ?? 10_000);
      this.pollTimer.unref?.();
    }
  }

  private async snapshot(folder: string): Promise<Map<string, string> | undefined> {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => undefined);
    if (!entries) return undefined;
    const seen = new Map<string, string>();
    for (const e of entries) {
      const s = await stat(path.join(folder, e.name)).catch(() => undefined);
      if (s) seen.set(e.name, `${s.mtimeMs}:${s.size}:${s.isDirectory() ? 'd' : 'f'}`);
    }
    return seen;
  }

  private async pollAll(): Promise<void> {
    for (const [folder, before] of [...this.polled]) {
      const now = await this.snapshot(folder);
      if (this.closed) return;
      if (!now) {
        this.polled.delete(folder);
        continue;
      }
      this.polled.set(folder, now);
      const events: FolderEvent[] = [];
      for (const [name, sig] of now) {
        if (before.get(name) === sig) continue;
        const abs = path.join(folder, name);
        if (sig.endsWith(':d')) void this.add(abs, true);
        else events.push({ file: abs, deleted: false });
      }
      for (const name of before.keys()) if (!now.has(name)) events.push({ file: path.join(folder, name), deleted: true });
      if (events.length > 0) this.o.onEvents(events);
    }
  }

  private forget(folder: string): void {
    for (const [f, w] of [...this.watched]) {
      if (f === folder || f.startsWith(folder + path.sep)) {
        w.close();
        this.watched.delete(f);
      }
    }
    for (const f of [...this.polled.keys()]) if (f === folder || f.startsWith(folder + path.sep)) this.polled.delete(f);
  }

  private async changed(folder: string, name: string | null): Promise<void> {
    if (this.closed) return;
    if (!name) return;
    const abs = path.join(folder, name);
    const s: Stats | undefined = await stat(abs).catch(() => undefined);
    if (this.closed) return;
    if (!s) {
      if (this.watched.has(abs) || this.polled.has(abs)) this.forget(abs);
      return this.o.onEvents([{ file: abs, deleted: true }]);
    }
    if (s.isDirectory()) {
      if (!this.watched.has(abs) && !this.polled.has(abs)) await this.add(abs, true);
      return;
    }
    this.o.onEvents([{ file: abs, deleted: false }]);
  }
}
