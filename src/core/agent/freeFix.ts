/**
 * Rung 0: before a fix task costs anything, the tools' own fixes for each of its problems (the
 * compiler's code fixes, ESLint's fixes and suggestions: each problem asks the tool that reports
 * it) are checked exactly like a model's answer (the problem gone, no new error, the check
 * commands, the tests). Problem by problem: the first fix that passes for a problem is taken
 * (where more than one passed, the tool's preferred one is shown and the others are counted), and
 * the problems fixed so become one proposal marked as a compiler fix, at $0, checked once more
 * together. The problems left — and why each got no free fix — go on to the model.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../shared/agentProtocol';
import type { Proposal } from '../../shared/types';
import { anchoredReplacements } from '../edits/anchoredDiff';
import { fileChange } from '../proposals/hunks';
import type { CompilerFix, CompilerFixer } from '../verify/compilerFixes';
import type { Verifier } from '../verify/Verifier';
import type { Task } from './taskSources';

/** Candidates checked per problem: the compiler's first few are the ones worth showing. */
const MAX_CANDIDATES = 4;
/** Problems of one file tried in turn (each costs up to MAX_CANDIDATES checks); the rest go to the model. */
const MAX_TARGETS = 8;

export interface FreeFixDeps {
  fixer: CompilerFixer;
  verifier: Verifier;
  /** The workspace folder the file is in (for relative paths of other files a fix touches). */
  root: string | undefined;
  newId(): string;
  now(): Date;
  /** Why another file a fix edits may not be read (outside the workspace, or the privacy rules never read it), else undefined: such a fix is not offered. */
  unreadable?(filePath: string): string | undefined;
}

/** A problem rung 0 left for the model, and why it found no free fix for it. */
export interface NotFixed {
  target: DiagnosticInfo;
  reason: string;
}

export type FreeFixResult = { kind: 'proposal'; proposal: Proposal; tool: string; notFixed: NotFixed[] } | { kind: 'none'; reason: string; notFixed: NotFixed[] };

/** A problem as the log names it: "TS2322 at line 6". */
export function problemLabel(d: DiagnosticInfo): string {
  const code = d.code === undefined || d.code === '' ? '' : d.source === 'eslint' ? `${d.code} ` : /^\d+$/.test(String(d.code)) ? `TS${d.code} ` : `${d.code} `;
  return `${code}at line ${d.range.startLine + 1}`;
}

export async function freeFix(task: Task, deps: FreeFixDeps): Promise<FreeFixResult> {
  const { input } = task;
  if (task.kind !== 'fix' || input.diagnostics.length === 0) return { kind: 'none', reason: 'not a fix task', notFixed: [] };
  const filePath = fileURLToPath(input.uri);
  const notFixed: NotFixed[] = [];
  const tools = new Set<string>();

  let text = input.text;
  const others = new Map<string, { before: string; after: string }>();
  const chosen: Array<{ fix: CompilerFix; alsoPassed: number; target: DiagnosticInfo }> = [];
  for (const [i, target] of input.diagnostics.entries()) {
    if (i >= MAX_TARGETS) {
      notFixed.push({ target, reason: `not tried (the first ${MAX_TARGETS} problems of a file are)` });
      continue;
    }
    // Each problem's own tool (TypeScript for a type error, ESLint for a lint problem).
    const tool = deps.fixer.tool(filePath, target);
    if (!tool) {
      notFixed.push({ target, reason: 'no compiler fixes for this file' });
      continue;
    }
    const candidates = (await deps.fixer.fixes(filePath, text, target).catch(() => [])).slice(0, MAX_CANDIDATES);
    let pick: CompilerFix | undefined;
    let alsoPassed = 0;
    let clashes = 0;
    const modules = new Set<string>();
    let refused = 0;
    for (const fix of candidates) {
      // A fix that edits a file Nightshift never reads would show that file's text in its diff (outside test).
      if (fix.files.some((f) => f.filePath !== filePath && deps.unreadable?.(f.filePath))) {
        refused++;
        continue;
      }
      // A fix that edits another file already edited for an earlier problem is not combined.
      if (fix.files.some((f) => f.filePath !== filePath && others.has(f.filePath))) {
        clashes++;
        continue;
      }
      const main = fix.files.find((f) => f.filePath === filePath) ?? { filePath, before: text, after: text };
      const check = await deps.verifier.verify({ filePath, before: text, after: main.after, targets: [target], also: fix.files.filter((f) => f.filePath !== filePath) }).catch(() => undefined);
      if (check?.status !== 'passed') continue;
      // The module an import fix names ("Add import from './dates'"): two fixes from one module are one choice.
      if (fix.fixName === 'import') modules.add(/from ["'`](.+?)["'`]/.exec(fix.description)?.[1] ?? fix.description);
      if (pick) alsoPassed++;
      else pick = fix;
    }
    // Two modules export the name (`format` from ./dates and from ./money): which one is meant is a choice, not the compiler's.
    if (pick && modules.size > 1) {
      notFixed.push({ target, reason: `${modules.size} modules export the name: which one is meant is left for the model` });
      continue;
    }
    if (!pick) {
      const why = candidates.length === 0 ? `${tool.split(' ')[0]} offers no fix` : refused === candidates.length ? 'its fixes edit a file Nightshift never reads' : clashes === candidates.length ? 'its fixes edit a file a fix for another problem edits' : 'no compiler fix passed the check';
      notFixed.push({ target, reason: why });
      continue;
    }
    tools.add(tool);
    chosen.push({ fix: pick, alsoPassed, target });
    text = pick.files.find((f) => f.filePath === filePath)?.after ?? text;
    for (const f of pick.files) if (f.filePath !== filePath) others.set(f.filePath, { before: f.before, after: f.after });
  }
  if (chosen.length === 0) return { kind: 'none', reason: summary(notFixed), notFixed };

  // The problems fixed, together, once more: each fix passed alone, on the text the earlier ones left.
  const also = [...others].map(([p, t]) => ({ filePath: p, ...t }));
  const targets = chosen.map((c) => c.target);
  const check = await deps.verifier.verify({ filePath, before: input.text, after: text, targets, also }).catch(() => undefined);
  if (check?.status !== 'passed') {
    const all = [...targets.map((target) => ({ target, reason: 'the compiler fixes did not pass together' })), ...notFixed];
    return { kind: 'none', reason: 'the compiler fixes did not pass together', notFixed: all };
  }
  const tool = [...tools].join(' + ');

  const files = [...(text !== input.text ? [fileChange(input.uri, input.relativePath, input.text, anchoredReplacements(input.text, text))] : []), ...also.map((o) => fileChange(pathToFileURL(o.filePath).href, relativeTo(deps.root, o.filePath), o.before, anchoredReplacements(o.before, o.after)))];
  const descriptions = chosen.map((c) => c.fix.description);
  const others_ = chosen.reduce((n, c) => n + c.alsoPassed, 0);
  const more = others_ > 0 ? ` ${others_} other compiler fix${others_ === 1 ? '' : 'es'} also passed; this is the one ${tool.split(' ')[0]} prefers.` : '';
  const left = notFixed.length > 0 ? ` ${notFixed.length} other problem(s) of the file go to the model.` : '';
  return {
    kind: 'proposal',
    tool,
    notFixed,
    proposal: {
      id: deps.newId(),
      kind: 'fix',
      title: descriptions.join('; '),
      rationale: `${tool}'s own fix (${[...new Set(chosen.map((c) => c.fix.fixName))].join(', ')}), found before any model was asked: no cost.${more}${left}`,
      files,
      model: tool,
      usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
      costUsd: 0,
      createdAt: deps.now().toISOString(),
      check,
      targets,
      targetUri: input.uri,
      source: 'compiler',
    },
  };
}

/** Why no free fix came, in one line: each problem with its reason, alike reasons joined. */
function summary(notFixed: readonly NotFixed[]): string {
  const byReason = new Map<string, string[]>();
  for (const n of notFixed) byReason.set(n.reason, [...(byReason.get(n.reason) ?? []), problemLabel(n.target)]);
  return [...byReason].map(([reason, where]) => `${where.join(', ')}: ${reason}`).join('; ');
}

function relativeTo(root: string | undefined, file: string): string {
  return root ? path.relative(root, file).split(path.sep).join('/') : path.basename(file);
}
