/**
 * Tasks the background model could not do (no fix, or a fix that kept failing its check), kept
 * so the user can send one to the escalation profile once they have seen what it would cost.
 * The newest are kept; a task whose file changed or went away is dropped. The list survives a
 * restart: it is saved without the files' text (only its hash), and a task comes back only if its
 * file still holds exactly that text.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readIfPresent, writeJsonAtomically } from '../stateFile';
import type { EscalationItem, EscalationQuote } from '../../shared/types';
import { sha256 } from '../hash';
import { redactSecrets, redactWithKnown } from '../privacy/redact';
import { backendFor, firstPrompt, type RunDeps } from './runTask';
import type { Task } from './taskSources';

/** Tasks kept for escalation, at most; the oldest give way. */
const MAX_ESCALATIONS = 20;
/** Output tokens a typical escalated answer takes, for the cost estimate (the worst case assumes the whole limit). */
export const TYPICAL_ESCALATION_OUTPUT_TOKENS = 1500;

interface SavedEntry {
  item: EscalationItem;
  /** The task without its file's text. */
  task: Omit<Task, 'input'> & { input: Omit<Task['input'], 'text'> };
  textHash: string;
}

export class Escalations {
  private readonly entries = new Map<string, { item: EscalationItem; task: Task }>();

  /** `file`: where the list is kept between sessions (none: this session only). */
  constructor(
    private readonly file?: string,
    private readonly onProblem: (message: string) => void = () => undefined,
  ) {
    this.load();
  }

  /** Keeps a task that came to nothing; returns whether the list changed. */
  add(task: Task, reason: string, at: Date): boolean {
    if (task.role === 'escalation' || (task.kind !== 'fix' && task.kind !== 'todo')) return false;
    const id = task.id;
    this.entries.delete(id);
    this.entries.set(id, { task, item: { id, kind: task.kind, relativePath: task.input.relativePath, reason, at: at.toISOString() } });
    if (this.entries.size > MAX_ESCALATIONS) this.entries.delete(this.entries.keys().next().value!);
    this.save();
    return true;
  }

  get(id: string): Task | undefined {
    return this.entries.get(id)?.task;
  }

  /** Removes a task to escalate it, as the escalation task that runs (its own key, high priority). */
  take(id: string): Task | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.save();
    return escalationOf(entry.task);
  }

  /** An escalation that could not run goes back on the list, under its original id. */
  restore(escalated: Task, reason: string, at: Date): void {
    const original = escalated.original;
    if (original) this.add(original, reason, at);
  }

  /** Drops the tasks of files that changed (their content is gone) or were deleted; returns whether any went. */
  dropFiles(match: (uri: string, text: string) => boolean): boolean {
    let dropped = false;
    for (const [id, { task }] of this.entries) {
      if (match(task.input.uri, task.input.text)) dropped = this.entries.delete(id) || dropped;
    }
    if (dropped) this.save();
    return dropped;
  }

  /** The files the waiting tasks are about. */
  uris(): string[] {
    return [...this.entries.values()].map((e) => e.task.input.uri);
  }

  list(): EscalationItem[] {
    return [...this.entries.values()].map((e) => e.item).reverse();
  }

  private save(): void {
    if (!this.file) return;
    const waiting: SavedEntry[] = [...this.entries.values()].map(({ item, task }) => {
      const { text, ...input } = task.input;
      // Kept on disk: no secret of the file's (a compiler message quoting a password's literal) goes with it.
      const known = redactSecrets(text).values.map((value) => ({ kind: 'secret', value }));
      const clean = <T>(value: T): T => scrubStrings(value, (s) => redactWithKnown(s, known).text);
      return { item: clean(item), task: { ...task, input: { ...clean(input), uri: input.uri } }, textHash: sha256(text) };
    });
    try {
      writeJsonAtomically(this.file, { version: 1, waiting });
    } catch (err) {
      this.onProblem(`The tasks waiting for escalation could not be saved (${err instanceof Error ? err.message : String(err)}); they stay listed in this window.`);
    }
  }

  /** Brings back the saved tasks whose files still hold the text they were made on. */
  private load(): void {
    const raw = this.file && readIfPresent(this.file);
    if (!raw) return;
    try {
      const data = JSON.parse(raw) as { version?: number; waiting?: SavedEntry[] };
      if (data.version !== 1 || !Array.isArray(data.waiting)) throw new Error('unknown format');
      for (const saved of data.waiting) {
        if (typeof saved?.item?.id !== 'string' || typeof saved.task?.input?.uri !== 'string' || typeof saved.textHash !== 'string') continue;
        const text = currentText(saved.task.input.uri);
        if (text === undefined || sha256(text) !== saved.textHash) continue;
        this.entries.set(saved.item.id, { item: saved.item, task: { ...saved.task, input: { ...saved.task.input, text } } as Task });
      }
    } catch (err) {
      this.onProblem(`The saved list of tasks waiting for escalation could not be read (${err instanceof Error ? err.message : String(err)}); it starts empty.`);
    }
  }
}

function currentText(uri: string): string | undefined {
  try {
    return readFileSync(fileURLToPath(uri), 'utf8');
  } catch {
    return undefined;
  }
}

/** The escalation of a task: the same input, for the escalation profile, first in line. */
function escalationOf(task: Task): Task {
  const key = sha256([task.key, 'escalation'].join('\u0000'));
  return { ...task, key, id: key.slice(0, 16), role: 'escalation', priority: 'high', original: task };
}

/**
 * What escalating `task` would cost on the escalation profile — its first call, the likely and the
 * most — and what is left of the escalation share. Nothing is sent.
 */
export async function quoteEscalation(original: Task, deps: Pick<RunDeps, 'privacy' | 'resolveBackend' | 'spend' | 'workspace' | 'maxCompletionTokens'>): Promise<EscalationQuote> {
  const task = { ...original, role: 'escalation' as const };
  const resolved = await backendFor(task, deps);
  if ('skipped' in resolved) return { ok: false, message: resolved.skipped };
  if ('setupNeeded' in resolved) return { ok: false, message: resolved.setupNeeded, action: resolved.action };
  const { backend } = resolved;
  const prompt = await firstPrompt(task, backend, { ...deps, onRedacted: () => undefined });
  if ('skipped' in prompt) return { ok: false, message: prompt.skipped };
  const request = { messages: prompt.messages, maxCompletionTokens: await deps.maxCompletionTokens() };
  const budget = deps.spend.status();
  return {
    ok: true,
    backend: backend.displayName,
    model: backend.model,
    estimateUsd: backend.local ? 0 : backend.estimateUsd(request, TYPICAL_ESCALATION_OUTPUT_TOKENS),
    worstCaseUsd: backend.local ? 0 : backend.worstCaseUsd(request),
    leftUsd: Math.max(0, budget.escalationBudgetUsd - budget.spentYearUsd.escalation),
  };
}

/** `value` with `fn` applied to every string in it, however deep (objects and arrays copied). */
function scrubStrings<T>(value: T, fn: (s: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => scrubStrings(v, fn)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubStrings(v, fn)])) as T;
  return value;
}
