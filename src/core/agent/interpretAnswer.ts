/**
 * A task's answer coming out of the model, turned into a proposal when all its edits apply
 * cleanly: to the task's file, or to other workspace files it names on `FILE:` lines (read through
 * the file gate). A path outside the workspace, or one edit that does not apply, rejects the whole
 * answer — nothing is ever applied to the wrong place. Never writes a file.
 */
import type { FileChange, Proposal } from '../../shared/types';
import { normalizeRelative, type FileRead } from '../context/WorkspaceFiles';
import { applyBlocks, parseAnswer, type SearchReplaceBlock } from '../edits/searchReplace';
import { fileChange } from '../proposals/hunks';
import type { ChatResult } from '../providers/modelBackend';
import type { TaskInput } from './taskPrompt';
import type { TaskKind } from '../../shared/types';

export type TaskOutcome = { kind: 'proposal'; proposal: Proposal; texts: Map<string, { before: string; after: string }> } | { kind: 'none'; reason: string };

export interface AnswerDeps {
  newId: () => string;
  now: () => Date;
  /** Another workspace file the answer edits, through the file gate; absent: only the task's file may be edited. */
  readOther?: (relativePath: string) => FileRead & { uri?: string };
}

/** Files one answer may edit. */
const MAX_FILES_PER_PROPOSAL = 5;

export function interpretAnswer(kind: TaskKind, input: TaskInput, result: ChatResult, deps: AnswerDeps): TaskOutcome {
  const none = (reason: string): TaskOutcome => ({ kind: 'none', reason });
  if (!result.answer) {
    return none(result.finishReason === 'length' ? 'the model used its whole output limit on thinking; raise nightshift.maxCompletionTokens' : 'the model sent an empty answer');
  }
  const parsed = parseAnswer(result.answer);
  if (/^none$/i.test(parsed.title) && parsed.blocks.length === 0) return none(kind === 'fix' || kind === 'todo' ? 'the model found no safe fix' : 'the model found nothing worth changing');
  if (parsed.blocks.length === 0) return none(parsed.problems[0] ?? 'the answer contains no SEARCH/REPLACE edit');

  const byFile = new Map<string, SearchReplaceBlock[]>();
  for (const block of parsed.blocks) {
    const rel = block.path === undefined ? input.relativePath : normalizeRelative(block.path);
    if (!rel) return none(`an edit names ${JSON.stringify(block.path)}, which is outside the workspace`);
    byFile.set(rel, [...(byFile.get(rel) ?? []), block]);
  }
  if (byFile.size > MAX_FILES_PER_PROPOSAL) return none(`the answer edits ${byFile.size} files; at most ${MAX_FILES_PER_PROPOSAL} are allowed`);

  const files: FileChange[] = [];
  const texts = new Map<string, { before: string; after: string }>();
  for (const [rel, blocks] of byFile) {
    let uri = input.uri;
    let text = input.text;
    if (rel !== input.relativePath) {
      const other = deps.readOther?.(rel) ?? { ok: false as const, reason: 'only the task file may be edited here' };
      if (!other.ok || !other.uri) return none(`an edit names ${rel}, which cannot be edited: ${other.ok ? 'it has no address' : other.reason}`);
      uri = other.uri;
      text = other.text;
    }
    const applied = applyBlocks(
      text,
      blocks.map(({ search, replace }) => ({ search, replace })),
    );
    if (!applied.ok) return none(byFile.size > 1 ? `${rel}: ${applied.reason}` : applied.reason);
    if (applied.newText === text) continue;
    texts.set(uri, { before: text, after: applied.newText });
    files.push(fileChange(uri, rel, text, applied.replacements));
  }
  if (files.length === 0) return none('the edit changes nothing');

  const u = result.usage;
  return {
    kind: 'proposal',
    texts,
    proposal: {
      id: deps.newId(),
      kind,
      title: parsed.title || defaultTitle(kind, input),
      rationale: parsed.rationale || input.instruction?.text || input.diagnostics[0]?.message || '',
      files,
      model: result.model,
      usage: { inputTokens: u.inputTokens, cachedInputTokens: u.cachedInputTokens, outputTokens: u.outputTokens, reasoningTokens: u.reasoningTokens },
      costUsd: u.costUsd,
      createdAt: deps.now().toISOString(),
      ...(kind === 'fix' && input.diagnostics.length > 0 ? { targets: input.diagnostics, targetUri: input.uri } : {}),
    },
  };
}

function defaultTitle(kind: TaskKind, input: TaskInput): string {
  switch (kind) {
    case 'todo':
      return input.instruction?.text ?? `Carry out a marker in ${input.relativePath}`;
    case 'review':
      return `Review finding in ${input.relativePath}`;
    case 'refactor':
      return `Refactor ${input.relativePath}`;
    case 'fix':
      return `Fix ${input.diagnostics.length === 1 ? 'a problem' : 'problems'} in ${input.relativePath}`;
  }
}
