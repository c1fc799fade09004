/**
 * Rung 0 for lint: ESLint's own fix for the target and its suggestions, best first, as text edits
 * (ESLint's ranges and text). As `eslint --fix` does, a fix that leaves problems ESLint can fix
 * itself (no-var's `let` that prefer-const wants as `const`) is followed by those fixes, for the
 * problems it brought only. Never a directive comment: `eslint-disable` silences, it fixes nothing.
 */
import type { DiagnosticInfo } from '../../../shared/agentProtocol';
import { introducedErrors, lineMap } from '../diagnosticMatch';
import { applyTextEdits, type CompilerFix } from '../compilerFixes';
import { silencingIn } from '../silencing';
import { counts, foundError, locateMessage } from './eslintMessages';
import type { LintFix, LintMessage, LintResult } from './workspaceEslint';

/** ESLint's results for a text as the file at a path; undefined when ESLint does not lint it. */
export type Lint = (filePath: string, text: string) => Promise<LintResult | undefined>;

/** `eslint --fix` stops after this many passes; so does the follow-through. */
const MAX_PASSES = 10;

export async function lintFixes(lint: Lint, filePath: string, text: string, target: DiagnosticInfo): Promise<CompilerFix[]> {
  const result = await lint(filePath, text);
  const problems = result?.messages.filter(counts) ?? [];
  const m = locateMessage(target, problems);
  if (!m?.ruleId) return [];
  const options = [...(m.fix ? [{ description: `Fix ${m.ruleId}: ${m.message.replace(/\.$/, '')}`, fix: m.fix }] : []), ...(m.suggestions ?? []).map((s) => ({ description: s.desc.replace(/\.$/, ''), fix: s.fix }))];
  const out: CompilerFix[] = [];
  for (const o of options) {
    // A suggestion that only writes a comment (no-empty's `/* empty */` in a `catch`) says the problem is meant, and fixes nothing.
    if (o.fix.range[0] === o.fix.range[1] && /^\s*(?:\/\*[\s\S]*\*\/|\/\/[^\n]*)\s*$/.test(o.fix.text)) continue;
    const first = applyFixes(text, [o.fix]);
    if (first === text) continue;
    const { after, rules } = await followThrough(lint, filePath, text, problems, first);
    if (silencingIn([{ filePath, before: text, after }]) || out.some((f) => f.files[0].after === after)) continue;
    const more = rules.length > 0 ? ` (and ESLint's fix for the ${rules.join(', ')} it leaves)` : '';
    out.push({ fixName: m.ruleId, description: `${o.description}${more}`, files: [{ filePath, before: text, after }] });
  }
  return out;
}

/** `after`, with ESLint's fixes for the problems it has that `before` did not, pass after pass. */
async function followThrough(lint: Lint, filePath: string, before: string, problems: readonly LintMessage[], after: string): Promise<{ after: string; rules: string[] }> {
  const was = problems.map((m) => foundError(filePath, m));
  const rules = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const now = (await lint(filePath, after))?.messages.filter(counts) ?? [];
    const found = now.map((m) => foundError(filePath, m));
    const map = lineMap(before, after);
    const brought = introducedErrors(was, found, (e) => map(e.line)).map((e) => now[found.indexOf(e)]);
    const fixes = brought.filter((m) => m.fix);
    if (fixes.length === 0) break;
    const next = applyFixes(
      after,
      fixes.map((m) => m.fix!),
    );
    if (next === after) break;
    fixes.forEach((m) => rules.add(m.ruleId ?? 'parsing'));
    after = next;
  }
  return { after, rules: [...rules] };
}

/** ESLint's fixes applied as `eslint --fix` applies them: front to back, one that overlaps an earlier one left out; offsets skip a BOM. */
export function applyFixes(text: string, fixes: readonly LintFix[]): string {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  let end = -1;
  const edits = [...fixes]
    .filter((f) => f.range[0] >= 0)
    .sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1])
    .filter((f) => {
      if (f.range[0] <= end) return false;
      end = f.range[1];
      return true;
    })
    .map((f) => ({ start: f.range[0] + bom, length: f.range[1] - f.range[0], newText: f.text }));
  return applyTextEdits(text, edits);
}
