/**
 * The prompt for a task: fix the reported problems, or carry out a marker comment's instruction. The system prompt comes first and is byte-identical across calls
 * so providers bill it at the cached rate; the task-specific text comes last.
 */
import type { DiagnosticInfo } from '../../shared/agentProtocol';
import type { ChatMessage } from '../providers/modelBackend';

export const SYSTEM_PROMPT = `You are Nightshift, a careful background coding agent. You make the smallest correct change to a file: fixing the problems reported in it, or carrying out the instruction a developer left in a "nightshift:" marker comment.

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
- Do not change behaviour beyond the fix. Do not add comments about the fix.
- When carrying out a marker comment's instruction, remove the marker comment in the same change.
- If you cannot make the change safely, answer only: TITLE: none`;

/** Files up to this many lines are sent whole; longer ones as a window around the problems. */
export const WHOLE_FILE_MAX_LINES = 400;
const WINDOW_RADIUS = 60;

export interface FixInput {
  uri: string;
  relativePath: string;
  languageId: string;
  text: string;
  diagnostics: DiagnosticInfo[];
  /** For a marker task: the instruction and its zero-based line. */
  instruction?: { line: number; text: string };
}

function formatDiagnostic(d: DiagnosticInfo): string {
  const where = `${d.range.startLine + 1}:${d.range.startCharacter + 1}`;
  const source = d.source ? `${d.source}${d.code ? ` ${d.code}` : ''}: ` : '';
  return `- line ${where} ${d.severity}: ${source}${d.message}`;
}

/** The part of the file the model sees, with a note when it is a window. */
export function fileExcerpt(text: string, focusLines: readonly number[]): { excerpt: string; note: string } {
  const lines = text.split(/\r?\n/);
  if (lines.length <= WHOLE_FILE_MAX_LINES || focusLines.length === 0) {
    return { excerpt: text, note: 'the whole file' };
  }
  const first = Math.min(...focusLines);
  const last = Math.max(...focusLines);
  const from = Math.max(0, first - WINDOW_RADIUS);
  const to = Math.min(lines.length, last + WINDOW_RADIUS + 1);
  return { excerpt: lines.slice(from, to).join('\n'), note: `lines ${from + 1}-${to} of ${lines.length}` };
}

export function buildFixMessages(input: FixInput): ChatMessage[] {
  const focus = input.instruction ? [input.instruction.line] : input.diagnostics.flatMap((d) => [d.range.startLine, d.range.endLine]);
  const { excerpt, note } = fileExcerpt(input.text, focus);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(excerpt) + 1));
  const user = [
    `File: ${input.relativePath} (${input.languageId}), ${note}:`,
    `${fence}${input.languageId}`,
    excerpt,
    fence,
    '',
    ...(input.instruction
      ? [`The marker comment on line ${input.instruction.line + 1} asks: ${input.instruction.text}`]
      : ['Problems reported by the language server:', ...input.diagnostics.map(formatDiagnostic)]),
  ].join('\n');
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: user },
  ];
}

function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return longest;
}
