/**
 * What a task may learn about the workspace beyond its own file: the stable facts that open every
 * prompt, and the read-only tools the model may call (read a file range, search the text, find a
 * definition). Every file passes the privacy gate and is redacted for remote backends here — the
 * one file-read gate of the model loop.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { PrivacyGate } from '../privacy/PrivacyGate';
import { codeFence } from './codeFence';
import { buildWorkspaceFacts } from './workspaceFacts';
import { normalizeRelative, type FileRead, type SearchHit, type WorkspaceFiles } from './WorkspaceFiles';
import type { ToolRequest } from './tools';

/** What VS Code's language features know, asked through the client. */
export interface LanguageFeatures {
  /** Where a symbol is declared: workspace-relative path and one-based line. */
  definitions(symbol: string): Promise<Array<{ relativePath: string; line: number }>>;
  /** Signatures (hover text) of the names used on these zero-based lines of a file. */
  signatures(uri: string, lines: number[]): Promise<string[]>;
}

/** Facts and the file list are rebuilt at most this often, so the prompt prefix stays the same. */
export const FACTS_TTL_MS = 3600_000;
const MAX_READ_LINES = 150;
const MAX_SEARCH_HITS = 20;
/** A search hit's line is shown up to this many characters (after redaction). */
const MAX_HIT_CHARS = 200;
const DEFINITION_LINES = 25;

export class WorkspaceContext {
  private listed: { at: number; files: Promise<string[]> } | undefined;
  private readonly factsCache = new Map<string, { at: number; text: Promise<string>; gate: PrivacyGate }>();

  constructor(
    readonly files: WorkspaceFiles,
    readonly language: LanguageFeatures | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a file (by URI) lies in this workspace folder; another root folder's files do not. */
  covers(uri: string): boolean {
    try {
      const file = path.resolve(fileURLToPath(uri));
      const root = path.resolve(this.files.root);
      return file.startsWith(root + path.sep);
    } catch {
      return false;
    }
  }

  private fileList(): Promise<string[]> {
    if (!this.listed || this.now() - this.listed.at > FACTS_TTL_MS) this.listed = { at: this.now(), files: this.files.list() };
    return this.listed.files;
  }

  /**
   * The workspace facts for a backend; the same text for an hour at least — unless the privacy
   * rules changed (a new gate), which rebuilds them at once so a newly excluded file leaves them.
   */
  facts(gate: PrivacyGate, local: boolean): Promise<string> {
    const key = local ? 'local' : 'remote';
    const cached = this.factsCache.get(key);
    if (cached && cached.gate === gate && this.now() - cached.at <= FACTS_TTL_MS) return cached.text;
    // Cached as a promise: tasks starting together share one build.
    const text = this.fileList().then((files) =>
      buildWorkspaceFacts({
        files,
        read: (f) => this.files.read(f),
        allowed: (f) => gate.check(f, local).allowed,
        outbound: (t) => gate.outbound(t, local).text,
      }),
    );
    const entry = { at: this.now(), text, gate };
    this.factsCache.set(key, entry);
    // A failed build is not kept: the next task tries again.
    text.catch(() => this.factsCache.get(key) === entry && this.factsCache.delete(key));
    return text;
  }

  /** A file as it may go to this backend (redacted for a remote one), or why it may not. */
  read(relativePath: string, gate: PrivacyGate, local: boolean): FileRead & { relativePath?: string } {
    const read = this.readGated(relativePath, gate, local);
    return read.ok ? { ok: true, text: gate.outbound(read.text, local).text, relativePath: read.relativePath } : read;
  }

  /** A file an answer wants to edit: its text as on disk (edits anchor on it) and its address, if the gate allows it. */
  readForEdit(relativePath: string, gate: PrivacyGate, local: boolean): FileRead & { uri?: string } {
    const read = this.readGated(relativePath, gate, local);
    return read.ok ? { ok: true, text: read.text, uri: pathToFileURL(path.join(this.files.root, read.relativePath)).toString() } : read;
  }

  /** The file's text as on disk if it is in the workspace and the gate lets it go to this backend. */
  private readGated(relativePath: string, gate: PrivacyGate, local: boolean): { ok: true; text: string; relativePath: string } | { ok: false; reason: string } {
    const rel = normalizeRelative(relativePath);
    if (!rel) return { ok: false, reason: 'it is outside the workspace' };
    const decision = gate.check(rel, local);
    if (!decision.allowed) return { ok: false, reason: decision.reason };
    const read = this.files.read(rel);
    return read.ok ? { ...read, relativePath: rel } : read;
  }

  /** One tool call's result, as text for the model. Never throws. */
  async runTool(request: ToolRequest, gate: PrivacyGate, local: boolean): Promise<string> {
    try {
      switch (request.tool) {
        case 'read':
          return this.readRange(request.path, request.from, request.to, gate, local);
        case 'find':
          return await this.find(request.text, gate, local);
        case 'definition':
          return await this.definition(request.symbol, gate, local);
      }
    } catch (err) {
      return `${describe(request)}: failed (${err instanceof Error ? err.message : String(err)})`;
    }
  }

  private readRange(file: string, from: number, to: number, gate: PrivacyGate, local: boolean): string {
    const read = this.read(file, gate, local);
    if (!read.ok) return `READ ${file}: not available — ${read.reason}.`;
    const lines = read.text.split(/\r?\n/);
    const first = Math.max(1, Math.min(from, lines.length));
    const last = Math.min(lines.length, Math.max(first, to), first + MAX_READ_LINES - 1);
    const body = lines.slice(first - 1, last).join('\n');
    return `READ ${read.relativePath}:${first}-${last} (of ${lines.length} lines):\n${codeFence(body)}`;
  }

  private async find(text: string, gate: PrivacyGate, local: boolean): Promise<string> {
    const hits = await this.files.search(text, (f) => gate.check(f, local).allowed, MAX_SEARCH_HITS);
    if (hits.length === 0) return `FIND ${JSON.stringify(text)}: no matches.`;
    // Redacted in the context of the whole file (a key block spans lines), then cut.
    const redacted = new Map<string, string[] | undefined>();
    const shown = (h: SearchHit): string | undefined => {
      if (!redacted.has(h.relativePath)) {
        const read = this.files.read(h.relativePath);
        redacted.set(h.relativePath, read.ok ? gate.outboundLines(read.text, local) : undefined);
      }
      return redacted.get(h.relativePath)?.[h.line - 1];
    };
    const lines = hits.flatMap((h) => {
      const line = shown(h);
      return line === undefined ? [] : [`${h.relativePath}:${h.line}: ${line.trim().slice(0, MAX_HIT_CHARS)}`];
    });
    if (lines.length === 0) return `FIND ${JSON.stringify(text)}: no matches.`;
    return `FIND ${JSON.stringify(text)}: ${hits.length}${hits.length === MAX_SEARCH_HITS ? '+' : ''} match(es):\n${lines.join('\n')}`;
  }

  private async definition(symbol: string, gate: PrivacyGate, local: boolean): Promise<string> {
    if (!this.language) return `DEFINITION ${symbol}: not available here; use FIND instead.`;
    const found = (await this.language.definitions(symbol)).slice(0, 3);
    if (found.length === 0) return `DEFINITION ${symbol}: not found.`;
    return found.map((d) => this.readRange(d.relativePath, d.line, d.line + DEFINITION_LINES - 1, gate, local).replace(/^READ/, `DEFINITION ${symbol} at`)).join('\n');
  }
}

function describe(r: ToolRequest): string {
  return r.tool === 'read' ? `READ ${r.path}` : r.tool === 'find' ? `FIND ${r.text}` : `DEFINITION ${r.symbol}`;
}
