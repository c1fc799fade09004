/**
 * Native recursive file watching for the headless host: @parcel/watcher (what VS Code itself
 * uses: inotify, FSEvents, ReadDirectoryChangesW; no polling). Where its prebuilt binary cannot
 * load, Node's recursive fs.watch, and the host says so. Version-control and dependency folders
 * are never watched; the privacy rules filter the rest.
 */
import { statSync, watch as fsWatch } from 'node:fs';
import * as path from 'node:path';

export interface FileEvent {
  /** Absolute path. */
  file: string;
  deleted: boolean;
}

export interface Subscription {
  /** Which watcher runs: "native (@parcel/watcher)" or "fs.watch". */
  kind: string;
  close(): Promise<void>;
}

/** Folders no host ever watches, at any depth. */
export const NEVER_WATCHED = ['.git', 'node_modules', '.hg', '.svn', 'dist', 'out', '.next', '.turbo', 'coverage', '.nightshift-cache'];

const skipped = (root: string, file: string) => path.relative(root, file).split(path.sep).some((part) => NEVER_WATCHED.includes(part));

type ParcelWatcher = typeof import('@parcel/watcher');

export async function watchFolder(root: string, onEvents: (events: FileEvent[]) => void, onError: (message: string) => void): Promise<Subscription> {
  let parcel: ParcelWatcher | undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a native module, loaded only by the watch command
    parcel = require('@parcel/watcher') as ParcelWatcher;
  } catch {
    parcel = undefined;
  }
  if (parcel) {
    const sub = await parcel.subscribe(
      root,
      (err, events) => {
        if (err) return onError(`The file watcher reported: ${err.message}`);
        const list = events.filter((e) => !skipped(root, e.path)).map((e) => ({ file: e.path, deleted: e.type === 'delete' }));
        if (list.length > 0) onEvents(list);
      },
      { ignore: NEVER_WATCHED.map((d) => `**/${d}/**`).concat(NEVER_WATCHED) },
    );
    return { kind: 'native (@parcel/watcher)', close: () => sub.unsubscribe() };
  }
  const watcher = fsWatch(root, { recursive: true }, (_type, name) => {
    if (!name) return;
    const file = path.join(root, name.toString());
    if (skipped(root, file)) return;
    let deleted = false;
    try {
      statSync(file);
    } catch {
      deleted = true;
    }
    onEvents([{ file, deleted }]);
  });
  watcher.on('error', (err) => onError(`The file watcher reported: ${err.message}`));
  return { kind: 'fs.watch (the native watcher could not load)', close: async () => watcher.close() };
}
