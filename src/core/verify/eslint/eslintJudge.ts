/**
 * The verdict on a change from ESLint's problems before and after it, in each changed file ESLint
 * lints: each ESLint target found before the edit (rule and place) must be gone after it —
 * followed through the edit, and as many problems of its rule in the file as before means it is
 * still there (it moved, or another of its kind went instead) — and no new problem may appear.
 * A target ESLint now reports as suppressed was silenced, not fixed. Proves ESLint targets only.
 */
import * as path from 'node:path';
import type { CheckResult } from '../../../shared/types';
import { introducedErrors, lineMap } from '../diagnosticMatch';
import type { VerifyRequest } from '../Verifier';
import { counts, describeProblem, ESLINT, foundError, isLinterTarget, locateMessage, type Linter } from './eslintMessages';
import type { LintMessage, LintResult } from './workspaceEslint';

/** A changed file ESLint lints (absolute path), with its two texts and ESLint's results for each. */
export interface LintedFile {
  filePath: string;
  before: string;
  after: string;
  was: LintResult;
  now: LintResult;
}

/** `main` is the file holding the targets, when the linter lints it. Ruff's problems are judged here too (`about.linter`). */
export function judgeLint(targets: VerifyRequest['targets'], main: LintedFile | undefined, files: readonly LintedFile[], about: { version: string; root: string; linter?: Linter }): CheckResult {
  const linter = about.linter ?? ESLINT;
  const tool = `${linter.name} ${about.version}`;
  const mainPath = main?.filePath ?? '';
  const where = (file: string, m: LintMessage) => describeProblem(foundError(file, m), mainPath, about.root);
  const scope = describeScope(
    files.map((f) => f.filePath),
    mainPath,
    about.root,
  );
  const ours = targets.map((t) => isLinterTarget(t, linter));
  const before = main?.was.messages.filter(counts) ?? [];
  const after = main?.now.messages.filter(counts) ?? [];
  const located = targets.map((t) => (main ? locateMessage(t, before, linter) : undefined));

  if (main) {
    const movedTo = lineMap(main.before, main.after);
    const ofRule = (list: readonly LintMessage[], rule: string | null) => list.filter((m) => m.ruleId === rule);
    const still = located.flatMap((m) => {
      if (!m) return [];
      const to = movedTo(m.line - 1);
      const inPlace = after.find((a) => a.ruleId === m.ruleId && to !== undefined && a.line - 1 === to && a.column === m.column);
      if (inPlace) return [inPlace];
      // Moved or its line rewritten: gone only if the rule lost at least one problem per target of it
      // (two E741 targets, one renamed and the other's line touched, leave one E741: not both gone).
      const left = ofRule(after, m.ruleId);
      const targetsOfRule = located.filter((t) => t?.ruleId === m.ruleId).length;
      return left.length > ofRule(before, m.ruleId).length - targetsOfRule ? [left[0]] : [];
    });
    if (still.length > 0) return { status: 'failed', detail: `The problem is still there (${tool}).`, errors: still.map((m) => where(mainPath, m)) };
    const suppressed = (r: LintResult, rule: string | null) => ofRule(r.suppressedMessages ?? [], rule).length;
    const hidden = located.find((m) => m && suppressed(main.now, m.ruleId) > suppressed(main.was, m.ruleId));
    if (hidden) {
      return {
        status: 'silences',
        detail: `${tool} still finds the problem (${hidden.ruleId}), now hidden by a directive comment: this silences it; fix the cause.`,
        errors: [where(mainPath, hidden)],
      };
    }
  }

  const introduced = files.flatMap((f) => {
    const map = lineMap(f.before, f.after);
    const was = f.was.messages.filter(counts).map((m) => foundError(f.filePath, m));
    const now = f.now.messages.filter(counts).map((m) => foundError(f.filePath, m));
    return introducedErrors(was, now, (e) => map(e.line));
  });
  if (introduced.length > 0) {
    return { status: 'failed', detail: `The change adds ${introduced.length} new ${linter.name} problem(s) (${tool}, ${scope}).`, errors: introduced.map((e) => describeProblem(e, mainPath, about.root)) };
  }

  const proved = located.flatMap((m, i) => (m ? [i] : []));
  const unseen = targets.filter((_, i) => ours[i] && !located[i]);
  if (unseen.length > 0) {
    const what = unseen.map((t) => `${t.code} at line ${t.range.startLine + 1}`).join(', ');
    const why = main ? `${tool} does not report the problem (${what})` : `${tool} does not lint this file (${what})`;
    return { status: 'unchecked', detail: `${why}, so it cannot prove it fixed; no new problem appeared in ${scope}.`, proved };
  }
  const what = proved.length > 0 ? 'the problem is gone and no new problem appeared' : 'no new problem appeared';
  return { status: 'passed', level: 'type-checked', detail: `Checked with ${tool}: ${what} in ${scope}.`, proved };
}

function describeScope(files: readonly string[], main: string, root: string): string {
  const names = files.slice(0, 3).map((f) => (f === main ? path.basename(f) : path.relative(root, f)));
  return files.length > 3 ? `${names.join(', ')} and ${files.length - 3} more file(s)` : names.join(', ');
}
