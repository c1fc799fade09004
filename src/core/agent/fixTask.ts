/**
 * One fix task: prompt the model with the file and its problems, read its edits, apply them in
 * memory and, when they apply cleanly, turn them into a proposal. Never writes a file.
 */
import type { Proposal } from '../../shared/types';
import { applyBlocks, parseAnswer } from '../edits/searchReplace';
import { unifiedDiff } from '../edits/unifiedDiff';
import { sha256 } from '../hash';
import type { ChatResult, ModelBackend } from '../providers/modelBackend';
import { buildFixMessages, type FixInput } from './fixPrompt';

export type FixOutcome =
  | { kind: 'proposal'; proposal: Proposal; result: ChatResult }
  | { kind: 'none'; reason: string; result: ChatResult };

export interface FixTaskOptions {
  maxCompletionTokens: number;
  signal?: AbortSignal;
  newId: () => string;
  now: () => Date;
}

export async function runFixTask(input: FixInput, backend: ModelBackend, options: FixTaskOptions): Promise<FixOutcome> {
  const result = await backend.complete({
    messages: buildFixMessages(input),
    maxCompletionTokens: options.maxCompletionTokens,
    signal: options.signal,
  });
  const none = (reason: string): FixOutcome => ({ kind: 'none', reason, result });

  if (!result.answer) {
    return none(
      result.finishReason === 'length'
        ? 'the model used its whole output limit on thinking; raise nightshift.maxCompletionTokens'
        : 'the model sent an empty answer',
    );
  }
  const parsed = parseAnswer(result.answer);
  if (/^none$/i.test(parsed.title) && parsed.blocks.length === 0) return none('the model found no safe fix');
  if (parsed.blocks.length === 0) {
    return none(parsed.problems[0] ?? 'the answer contains no SEARCH/REPLACE edit');
  }
  const applied = applyBlocks(input.text, parsed.blocks);
  if (!applied.ok) return none(applied.reason);
  if (applied.newText === input.text) return none('the edit changes nothing');

  const proposal: Proposal = {
    id: options.newId(),
    kind: 'fix',
    title: parsed.title || `Fix ${input.diagnostics.length === 1 ? 'a problem' : 'problems'} in ${input.relativePath}`,
    rationale: parsed.rationale || input.diagnostics[0]?.message || '',
    files: [
      {
        uri: input.uri,
        relativePath: input.relativePath,
        baseHash: sha256(input.text),
        replacements: applied.replacements,
        diff: unifiedDiff(input.relativePath, input.text, applied.newText),
      },
    ],
    model: result.model,
    usage: {
      inputTokens: result.usage.inputTokens,
      cachedInputTokens: result.usage.cachedInputTokens,
      outputTokens: result.usage.outputTokens,
      reasoningTokens: result.usage.reasoningTokens,
    },
    costUsd: result.usage.costUsd,
    createdAt: options.now().toISOString(),
  };
  return { kind: 'proposal', proposal, result };
}
