/**
 * The open proposals of a workspace and the task keys already decided on (so a rejected fix is
 * not proposed, or paid for, again), kept on disk so both survive a restart: one JSON file,
 * written atomically (temp file + rename). When a file changes, its proposals follow the change
 * if every edit's anchor still occurs exactly once, and are marked stale otherwise; a stale
 * proposal is never applied.
 */
import { renameSync } from 'node:fs';
import * as path from 'node:path';
import type { DiagnosticInfo, Proposal } from '../../shared/types';
import { normalizeMessage } from '../verify/diagnosticMatch';
import { rebaseReplacements } from '../edits/searchReplace';
import { fileChange, takeHunk } from './hunks';
import { sha256 } from '../hash';
import { readIfPresent, writeJsonAtomically } from '../stateFile';

export interface StoredProposal {
  proposal: Proposal;
  taskKey: string;
  /** Short task id and kind, for the ledger's decision entries. */
  taskId: string;
  taskKind: string;
}

interface StoreFile {
  version: 1;
  open: StoredProposal[];
  decided: string[];
}

const STALE_EDITED = 'the file changed where this proposal edits it';

/** Decided keys kept: old ones only stop a repeat of a problem long gone. */
const MAX_DECIDED = 5000;

export class ProposalStore {
  private readonly open = new Map<string, StoredProposal>();
  private decided: string[] = [];
  private readonly decidedSet = new Set<string>();

  /**
   * @param file where to keep the store; undefined keeps it in memory (no workspace folder).
   * @param onProblem told, in a sentence, when the file on disk could not be read or written.
   */
  constructor(
    private readonly file: string | undefined,
    private readonly onProblem: (message: string) => void = () => undefined,
  ) {
    this.load();
  }

  list(): Proposal[] {
    return [...this.open.values()].map((e) => e.proposal);
  }

  /** The open proposals with the tasks they came from. */
  entries(): StoredProposal[] {
    return [...this.open.values()];
  }

  get(id: string): StoredProposal | undefined {
    return this.open.get(id);
  }

  /** Whether a current proposal answers the task: a stale one does not (its file came back to this text: the problem is there to fix again). */
  hasOpenTask(taskKey: string): boolean {
    for (const e of this.open.values()) if (e.taskKey === taskKey && !e.proposal.stale) return true;
    return false;
  }

  isDecided(taskKey: string): boolean {
    return this.decidedSet.has(taskKey);
  }

  add(entry: StoredProposal): void {
    this.open.set(entry.proposal.id, entry);
    this.save();
  }

  /** Removes a decided proposal and remembers its task, so it is not proposed again. */
  decide(id: string): StoredProposal | undefined {
    const entry = this.open.get(id);
    if (!entry) return undefined;
    this.open.delete(id);
    this.remember(entry.taskKey);
    this.save();
    return entry;
  }

  remember(taskKey: string): void {
    if (this.decidedSet.has(taskKey)) return;
    this.decided.push(taskKey);
    this.decidedSet.add(taskKey);
    while (this.decided.length > MAX_DECIDED) this.decidedSet.delete(this.decided.shift()!);
  }

  /** Puts a proposal aside until `until` (ISO time), or (undefined) brings it back now. */
  snooze(id: string, until: string | undefined): boolean {
    const entry = this.open.get(id);
    if (!entry) return false;
    const { snoozedUntil: _was, ...rest } = entry.proposal;
    entry.proposal = until ? { ...rest, snoozedUntil: until } : rest;
    this.save();
    return true;
  }

  /**
   * Decides one hunk of a proposal whose file holds `base`: accepted, the rest now apply to the base
   * with it applied; rejected, it is gone. What is left is not checked until `setCheck` says so.
   * Returns the proposal as it now stands (no files left: nothing left to decide) and the file's new
   * base, or why not.
   */
  decideHunk(id: string, uri: string, index: number, accept: boolean, base: string): { ok: true; proposal: Proposal; base: string } | { ok: false; reason: string } {
    const entry = this.open.get(id);
    const file = entry?.proposal.files.find((f) => f.uri === uri);
    if (!entry || !file) return { ok: false, reason: 'the proposal is no longer open' };
    if (entry.proposal.stale) return { ok: false, reason: `the proposal is stale (${entry.proposal.stale})` };
    const taken = takeHunk(file, base, index, accept);
    if (!taken.ok) return taken;
    const p = entry.proposal;
    const partial = { accepted: (p.partial?.accepted ?? 0) + (accept ? 1 : 0), rejected: (p.partial?.rejected ?? 0) + (accept ? 0 : 1) };
    const files = p.files.flatMap((f) => (f.uri !== uri ? [f] : taken.file ? [taken.file] : []));
    const check = p.check && { status: 'unchecked' as const, detail: 'What is left after a hunk was decided is being checked again.' };
    entry.proposal = { ...p, files, partial, ...(check ? { check } : {}) };
    this.save();
    return { ok: true, proposal: entry.proposal, base: taken.base };
  }

  /** A re-check's result, if the proposal is still as it was checked (`files` the same). */
  setCheck(id: string, files: Proposal['files'], check: Proposal['check']): boolean {
    const entry = this.open.get(id);
    if (!entry || entry.proposal.files !== files || entry.proposal.stale) return false;
    entry.proposal = { ...entry.proposal, check };
    this.save();
    return true;
  }

  /** The file now holds `text`: its proposals follow it or go stale. Returns whether any changed. */
  onFileChanged(uri: string, text: string): boolean {
    const hash = sha256(text);
    let changed = false;
    for (const entry of this.open.values()) {
      const p = entry.proposal;
      if (p.stale === STALE_EDITED) {
        if (!p.files.some((f) => f.uri === uri)) continue;
        // Read mid-write (an editor saving in place): back to its base or its result, it is current again.
        if (p.files.every((f) => f.uri !== uri || f.baseHash === hash || f.resultHash === hash)) {
          entry.proposal = { ...p, stale: undefined };
          delete entry.proposal.stale;
          changed = true;
          continue;
        }
        // Or the file holds a newer text in which every anchor is there again, once: it moves onto it.
        const moved = p.files.map((f) => {
          if (f.uri !== uri) return f;
          const r = rebaseReplacements(text, f.replacements);
          return r && fileChange(f.uri, f.relativePath, text, r);
        });
        if (moved.every((f) => f !== undefined)) {
          const { stale: _was, ...rest } = p;
          entry.proposal = { ...rest, files: moved as Proposal['files'], check: recheckNeeded(p.check, uri, p) };
          changed = true;
        }
        continue;
      }
      if (p.stale) continue;
      // A file that now holds what the proposal makes of it was just applied (its decision is on the way).
      const untouched = (f: Proposal['files'][number]) => f.uri !== uri || f.baseHash === hash || f.resultHash === hash;
      if (p.files.every(untouched)) continue;
      changed = true;
      const files = p.files.map((f) => {
        if (untouched(f)) return f;
        const moved = rebaseReplacements(text, f.replacements);
        return moved && fileChange(f.uri, f.relativePath, text, moved);
      });
      if (files.some((f) => f === undefined)) entry.proposal = { ...p, stale: STALE_EDITED };
      else entry.proposal = { ...p, files: files as Proposal['files'], check: recheckNeeded(p.check, uri, p) };
    }
    if (changed) this.save();
    return changed;
  }

  /**
   * The problems of a file settled: a fix whose problems are all gone from it (by any means: the
   * user's edit, another proposal) leaves the inbox like a stale one — unless the file holds what
   * the fix itself makes of it (accepted; its decision is on the way). Returns whether any changed.
   */
  onProblemsSettled(uri: string, text: string, problems: readonly DiagnosticInfo[]): boolean {
    const hash = sha256(text);
    let changed = false;
    for (const entry of this.open.values()) {
      const p = entry.proposal;
      if (p.stale || !p.targets?.length || (p.targetUri ?? p.files[0]?.uri) !== uri) continue;
      if (p.files.some((f) => f.uri === uri && f.resultHash === hash)) continue;
      if (p.targets.some((t) => problems.some((d) => sameProblem(t, d)))) continue;
      entry.proposal = { ...p, stale: 'the problem it fixes is gone' };
      changed = true;
    }
    if (changed) this.save();
    return changed;
  }

  /**
   * A kept proposal's files changed while no engine ran (`texts`: each file as it is now): it
   * follows them where every edit's anchor is still there once, as it does while one runs (a
   * formatter's blank lines, an edit elsewhere in the file). False, and nothing changes, where a
   * file's edits cannot follow.
   */
  followKept(id: string, texts: ReadonlyMap<string, string>): boolean {
    const entry = this.open.get(id);
    if (!entry || entry.proposal.stale) return false;
    let p = entry.proposal;
    for (const f of entry.proposal.files) {
      const text = texts.get(f.uri);
      if (text === undefined) return false;
      if (sha256(text) === f.baseHash) continue;
      const moved = rebaseReplacements(text, f.replacements);
      if (!moved) return false;
      p = { ...p, files: p.files.map((g) => (g.uri === f.uri ? fileChange(f.uri, f.relativePath, text, moved) : g)), check: recheckNeeded(p.check, f.uri, p) };
    }
    entry.proposal = p;
    this.save();
    return true;
  }

  /** Marks one proposal stale, saying why (an engine found its file changed since it was made). */
  markStale(id: string, reason: string): boolean {
    const entry = this.open.get(id);
    if (!entry || entry.proposal.stale) return false;
    entry.proposal = { ...entry.proposal, stale: reason };
    this.save();
    return true;
  }

  /** The files are gone: their proposals are stale. Returns whether any changed. */
  onFilesDeleted(uris: readonly string[]): boolean {
    let changed = false;
    for (const entry of this.open.values()) {
      if (entry.proposal.stale || !entry.proposal.files.some((f) => uris.includes(f.uri))) continue;
      entry.proposal = { ...entry.proposal, stale: 'the file was deleted' };
      changed = true;
    }
    if (changed) this.save();
    return changed;
  }

  private load(): void {
    const text = this.file && readIfPresent(this.file);
    if (!text) return;
    try {
      const data = JSON.parse(text) as StoreFile;
      if (data.version !== 1 || !Array.isArray(data.open) || !Array.isArray(data.decided)) throw new Error('unknown format');
      for (const e of data.open) if (e?.proposal?.id && Array.isArray(e.proposal.files)) this.open.set(e.proposal.id, e);
      for (const k of data.decided) if (typeof k === 'string') this.remember(k);
    } catch (err) {
      // Keep the unreadable file for a look, and start afresh rather than fail.
      const aside = `${this.file}.unreadable-${Date.now()}`;
      try {
        renameSync(this.file, aside);
      } catch {
        /* leave it */
      }
      this.onProblem(`The saved proposals could not be read (${err instanceof Error ? err.message : String(err)}); they were set aside as ${path.basename(aside)}.`);
    }
  }

  private save(): void {
    if (!this.file) return;
    const data: StoreFile = { version: 1, open: [...this.open.values()], decided: this.decided };
    try {
      writeJsonAtomically(this.file, data);
    } catch (err) {
      this.onProblem(`The proposals could not be saved to ${this.file}: ${err instanceof Error ? err.message : String(err)}. They stay open in this window.`);
    }
  }
}

/** A check made on the text before the file changed elsewhere no longer proves anything about the new one. */
function recheckNeeded(check: Proposal['check'], uri: string, p: Proposal): Proposal['check'] {
  if (check?.status !== 'passed') return check;
  const file = p.files.find((f) => f.uri === uri)?.relativePath ?? 'the file';
  return { status: 'unchecked', detail: `Checked before ${file} changed elsewhere; not checked again since. ${check.detail}` };
}

/** The same problem, wherever it moved: its source, code and message. */
function sameProblem(a: DiagnosticInfo, b: DiagnosticInfo): boolean {
  return a.source === b.source && a.code === b.code && normalizeMessage(a.message) === normalizeMessage(b.message);
}
