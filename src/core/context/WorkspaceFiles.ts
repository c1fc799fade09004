/**
 * Read-only access to the workspace's files for the engine: listing them, reading one, searching
 * their text. Every read is confined to the workspace (symlinks included) and refuses what a model
 * must not get: files too large, binary files, and files that are not valid UTF-8 — each with a
 * reason for the activity log. Whether a file may be sent at all is the privacy gate's call.
 */
import { execFile } from 'node:child_process';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import * as path from 'node:path';

/** Files larger than this are never read for a model. */
export const MAX_READ_BYTES = 512 * 1024;
/** At most this many files are listed (a larger workspace is listed in part). */
export const MAX_LISTED_FILES = 20_000;
/** Without git, a search reads at most this many files. */
const MAX_SCANNED_FOR_SEARCH = 5000;

export type FileRead = { ok: true; text: string } | { ok: false; reason: string };

export interface SearchHit {
  relativePath: string;
  /** One-based. */
  line: number;
  /** The whole line, untrimmed and uncut: redact it (in its file's context) before cutting it. */
  text: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Why a file's bytes cannot go to a model as text, or undefined when they can. */
function unreadableReason(bytes: Uint8Array): string | undefined {
  if (bytes.length > MAX_READ_BYTES) return `it is larger than ${MAX_READ_BYTES / 1024} KB`;
  if (bytes.includes(0)) return 'it is a binary file';
  try {
    utf8.decode(bytes);
  } catch {
    return 'it is not valid UTF-8 text';
  }
  return undefined;
}

/** Why a text handed over by the editor cannot go to a model, or undefined when it can. */
export function unusableTextReason(text: string): string | undefined {
  if (text.length > MAX_READ_BYTES) return `it is larger than ${MAX_READ_BYTES / 1024} KB`;
  if (text.includes('\u0000')) return 'it is a binary file';
  // The editor shows bytes it could not decode as U+FFFD: the file is in another encoding.
  if (text.includes('\uFFFD')) return 'it is not valid UTF-8 text (it holds undecodable bytes)';
  return undefined;
}

/** A workspace-relative path in the workspace, or undefined for one that leaves it. */
export function normalizeRelative(relativePath: string): string | undefined {
  const raw = relativePath.trim().replace(/\\/g, '/');
  if (raw === '' || raw.startsWith('/') || /^[a-z]:/i.test(raw) || raw.includes('\u0000')) return undefined;
  const normal = path.posix.normalize(raw).replace(/^\.\//, '');
  if (normal === '.' || normal === '..' || normal.startsWith('../')) return undefined;
  return normal;
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'out', 'build', 'target', '.venv', 'venv', '__pycache__']);

export class WorkspaceFiles {
  private readonly realRoot: string;

  constructor(
    readonly root: string,
    /** How git is run (a unit test gives one that runs nothing: every answer then comes from the walk). */
    private readonly runGit: typeof git = git,
  ) {
    this.realRoot = safeRealpath(root) ?? path.resolve(root);
  }

  /** The file's text, if it is in the workspace and readable as text. */
  read(relativePath: string): FileRead {
    const rel = normalizeRelative(relativePath);
    if (!rel) return { ok: false, reason: 'it is outside the workspace' };
    const real = safeRealpath(path.join(this.root, rel));
    if (!real) return { ok: false, reason: 'it does not exist' };
    if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) return { ok: false, reason: 'it is outside the workspace' };
    try {
      const stat = statSync(real);
      if (!stat.isFile()) return { ok: false, reason: 'it is not a file' };
      if (stat.size > MAX_READ_BYTES) return { ok: false, reason: `it is larger than ${MAX_READ_BYTES / 1024} KB` };
      const bytes = readFileSync(real);
      const reason = unreadableReason(bytes);
      return reason ? { ok: false, reason } : { ok: true, text: bytes.toString('utf8') };
    } catch (err) {
      return { ok: false, reason: `it could not be read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    }
  }

  /** The file's size in bytes (0 when it cannot be read). */
  size(relativePath: string): number {
    const rel = normalizeRelative(relativePath);
    try {
      return rel ? statSync(path.join(this.root, rel)).size : 0;
    } catch {
      return 0;
    }
  }

  /** The file as of the last commit, when it is tracked by git and readable as text. */
  async committed(relativePath: string): Promise<string | undefined> {
    const rel = normalizeRelative(relativePath);
    if (!rel) return undefined;
    const text = await this.runGit(this.root, ['show', `HEAD:./${rel}`]);
    return text !== undefined && unusableTextReason(text) === undefined ? text : undefined;
  }

  /** The workspace's files, workspace-relative: git's view (tracked and untracked, not ignored), else a walk. */
  async list(): Promise<string[]> {
    const fromGit = await this.runGit(this.root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    if (fromGit !== undefined) return [...new Set(fromGit.split('\0').filter(Boolean))].slice(0, MAX_LISTED_FILES);
    return this.walk();
  }

  /**
   * Lines containing `needle` (literal, case-sensitive) in files `allowed` says may be read, up to
   * `limit` hits: `git grep` where there is a repository (fast, skips binary and ignored files),
   * else a scan of at most MAX_SCANNED_FOR_SEARCH listed files.
   */
  async search(needle: string, allowed: (relativePath: string) => boolean, limit: number): Promise<SearchHit[]> {
    if (needle.trim() === '') return [];
    const grep = await this.runGit(this.root, ['grep', '-n', '-I', '-F', '--no-color', '--untracked', '-e', needle]);
    if (grep !== undefined) {
      const hits: SearchHit[] = [];
      for (const line of grep.split('\n')) {
        const m = /^(.+?):(\d+):(.*)$/.exec(line);
        if (!m || !allowed(m[1])) continue;
        hits.push({ relativePath: m[1], line: Number(m[2]), text: m[3] });
        if (hits.length >= limit) break;
      }
      return hits;
    }
    return this.scan(needle, (await this.list()).filter(allowed).slice(0, MAX_SCANNED_FOR_SEARCH), limit);
  }

  private scan(needle: string, files: readonly string[], limit: number): SearchHit[] {
    const hits: SearchHit[] = [];
    for (const rel of files) {
      const file = this.read(rel);
      if (!file.ok || !file.text.includes(needle)) continue;
      const lines = file.text.split(/\r?\n/);
      for (let i = 0; i < lines.length && hits.length < limit; i++) {
        if (lines[i].includes(needle)) hits.push({ relativePath: rel, line: i + 1, text: lines[i] });
      }
      if (hits.length >= limit) break;
    }
    return hits;
  }

  /** Lists the folder's files without git, one directory read at a time (the server keeps answering meanwhile). */
  private async walk(): Promise<string[]> {
    const out: string[] = [];
    const visit = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(path.join(this.root, dir), { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (out.length >= MAX_LISTED_FILES) return;
        const rel = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name)) await visit(rel);
        } else if (e.isFile()) out.push(rel);
      }
    };
    await visit('');
    return out;
  }
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * What a repository's own `.git/config` may set that makes git run a program, overridden on every
 * git command Nightshift runs in a workspace (a repository is a stranger until trusted, and even
 * then reading it should run nothing): the file-system monitor hook (`git ls-files` and `git grep`
 * start it), signature checks (`log.showSignature` runs `gpg.program`), hooks, a pager. A diff's
 * external driver and textconv filters are refused by the commands that diff (`--no-ext-diff
 * --no-textconv`).
 */
export const SAFE_GIT_CONFIG: readonly string[] = ['-c', 'core.fsmonitor=false', '-c', 'log.showSignature=false', '-c', `core.hooksPath=${process.platform === 'win32' ? 'NUL' : '/dev/null'}`, '-c', 'core.pager=cat', '--no-pager'];

/** Runs git in `cwd` (with SAFE_GIT_CONFIG); its output, or undefined when git is missing or fails. */
export function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', [...SAFE_GIT_CONFIG, ...args], { cwd, maxBuffer: 64 << 20, windowsHide: true, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}
