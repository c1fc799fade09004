/**
 * What a workspace file is on disk, for the privacy gate: its identity (device and inode) and how
 * many names it has, the other names it has in the workspace, and its first bytes. A hard link has
 * no target to follow: a second name for .env is .env, and only its inode says so. Reads nothing
 * for a file with one name unless the gate asks for its start.
 */
import { closeSync, lstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { SNIFF_BYTES } from './secretFiles';

export interface FileFacts {
  /** Device and inode of the file a path leads to (links followed). */
  id: string;
  /** How many names the file has (1 for most files). */
  links: number;
  /** Changes when the file does (modification time and size): a judgement of its contents keeps till then. */
  version: string;
}

/** The gate's view of the disk (a seam: tests and the no-folder gate pass none). */
export interface WorkspaceDisk {
  facts(relativePath: string): FileFacts | undefined;
  /** The workspace paths (with `/`) of the file with this identity, found by a walk. */
  namesOf(id: string, links: number): readonly string[];
  /** The file's first SNIFF_BYTES as text, or undefined when it cannot be read. */
  head(relativePath: string): string | undefined;
}

/** Folders the walk for other names skips: git's own, and package stores that hard-link by design. */
const SKIPPED = new Set(['.git', 'node_modules']);
/** At most this many entries are looked at per walk. */
const MAX_WALKED = 50_000;
/** A walk is repeated at most this often (a name elsewhere on the disk is never found by one). */
const REWALK_MS = 5_000;

export class FolderDisk implements WorkspaceDisk {
  private index: Map<string, string[]> | undefined;
  private walkedAt = -Infinity;

  constructor(
    private readonly root: string,
    private readonly now: () => number = Date.now,
  ) {}

  facts(relativePath: string): FileFacts | undefined {
    try {
      const s = statSync(path.join(this.root, relativePath), { bigint: true });
      return s.isFile() ? { id: `${s.dev}:${s.ino}`, links: Number(s.nlink), version: `${s.mtimeNs}:${s.size}` } : undefined;
    } catch {
      return undefined;
    }
  }

  namesOf(id: string, links: number): readonly string[] {
    const known = this.index?.get(id);
    // A new link, or a name outside the workspace: walk again, but not at every check.
    if ((!known || known.length < links) && this.now() - this.walkedAt >= REWALK_MS) {
      this.index = this.walk();
      this.walkedAt = this.now();
    }
    return this.index?.get(id) ?? [];
  }

  head(relativePath: string): string | undefined {
    let fd: number | undefined;
    try {
      fd = openSync(path.join(this.root, relativePath), 'r');
      const buffer = Buffer.alloc(SNIFF_BYTES);
      const n = readSync(fd, buffer, 0, SNIFF_BYTES, 0);
      return buffer.subarray(0, n).toString('utf8');
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Every file with more than one name, by identity. */
  private walk(): Map<string, string[]> {
    const index = new Map<string, string[]>();
    let seen = 0;
    const visit = (dir: string): void => {
      let entries;
      try {
        entries = readdirSync(path.join(this.root, dir), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (++seen > MAX_WALKED) return;
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!SKIPPED.has(e.name)) visit(rel);
        } else if (e.isFile()) {
          try {
            const s = lstatSync(path.join(this.root, rel), { bigint: true });
            if (s.nlink > 1n) {
              const id = `${s.dev}:${s.ino}`;
              index.set(id, [...(index.get(id) ?? []), rel]);
            }
          } catch {
            // gone since the listing
          }
        }
      }
    };
    visit('');
    return index;
  }
}
