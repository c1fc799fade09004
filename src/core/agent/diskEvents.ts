/** Which of the files the agent holds work for a batch of watcher events touches. */

export interface DiskEvent {
  uri: string;
  deleted: boolean;
}

/** The watched files the events touch, and whether each is gone; a deleted folder counts for every file in it. */
export function touchedFiles(events: readonly DiskEvent[], watched: ReadonlySet<string>): Map<string, boolean> {
  const hit = new Map<string, boolean>();
  for (const e of events) {
    const folder = e.uri.endsWith('/') ? e.uri : `${e.uri}/`;
    for (const uri of watched) if (uri === e.uri || (e.deleted && uri.startsWith(folder))) hit.set(uri, e.deleted);
  }
  return hit;
}
