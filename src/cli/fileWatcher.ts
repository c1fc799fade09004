/**
 * Native recursive file watching for the headless host: @parcel/watcher (what VS Code itself
 * uses: inotify, FSEvents, ReadDirectoryChangesW; no polling), bundled into dist/cli.js with its
 * platform's prebuilt binary beside it (the platform package's node_modules, or the npm package's
 * optional dependency). Where that binary cannot load, folder by folder (folderWatcher.ts), never
 * entering an ignored folder, and the host says so. Version-control and dependency folders are
 * never watched; the privacy rules filter the rest.
 */
import * as path from 'node:path';
import { FolderWatcher } from './folderWatcher';

export interface FileEvent {
  /** Absolute path. */
  file: string;
  deleted: boolean;
}

export interface Subscription {
  /** Which watcher runs: "native (@parcel/watcher)" or "folder-by-folder fs.watch (…)". */
  kind: string;
  close(): Promise<void>;
}

export interface WatchFolderOptions {
  /** Folders (workspace-relative, '/'-separated) the rules exclude as a whole, besides NEVER_WATCHED. */
  excludedFolder?: (relativeFolder: string) => boolean;
  /** The environment: NIGHTSHIFT_WATCHER=fs uses the folder-by-folder watcher even where the native one loads. */
  env?: NodeJS.ProcessEnv;
}

/** Folders no host ever watches, at any depth. */
export const NEVER_WATCHED = ['.git', 'node_modules', '.hg', '.svn', '.next', '.turbo', '.nightshift-cache'];
/** Build output, never watched at the workspace's top (deeper, a folder of that name may be source: src/out/; a build folder there is gitignored, and the privacy gate drops its events). */
export const NEVER_WATCHED_AT_TOP = ['dist', 'out', 'coverage'];

const skipped = (root: string, file: string) => {
  const parts = path.relative(root, file).split(path.sep);
  return parts.some((part) => NEVER_WATCHED.includes(part)) || (parts.length > 1 && NEVER_WATCHED_AT_TOP.includes(parts[0]));
};

type ParcelWatcher = typeof import('@parcel/watcher');

/**
 * The platform's own backend, named: left to choose, @parcel/watcher first asks watchman whether it
 * runs (a shell it never waits for, left defunct for the daemon's life).
 */
export function nativeBackend(platform: NodeJS.Platform = process.platform): 'inotify' | 'fs-events' | 'windows' | undefined {
  if (platform === 'linux' || platform === 'android') return 'inotify';
  if (platform === 'darwin') return 'fs-events';
  if (platform === 'win32') return 'windows';
  return undefined;
}

/** @parcel/watcher with its prebuilt binary, or why not. */
export function loadNativeWatcher(): { watcher: ParcelWatcher } | { error: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- bundled; its native binary is resolved from node_modules beside dist/
    return { watcher: require('@parcel/watcher') as ParcelWatcher };
  } catch (err) {
    return { error: (err as Error).message.split('\n')[0] };
  }
}

export async function watchFolder(root: string, onEvents: (events: FileEvent[]) => void, onError: (message: string) => void, options: WatchFolderOptions = {}): Promise<Subscription> {
  const forced = (options.env ?? process.env).NIGHTSHIFT_WATCHER === 'fs';
  const native = forced ? { error: 'NIGHTSHIFT_WATCHER=fs' } : loadNativeWatcher();
  let why = 'error' in native ? `could not load: ${native.error}` : '';
  if ('watcher' in native) {
    try {
      const sub = await native.watcher.subscribe(
        root,
        (err, events) => {
          if (err) return onError(`The file watcher reported: ${err.message}`);
          const list = events.filter((e) => !skipped(root, e.path)).map((e) => ({ file: e.path, deleted: e.type === 'delete' }));
          if (list.length > 0) onEvents(list);
        },
        { ignore: [...NEVER_WATCHED.map((d) => `**/${d}/**`), ...NEVER_WATCHED, ...NEVER_WATCHED_AT_TOP.map((d) => path.join(root, d))], backend: nativeBackend() },
      );
      return { kind: 'native (@parcel/watcher)', close: () => sub.unsubscribe() };
    } catch (err) {
      // Out of watches, its backend fails as a whole: folder by folder instead, which polls what it cannot watch.
      why = `could not start: ${(err as Error).message}`;
    }
  }
  const folders = new FolderWatcher(root, {
    ignored: (rel) => NEVER_WATCHED.includes(path.posix.basename(rel)) || NEVER_WATCHED_AT_TOP.includes(rel) || options.excludedFolder?.(rel) === true,
    onEvents,
    onError,
  });
  await folders.start();
  const { watched, polled } = folders.counts();
  return {
    kind: `folder-by-folder fs.watch (${watched} folders${polled ? `, ${polled} polled` : ''}; the native watcher ${why})`,
    close: async () => folders.close(),
  };
}
