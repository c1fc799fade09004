/**
 * Rung 0: before a fix task costs anything, the tools' own fixes for each of its problems (the
 * compiler's code fixes, ESLint's fixes and suggestions: each problem asks the tool that reports
 * it) are checked exactly like a model's answer (the problem gone, no new error, the check
 * commands, the tests). The first that passes for every problem becomes a proposal marked as a
 * compiler fix, at $0; where more than one passed, the tool's preferred one is shown and the
 * others are counted. Nothing passing: the task goes on to the model, as if rung 0 had not been there.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { Proposal } from '../../shared/types';
import { anchoredReplacements } from '../edits/anchoredDiff';
import { fileChange } from '../proposals/hunks';
import type { CompilerFix, CompilerFixer } from '../verify/compilerFixes';
import type { Verifier } from '../verify/Verifier';
import type { Task } from './taskSources';

/** Candidates checked per problem: the compiler's first few are the ones worth showing. */
const MAX_CANDIDATES = 4;
/** A fix task with more problems than this goes to the model (one compiler fix per problem, in turn). */
const MAX_TARGETS = 3;

export interface FreeFixDeps {
  fixer: CompilerFixer;
  verifier: Verifier;
  /** The workspace folder the file is in (for relative paths of other files a fix touches). */
  root: string | undefined;
  newId(): string;
  now(): Date;
}

export type FreeFixResult = { kind: 'proposal'; proposal: Proposal; tool: string } | { kind: 'none'; reason: string };

export async function freeFix(task: Task, deps: FreeFixDeps): Promise<FreeFixResult> {
  const { input } = task;
  if (task.kind !== 'fix' || input.diagnostics.length === 0) return { kind: 'none', reason: 'not a fix task' };
  if (input.diagnostics.length > MAX_TARGETS) return { kind: 'none', reason: `${input.diagnostics.length} problems at once` };
  const filePath = fileURLToPath(input.uri);
  // Each problem's own tool (TypeScript for a type error, ESLint for a lint problem): all of them must have one.
  const tools = input.diagnostics.map((d) => deps.fixer.tool(filePath, d));
  if (tools.some((t) => !t)) return { kind: 'none', reason: 'no compiler fixes for this file' };
  const tool = [...new Set(tools)].join(' + ');

  let text = input.text;
  const others = new Map<string, { before: string; after: string }>();
  const chosen: Array<{ fix: CompilerFix; alsoPassed: number }> = [];
  for (const target of input.diagnostics) {
    const candidates = (await deps.fixer.fixes(filePath, text, target)).slice(0, MAX_CANDIDATES);
    let pick: CompilerFix | undefined;
    let alsoPassed = 0;
    for (const fix of candidates) {
      // A fix that edits another file already edited for an earlier problem is not combined.
      if (fix.files.some((f) => f.filePath !== filePath && others.has(f.filePath))) continue;
      const main = fix.files.find((f) => f.filePath === filePath) ?? { filePath, before: text, after: text };
      const check = await deps.verifier
        .verify({ filePath, before: text, after: main.after, targets: [target], also: fix.files.filter((f) => f.filePath !== filePath) })
        .catch(() => undefined);
      if (check?.status !== 'passed') continue;
      if (pick) alsoPassed++;
      else pick = fix;
    }
    if (!pick) return { kind: 'none', reason: candidates.length === 0 ? 'the compiler offers no fix' : 'no compiler fix passed the check' };
    chosen.push({ fix: pick, alsoPassed });
    text = pick.files.find((f) => f.filePath === filePath)?.after ?? text;
    for (const f of pick.files) if (f.filePath !== filePath) others.set(f.filePath, { before: f.before, after: f.after });
  }

  // The problems together, once more: each fix passed alone, on the text the earlier ones left.
  const also = [...others].map(([p, t]) => ({ filePath: p, ...t }));
  const check = await deps.verifier.verify({ filePath, before: input.text, after: text, targets: input.diagnostics, also }).catch(() => undefined);
  if (check?.status !== 'passed') return { kind: 'none', reason: 'the compiler fixes did not pass together' };

  const files = [
    ...(text !== input.text ? [fileChange(input.uri, input.relativePath, input.text, anchoredReplacements(input.text, text))] : []),
    ...also.map((o) => fileChange(pathToFileURL(o.filePath).href, relativeTo(deps.root, o.filePath), o.before, anchoredReplacements(o.before, o.after))),
  ];
  const descriptions = chosen.map((c) => c.fix.description);
  const others_ = chosen.reduce((n, c) => n + c.alsoPassed, 0);
  const more = others_ > 0 ? ` ${others_} other compiler fix${others_ === 1 ? '' : 'es'} also passed; this is the one ${tool.split(' ')[0]} prefers.` : '';
  return {
    kind: 'proposal',
    tool,
    proposal: {
      id: deps.newId(),
      kind: 'fix',
      title: descriptions.join('; '),
      rationale: `${tool}'s own fix (${[...new Set(chosen.map((c) => c.fix.fixName))].join(', ')}), found before any model was asked: no cost.${more}`,
      files,
      model: tool,
      usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
      costUsd: 0,
      createdAt: deps.now().toISOString(),
      check,
      targets: input.diagnostics,
      targetUri: input.uri,
      source: 'compiler',
    },
  };
}

function relativeTo(root: string | undefined, file: string): string {
  return root ? path.relative(root, file).split(path.sep).join('/') : path.basename(file);
}
