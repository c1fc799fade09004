/**
 * The prompt for a task: fix the reported problems, carry out a marker comment's instruction,
 * review new changes, or refactor a long function. The system prompt and the workspace facts come
 * first and are byte-identical across calls, so providers bill them at the cached rate; the
 * task-specific text comes last.
 */
import type { DiagnosticInfo } from '../../shared/agentProtocol';
import type { TaskKind } from '../../shared/types';
import { codeFence } from '../context/codeFence';
import { TOOLS_HELP } from '../context/tools';
import type { ChatMessage } from '../providers/modelBackend';

export const SYSTEM_PROMPT = `You are Nightshift, a careful background coding agent. You make the smallest correct change: fixing the problems reported in a file, carrying out the instruction a developer left in a "nightshift:" marker comment, fixing a real bug or risky code in changes you review, or one refactor that makes a long function clearer without changing what it does.

Answer in exactly this format and nothing else:
TITLE: <imperative summary, at most 10 words>
WHY: <one sentence: the cause and the fix>
<<<<<<< SEARCH
<lines copied exactly from the file, enough to be unique>
=======
<the replacement lines>
>>>>>>> REPLACE

Rules:
- The SEARCH text must match the file exactly, including indentation, and occur once.
- Use as many SEARCH/REPLACE blocks as needed; keep each small.
- To edit a file other than the task's, put a line "FILE: <path>" before its blocks. Only files in the workspace can be edited.
- Do not change behaviour beyond the fix. Do not add comments about the fix.
- When carrying out a marker comment's instruction, remove the marker comment in the same change.
- When reviewing, change only what is clearly wrong or risky; style alone is not a reason.
- If you cannot make the change safely, or nothing needs changing, answer only: TITLE: none

${TOOLS_HELP}`;

/** Files up to this many lines are sent whole; longer ones as their imports plus a window around the focus. */
export const WHOLE_FILE_MAX_LINES = 120;
const WINDOW_RADIUS = 20;
/** The import block is sent up to this many lines; one statement running past it is sent whole or not at all. */
const MAX_HEADER_LINES = 80;
const MAX_STATEMENT_LINES = 200;
const IMPORT_LINE = /^\s*(import\b|export\s+(\*|\{[^}]*\})\s+from\b|(const|let|var)\s+\S+\s*=\s*require\(|from\s+\S+\s+import\b|#include\b|using\s|package\s|\/\/|\/\*|\*|#!|'use strict'|"use strict"|$)/;

export interface TaskInput {
  uri: string;
  relativePath: string;
  languageId: string;
  text: string;
  diagnostics: DiagnosticInfo[];
  /** For a marker task: the instruction and its zero-based line. */
  instruction?: { line: number; text: string };
  /** For a review: where the changes come from, their unified diff, and their zero-based lines in `text`. */
  review?: { source: string; hunks: string; lines: number[] };
  /** For a refactor: why this code, and its zero-based first and last lines. */
  refactor?: { reason: string; lines: [number, number] };
}

/** The lines a task is about: its problems, its marker, its changes or its function. */
export function focusLines(input: TaskInput): number[] {
  if (input.instruction) return [input.instruction.line];
  if (input.review) return input.review.lines;
  if (input.refactor) return [...input.refactor.lines];
  return input.diagnostics.flatMap((d) => [d.range.startLine, d.range.endLine]);
}

/** What VS Code knows of the names used around the task (signatures), and the stable workspace facts. */
export interface PromptContext {
  facts?: string;
  signatures?: string[];
  /** Lines shown either side of the lines in focus in a long file (the tuner's recipe); default WINDOW_RADIUS. */
  windowRadius?: number;
  /** One more line of instruction after the task (the recipe's prompt variant). */
  instruction?: string;
}

function formatDiagnostic(d: DiagnosticInfo): string {
  const where = `${d.range.startLine + 1}:${d.range.startCharacter + 1}`;
  const source = d.source ? `${d.source}${d.code ? ` ${d.code}` : ''}: ` : '';
  return `- line ${where} ${d.severity}: ${source}${d.message}`;
}

export interface ExcerptPart {
  /** One-based, inclusive. */
  from: number;
  to: number;
  text: string;
}

/**
 * The parts of the file the model sees: the whole file when it is short; otherwise its import
 * block and a window around the lines in focus (problems, or a marker), each part verbatim.
 */
export function fileExcerpt(text: string, focusLines: readonly number[], radius = WINDOW_RADIUS): ExcerptPart[] {
  const lines = text.split(/\r?\n/);
  if (lines.length <= WHOLE_FILE_MAX_LINES || focusLines.length === 0) return [{ from: 1, to: lines.length, text }];
  const first = Math.min(...focusLines);
  const last = Math.max(...focusLines);
  const from = Math.max(0, first - radius);
  const to = Math.min(lines.length, last + radius + 1);
  const header = importBlockEnd(lines, from);
  const parts: ExcerptPart[] = [];
  if (header > 0) parts.push({ from: 1, to: header, text: lines.slice(0, header).join('\n') });
  const start = header >= from ? header : from;
  parts.push({ from: start + 1, to, text: lines.slice(start, to).join('\n') });
  return parts;
}

/**
 * Where the file's leading imports (and comments) end, as a line count: whole statements only, so a
 * multi-line `import {` list is never cut after its first line. Brackets are counted to follow a
 * statement across lines.
 */
export function importBlockEnd(lines: readonly string[], windowStart: number): number {
  let end = 0;
  let depth = 0;
  let statementStart = 0;
  for (let i = 0; i < lines.length; i++) {
    if (depth === 0) {
      if (i >= Math.min(MAX_HEADER_LINES, windowStart) || !IMPORT_LINE.test(lines[i])) break;
      statementStart = i;
    } else if (i - statementStart >= MAX_STATEMENT_LINES) {
      return statementStart;
    }
    depth = Math.max(0, depth + bracketBalance(lines[i]));
    end = i + 1;
  }
  return depth === 0 ? end : statementStart;
}

function bracketBalance(line: string): number {
  const code = line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '').replace(/\/\/.*$/, '');
  return (code.match(/[{([]/g)?.length ?? 0) - (code.match(/[})\]]/g)?.length ?? 0);
}

export function buildTaskMessages(kind: TaskKind, input: TaskInput, context: PromptContext = {}): ChatMessage[] {
  const parts = fileExcerpt(input.text, focusLines(input), context.windowRadius);
  const total = input.text.split(/\r?\n/).length;
  const whole = parts.length === 1 && parts[0].from === 1 && parts[0].to === total;
  const shown = parts.flatMap((part) => {
    return [...(whole ? [] : [`Lines ${part.from}-${part.to} of ${total}:`]), codeFence(part.text, input.languageId)];
  });
  const user = [
    `File: ${input.relativePath} (${input.languageId})${whole ? ', the whole file' : ', the parts that matter (SEARCH text must come from them)'}:`,
    ...shown,
    '',
    ...(context.signatures && context.signatures.length > 0 ? ['Signatures of names used there (from the language server):', ...context.signatures.map((s) => `- ${s}`), ''] : []),
    ...taskText(kind, input),
    ...(context.instruction ? [context.instruction] : []),
  ].join('\n');
  return [
    { role: 'system', content: context.facts ? `${SYSTEM_PROMPT}\n\n${context.facts}` : SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
}

function taskText(kind: TaskKind, input: TaskInput): string[] {
  if (input.instruction) return [`Task: the marker comment on line ${input.instruction.line + 1} asks: ${input.instruction.text}`];
  if (input.review) {
    return [`Task: review ${input.review.source} in this file for bugs and risky code. The changes (unified diff):`, '```diff', input.review.hunks, '```', 'Fix only a real problem in these changes; otherwise answer TITLE: none.'];
  }
  if (input.refactor) {
    const [from, to] = input.refactor.lines;
    return [`Task: lines ${from + 1}-${to + 1} are a refactor candidate (${input.refactor.reason}). Propose one refactor that makes them clearer without changing behaviour, or answer TITLE: none.`];
  }
  return [`Task (${kind}): fix the problems reported by the language server:`, ...input.diagnostics.map(formatDiagnostic)];
}
