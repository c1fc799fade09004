/**
 * Where tasks come from: each signal turned into tasks keyed by file, content and problem, so the
 * agent can tell one it already paid for. Settled errors give fixes, marker comments todos, saved
 * changes and new commits reviews, idle time a refactor. The agent decides what to queue.
 */
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { SettledDiagnosticsParams } from '../../shared/agentProtocol';
import type { TaskItem } from '../../shared/types';
import type { WorkspaceContext } from '../context/WorkspaceContext';
import { sha256 } from '../hash';
import { changesBetween, type Changes } from '../signals/changes';
import type { Commit } from '../signals/commits';
import { findMarkers } from '../signals/markers';
import { redactSecrets } from '../privacy/redact';
import { ReviewedLines } from './reviewedLines';
import { churnByFile, longestFunction, rankFiles } from '../signals/refactorCandidates';
import type { TaskRef } from './runTask';
import type { TaskInput } from './taskPrompt';

export interface Task extends TaskRef {
  /** The dedup key: the same key is never paid for twice. */
  key: string;
  /** For an escalation: the background task it escalates. */
  original?: Task;
  /** The tuner chose its arm to try it, not as the setting (its cost counts against exploration). */
  exploring?: boolean;
}

type FileFacts = Omit<SettledDiagnosticsParams, 'diagnostics'>;

/** A task keyed by its file's URI (two root folders may hold the same relative path) and `parts`. */
function task(kind: Task['kind'], priority: Task['priority'], parts: string[], input: TaskInput): Task {
  const key = sha256([input.uri, ...parts].join('\u0000'));
  return { key, id: key.slice(0, 16), kind, priority, input };
}

/** A fix for the problems the client sent (errors; warnings too if the user asked for them). */
export function fixTask(params: SettledDiagnosticsParams, contentHash: string): Task | undefined {
  if (params.diagnostics.length === 0) return undefined;
  const problems = params.diagnostics.map((d) => `${d.range.startLine}:${d.range.startCharacter}:${d.code ?? ''}:${d.message}`).sort();
  return task('fix', 'normal', [contentHash, ...problems], params);
}

/** One task per marker comment, keyed by file and instruction (edits elsewhere don't repeat it). */
export function markerTasks(params: SettledDiagnosticsParams, todoComments: boolean): Task[] {
  return findMarkers(params.text, { todoComments }).map((m) => task('todo', 'normal', ['todo', m.instruction], { ...params, diagnostics: [], instruction: { line: m.line, text: m.instruction } }));
}

function reviewTask(parts: string[], file: FileFacts, changes: Changes, source: string): Task {
  return task('review', 'low', parts, { ...file, diagnostics: [], review: { source, hunks: changes.hunks, lines: changes.lines } });
}

/** A file's saved changes are reviewed at most this often. */
export const REVIEW_INTERVAL_MS = 10 * 60_000;
/** Files whose last reviewed text is kept (a forgotten file's next review starts from its last commit). */
const MAX_REVIEWED_FILES = 500;
const SAVED_SOURCE = 'the changes saved since the last review';

/**
 * Reviews of saved changes: per file, the text last reviewed (first: its committed version) and
 * when a review was last queued, so each review sees only what is new, at most every interval.
 * With the lines every review was queued for (`lines`, commit reviews' too): a change is reviewed
 * once, as a saved change or as part of a commit, whichever came first.
 */
export class SavedChangeReviews {
  private readonly reviewed = new Map<string, { text?: string; queuedAt: number }>();
  readonly lines = new ReviewedLines();

  constructor(private readonly committed: (uri: string, relativePath: string) => Promise<string | undefined>) {}

  /** The review this save calls for, if any; `isNew` says whether its key was already paid for. */
  async next(params: SettledDiagnosticsParams, contentHash: string, now: number, isNew: (key: string) => boolean): Promise<Task | undefined> {
    const last = this.reviewed.get(params.uri);
    // No text yet: its committed version is being read; this save's changes are in the next review.
    if (last && (last.text === undefined || now - last.queuedAt < REVIEW_INTERVAL_MS)) return undefined;
    if (!last) {
      this.reviewed.set(params.uri, { queuedAt: 0 });
      // The oldest file is forgotten first.
      if (this.reviewed.size > MAX_REVIEWED_FILES) this.reviewed.delete(this.reviewed.keys().next().value!);
    }
    // Nothing to compare with (not committed): this text is where the next review starts.
    const base = last?.text ?? (await this.committed(params.uri, params.relativePath)) ?? params.text;
    if (!last) this.reviewed.set(params.uri, { text: base, queuedAt: 0 });
    const all = changesBetween(base, params.text);
    // What a commit's review (or an earlier one) already covered is not paid for again.
    const changes = all && this.lines.unreviewed(params.relativePath, all);
    if (!changes) return undefined;
    const review = reviewTask(['review', contentHash], params, changes, SAVED_SOURCE);
    if (!isNew(review.key)) return undefined;
    this.reviewed.set(params.uri, { text: base, queuedAt: now });
    this.lines.mark(params.relativePath, changes);
    return review;
  }

  /** A review ran: the next one starts from the text it saw. */
  ran(task: Task): void {
    const entry = this.reviewed.get(task.input.uri);
    if (entry && task.input.review?.source === SAVED_SOURCE) entry.text = task.input.text;
  }

  /** A review was dropped before it ran: it does not hold back the next one, and its lines are open again. */
  dropped(task: Task): void {
    const entry = task.kind === 'review' ? this.reviewed.get(task.input.uri) : undefined;
    if (entry) entry.queuedAt = 0;
    const review = task.input.review;
    if (task.kind === 'review' && review) this.lines.unmark(task.input.relativePath, review);
  }

  forget(uris: readonly string[]): void {
    for (const uri of uris) this.reviewed.delete(uri);
  }
}

/**
 * A review of each readable file a new commit changed, of the hunks no review (a saved change's,
 * an earlier commit's) was queued for yet; unreadable ones are reported to `skip`.
 */
export function commitTasks(commit: Commit, workspace: WorkspaceContext, skip: (message: string) => void, reviewed = new ReviewedLines()): Task[] {
  return commit.files.flatMap((f) => {
    const changes = reviewed.unreviewed(f.relativePath, f.changes);
    if (!changes) return [];
    const read = workspace.files.read(f.relativePath);
    if (!read.ok) {
      skip(`Skipped reviewing ${f.relativePath} of commit ${commit.sha.slice(0, 7)}: ${read.reason}.`);
      return [];
    }
    const file = { uri: uriOf(workspace, f.relativePath), relativePath: f.relativePath, languageId: languageOf(f.relativePath), text: read.text };
    reviewed.mark(f.relativePath, changes);
    // The subject is the committer's words: a token pasted there goes neither into a prompt nor a log (outside test).
    return [reviewTask(['commit', commit.sha, sha256(read.text)], file, changes, `commit ${commit.sha.slice(0, 7)} "${redactSecrets(commit.subject).text}"`)];
  });
}

/** Files looked at per idle sweep, at most (the best-ranked). */
const SWEEP_CANDIDATES = 20;

/**
 * The idle sweep's first refactor not already paid for: the longest function of the files that
 * change most and are longest.
 */
export async function idleRefactor(workspace: WorkspaceContext, isNew: (key: string) => boolean): Promise<Task | undefined> {
  const files = await workspace.files.list();
  const churn = await churnByFile(workspace.files.root);
  for (const rel of rankFiles(files, churn, (f) => workspace.files.size(f) / 40).slice(0, SWEEP_CANDIDATES)) {
    const read = workspace.files.read(rel);
    const fn = read.ok ? longestFunction(read.text) : undefined;
    if (!read.ok || !fn) continue;
    const reason = `the longest function in a file changed in ${churn.get(rel) ?? 0} commit(s) over 90 days`;
    const input = { uri: uriOf(workspace, rel), relativePath: rel, languageId: languageOf(rel), text: read.text, diagnostics: [], refactor: { reason, lines: fn } };
    const candidate = task('refactor', 'low', ['refactor', sha256(read.text)], input);
    if (isNew(candidate.key)) return candidate;
  }
  return undefined;
}

function uriOf(workspace: WorkspaceContext, relativePath: string): string {
  return pathToFileURL(path.join(workspace.files.root, relativePath)).toString();
}

const LANGUAGES: Record<string, string> = {
  ts: 'typescript',
  tsx: 'typescriptreact',
  js: 'javascript',
  jsx: 'javascriptreact',
  mjs: 'javascript',
  cjs: 'javascript',
  mts: 'typescript',
  cts: 'typescript',
  py: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
  kt: 'kotlin',
  cs: 'csharp',
  rb: 'ruby',
  php: 'php',
  swift: 'swift',
  json: 'json',
  md: 'markdown',
};

/** VS Code's language id for a file, from its extension ("plaintext" when unknown). */
export function languageOf(relativePath: string): string {
  return LANGUAGES[path.extname(relativePath).slice(1).toLowerCase()] ?? 'plaintext';
}

/** What a task is about, for the activity log: its marker, its changed lines, its function or its problems. */
export function describeFocus(i: TaskInput): string {
  if (i.instruction) return `the marker on line ${i.instruction.line + 1}`;
  if (i.review) return `${i.review.lines.length} changed line(s) (${i.review.source})`;
  if (i.refactor) return `lines ${i.refactor.lines[0] + 1}-${i.refactor.lines[1] + 1}`;
  return `${i.diagnostics.length} problem(s)`;
}

/** A task as the Activity view lists it. */
export function taskItem(task: Task, running: boolean): TaskItem {
  return { key: task.key, kind: task.kind, relativePath: task.input.relativePath, priority: task.priority, running, role: task.role ?? 'background' };
}
