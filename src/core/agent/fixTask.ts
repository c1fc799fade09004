/**
 * A fix task's two ends around the model call: the prompt going in, and the answer coming out
 * turned into a proposal when its edits apply cleanly. Never writes a file.
 */
import type { Proposal } from '../../shared/types';
import { applyBlocks, parseAnswer } from '../edits/searchReplace';
import { unifiedDiff } from '../edits/unifiedDiff';
import { sha256 } from '../hash';
import type { ChatResult } from '../providers/modelBackend';
import type { FixInput } from './fixPrompt';

export type FixOutcome = { kind: 'proposal'; proposal: Proposal } | { kind: 'none'; reason: string };

export interface FixIds {
  newId: () => string;
  now: () => Date;
}

export function interpretFix(input: FixInput, result: ChatResult, ids: FixIds): FixOutcome {
  const none = (reason: string): FixOutcome => ({ kind: 'none', reason });
  if (!result.answer) {
    return none(
      result.finishReason === 'length'
        ? 'the model used its whole output limit on thinking; raise nightshift.maxCompletionTokens'
        : 'the model sent an empty answer',
    );
  }
  const parsed = parseAnswer(result.answer);
  if (/^none$/i.test(parsed.title) && parsed.blocks.length === 0) return none('the model found no safe fix');
  if (parsed.blocks.length === 0) return none(parsed.problems[0] ?? 'the answer contains no SEARCH/REPLACE edit');
  const applied = applyBlocks(input.text, parsed.blocks);
  if (!applied.ok) return none(applied.reason);
  if (applied.newText === input.text) return none('the edit changes nothing');

  const u = result.usage;
  return {
    kind: 'proposal',
    proposal: {
      id: ids.newId(),
      kind: input.instruction ? 'todo' : 'fix',
      title: parsed.title || (input.instruction ? input.instruction.text : `Fix ${input.diagnostics.length === 1 ? 'a problem' : 'problems'} in ${input.relativePath}`),
      rationale: parsed.rationale || input.instruction?.text || input.diagnostics[0]?.message || '',
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
      usage: { inputTokens: u.inputTokens, cachedInputTokens: u.cachedInputTokens, outputTokens: u.outputTokens, reasoningTokens: u.reasoningTokens },
      costUsd: u.costUsd,
      createdAt: ids.now().toISOString(),
    },
  };
}
