/**
 * Refactor candidates for an idle sweep: source files ranked by recent churn (commits touching
 * them in the last 90 days) times their size, and in each the longest function — long, often
 * changed code is where a refactor pays off.
 */
import { git } from '../context/WorkspaceFiles';

/** A function shorter than this is not worth a refactor proposal. */
export const MIN_FUNCTION_LINES = 40;

const SOURCE = /\.(tsx?|jsx?|mjs|cjs|py|go|rs|java|kt|cs)$/;
const TEST_PATH = /(^|\/)(test|tests|__tests__|spec|fixtures?)\/|\.(test|spec)\.[a-z]+$/;

/** Commits per file over the last 90 days (empty without git). */
export async function churnByFile(root: string): Promise<Map<string, number>> {
  const out = await git(root, ['log', '--since=90.days', '--format=', '--name-only', '--relative', '--no-renames', '-n', '2000']);
  const churn = new Map<string, number>();
  for (const f of (out ?? '').split('\n')) if (f.trim()) churn.set(f.trim(), (churn.get(f.trim()) ?? 0) + 1);
  return churn;
}

/** Files to look at first: changed often and long. */
export function rankFiles(files: readonly string[], churn: ReadonlyMap<string, number>, lineCount: (f: string) => number): string[] {
  return files
    .filter((f) => SOURCE.test(f) && !TEST_PATH.test(f))
    .map((f) => ({ f, score: (1 + (churn.get(f) ?? 0)) * lineCount(f) }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score || a.f.localeCompare(b.f))
    .map((c) => c.f);
}

const FUNCTION_START = /^(\s*)(export\s+)?(default\s+)?(async\s+)?(function\b|def\s|func\s|fn\s|(public|private|protected|static|async|override|\s)*[A-Za-z_$][\w$]*\s*\([^)]*\)\s*(:\s*[^={]+)?\{\s*$|(const|let)\s+[A-Za-z_$][\w$]*\s*=\s*(async\s*)?\([^)]*\)\s*(:\s*[^=]+)?=>\s*\{\s*$)/;
const CONTROL = /^\s*(if|for|while|switch|catch|else|do|try|return)\b/;

/**
 * The longest function in `text` (zero-based first and last line), by indentation: a function
 * ends at the first later non-blank line indented no deeper than its start. Undefined when none
 * reaches MIN_FUNCTION_LINES.
 */
export function longestFunction(text: string): [number, number] | undefined {
  const lines = text.split(/\r?\n/);
  let best: [number, number] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const m = FUNCTION_START.exec(lines[i]);
    if (!m || CONTROL.test(lines[i])) continue;
    const indent = m[1].length;
    let end = i + 1;
    while (end < lines.length && (lines[end].trim() === '' || /^\s*/.exec(lines[end])![0].length > indent)) end++;
    // A closing brace at the function's own indentation belongs to it.
    const last = end < lines.length && /^\s*[})\]]/.test(lines[end]) ? end : end - 1;
    if (last - i + 1 >= MIN_FUNCTION_LINES && (!best || last - i > best[1] - best[0])) best = [i, last];
  }
  return best;
}
