/**
 * Rung 0 of the cost ladder: the language's own fixes, asked for before any model is paid. A
 * fixer names, for one problem, the edits its compiler (or linter) would make, best first; the
 * agent checks each exactly like a model's answer and shows the first that passes, at no cost.
 * Each problem goes to the fixer of the tool that reports it (fixerBySource).
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
  /**
   * The compiler and its version, for the proposal and the ledger ("TypeScript 5.6.3"), that would
   * fix `target` (any problem of the file when none is given); undefined when there is none.
   */
  tool(filePath: string, target?: DiagnosticInfo): string | undefined;
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

/** A fixer per workspace folder, the file's own (`of` finds it; none for a file in no folder). */
export function folderFixer(of: (filePath: string) => CompilerFixer | undefined): CompilerFixer {
  return {
    tool: (filePath, target) => of(filePath)?.tool(filePath, target),
    fixes: async (filePath, text, target) => (await of(filePath)?.fixes(filePath, text, target)) ?? [],
  };
}

/**
 * Each problem to the fixer of the tool that reports it, by its diagnostic's source (`eslint`,
 * `ts`…, any case); a problem of another source (or none) to `otherwise`.
 */
export function fixerBySource(bySource: Readonly<Record<string, CompilerFixer>>, otherwise?: CompilerFixer): CompilerFixer {
  const pick = (target: DiagnosticInfo | undefined) => (target?.source ? bySource[target.source.toLowerCase()] : undefined) ?? otherwise;
  return {
    tool: (filePath, target) => (target ? pick(target)?.tool(filePath, target) : [otherwise, ...Object.values(bySource)].map((f) => f?.tool(filePath)).find(Boolean)),
    fixes: async (filePath, text, target) => (await pick(target)?.fixes(filePath, text, target)) ?? [],
  };
}
