/** Which of the files the agent holds work for a batch of watcher events touches, and taking those batches in order. */

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

type Read = (uri: string) => Promise<string | undefined>;

/**
 * Files changed on disk, as a watcher saw them (a checkout, a formatter, another tool), taken batch
 * after batch in the order they came, so an older read never lands after a newer one. Only the
 * files the agent holds work for are read; a file that cannot be read but was not deleted waits for
 * the next event.
 */
export class DiskChanges {
  private tail: Promise<void> = Promise.resolve();

  constructor(
    /** The files the agent holds work for (proposals, stale ones included, escalations, tasks). */
    private readonly watched: () => Set<string>,
    /** The agent's one "file changed" path; `text` undefined: gone. */
    private readonly changed: (uri: string, text: string | undefined) => void,
  ) {}

  take(events: readonly DiskEvent[], read: Read): Promise<void> {
    return this.after(async () => {
      for (const [uri, deleted] of touchedFiles(events, this.watched())) {
        const text = deleted ? undefined : await read(uri);
        if (deleted || text !== undefined) this.changed(uri, text);
      }
    });
  }

  /**
   * Reads these files again now, after the batches already under way: a proposal marked stale by a
   * read mid-write (the accepting window saves before it tells a daemon) is judged on its files as
   * they are, so its decision is booked rather than dismissed as stale.
   */
  reread(uris: Iterable<string>, read: Read): Promise<void> {
    return this.after(async () => {
      for (const uri of new Set(uris)) {
        const text = await read(uri);
        if (text !== undefined) this.changed(uri, text);
      }
    });
  }

  /** Resolves once the batches under way are taken. */
  settled(): Promise<void> {
    return this.tail;
  }

  private after(work: () => Promise<void>): Promise<void> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}
