/**
 * Rung 0 of the cost ladder: the language's own fixes, asked for before any model is paid. A
 * fixer names, for one problem, the edits its compiler would make, best first; the agent checks
 * each exactly like a model's answer and shows the first that passes, at no cost.
 */
import type { DiagnosticInfo } from '../../shared/agentProtocol';

/** One fix the compiler offers: what it says it does, and each file's text before and after. */
export interface CompilerFix {
  /** The compiler's name for the kind of fix ("spelling", "import", "fixMissingMember", …). */
  fixName: string;
  description: string;
  /** The files it changes (absolute paths), the problem's own file first when it is among them. */
  files: Array<{ filePath: string; before: string; after: string }>;
}

export interface CompilerFixer {
  /** The compiler and its version, for the proposal and the ledger ("TypeScript 5.6.3"); undefined when there is none. */
  tool(filePath: string): string | undefined;
  /** The compiler's fixes for `target` in the file at `filePath` holding `text`, in its order of preference. */
  fixes(filePath: string, text: string, target: DiagnosticInfo): Promise<CompilerFix[]>;
}

/**
 * Applies a compiler's text edits (offsets into `text`, non-overlapping), built front to back.
 * Edits at one offset land in the order given (TypeScript gives two insertions there when a name
 * leaves a multi-line import list; applied last-first, they came out swapped).
 */
export function applyTextEdits(text: string, edits: ReadonlyArray<{ start: number; length: number; newText: string }>): string {
  const inOrder = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.i - b.i);
  let out = '';
  let at = 0;
  for (const { e } of inOrder) {
    out += text.slice(at, Math.max(at, e.start)) + e.newText;
    at = Math.max(at, e.start + e.length);
  }
  return out + text.slice(at);
}
