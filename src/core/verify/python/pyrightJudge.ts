/**
 * The verdict on a change from pyright's diagnostics before and after it: each pyright target
 * (a Pyright or Pylance problem, by rule and place) found before the edit must be gone after it —
 * followed through the edit, and as many problems of its rule and message in its file as before
 * means it is still there (it moved, or another of its kind went instead) — and no new error or
 * warning may appear in the changed files or in the modules importing them. Proves pyright's
 * targets only; one pyright does not report is `unchecked`, never `passed`.
 */
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../../shared/agentProtocol';
import type { CheckResult } from '../../../shared/types';
import { introducedErrors, lineMap, normalizeMessage, remainingTarget, type FoundError } from '../diagnosticMatch';
import type { LspDiagnostic } from './PyrightServer';

/** A problem pyright reports: the command line and the language server say "Pyright", Pylance (pyright inside) "Pylance". */
export function isPyrightTarget(target: DiagnosticInfo): boolean {
  return /^(pyright|pylance|basedpyright)$/i.test(target.source ?? '');
}

/** Errors and warnings count; information and hints ("x is not accessed") do not. */
export const counts = (d: LspDiagnostic): boolean => (d.severity ?? 1) <= 2;

/** The rule ("reportAttributeAccessIssue"), or "" for one pyright gives none (a syntax error). */
const ruleOf = (code: unknown) => (typeof code === 'string' || typeof code === 'number' ? String(code) : '');

export function foundError(file: string, d: LspDiagnostic): FoundError<string> {
  return { file, code: ruleOf(d.code), message: normalizeMessage(d.message), line: d.range.start.line, character: d.range.start.character };
}

/** A problem as the headless host sends it, as the editor's Python extension would. */
export function diagnosticOf(d: LspDiagnostic): DiagnosticInfo {
  return {
    message: d.message,
    severity: (d.severity ?? 1) === 1 ? 'error' : 'warning',
    source: d.source ?? 'Pyright',
    ...(ruleOf(d.code) ? { code: ruleOf(d.code) } : {}),
    range: { startLine: d.range.start.line, startCharacter: d.range.start.character, endLine: d.range.end.line, endCharacter: d.range.end.character },
  };
}

/** pyright's problem that is the target: same rule at the same place; failing that, same rule and message, nearest line. */
export function locateTarget(target: DiagnosticInfo, file: string, found: readonly FoundError<string>[]): FoundError<string> | undefined {
  if (!isPyrightTarget(target)) return undefined;
  const rule = ruleOf(target.code);
  const candidates = found.filter((e) => e.file === file && e.code === rule);
  const atPlace = candidates.find((e) => e.line === target.range.startLine && e.character === target.range.startCharacter);
  if (atPlace) return atPlace;
  const text = normalizeMessage(target.message);
  return candidates.filter((e) => e.message === text).sort((a, b) => Math.abs(a.line - target.range.startLine) - Math.abs(b.line - target.range.startLine))[0];
}

export interface CheckedFile {
  filePath: string;
  before: string;
  after: string;
  was: LspDiagnostic[];
  now: LspDiagnostic[];
}

/** `files`: the changed files first, then the modules importing them (whose text did not change). */
export function judgePyright(targets: readonly DiagnosticInfo[], mainPath: string, files: readonly CheckedFile[], about: { version: string; root: string; interpreter: string }): CheckResult {
  const tool = `pyright ${about.version}`;
  const main = files.find((f) => f.filePath === mainPath);
  const describe = (e: FoundError<string>) => `${e.file === mainPath ? '' : `${path.relative(about.root, e.file)}: `}line ${e.line + 1}: ${e.code ? `${e.code}: ` : ''}${e.message}`;
  const was = (f: CheckedFile) => f.was.filter(counts).map((d) => foundError(f.filePath, d));
  const now = (f: CheckedFile) => f.now.filter(counts).map((d) => foundError(f.filePath, d));
  const located = targets.map((t) => (main ? locateTarget(t, mainPath, was(main)) : undefined));

  if (main) {
    const movedTo = lineMap(main.before, main.after);
    const before = was(main);
    const after = now(main);
    const still = located.flatMap((e) => {
      const left = e ? remainingTarget(e, movedTo(e.line), before, after) : undefined;
      return left ? [left] : [];
    });
    if (still.length > 0) return { status: 'failed', detail: `The problem is still there (${tool}).`, errors: still.map(describe) };
  }

  const changedCount = files.filter((f) => f.before !== f.after).length;
  const introduced = files.flatMap((f) => {
    const map = lineMap(f.before, f.after);
    return introducedErrors(was(f), now(f), (e) => map(e.line));
  });
  const scope = describeScope(files, changedCount, about.root);
  if (introduced.length > 0) {
    return { status: 'failed', detail: `The change adds ${introduced.length} new pyright problem(s) (${tool}, ${scope}).`, errors: introduced.map(describe) };
  }

  const proved = located.flatMap((e, i) => (e ? [i] : []));
  const unseen = targets.filter((t, i) => isPyrightTarget(t) && !located[i]);
  if (unseen.length > 0) {
    const what = unseen.map((t) => `${t.code ?? 'problem'} at line ${t.range.startLine + 1}`).join(', ');
    return { status: 'unchecked', detail: `${tool} does not report the problem (${what}) with ${about.interpreter}, so it cannot prove it fixed; no new problem appeared in ${scope}.`, proved };
  }
  const what = proved.length > 0 ? 'the problem is gone and no new problem appeared' : 'no new problem appeared';
  return { status: 'passed', level: 'type-checked', detail: `Checked with ${tool} (${about.interpreter}): ${what} in ${scope}.`, proved };
}

function describeScope(files: readonly CheckedFile[], changed: number, root: string): string {
  const names = files.slice(0, changed).map((f) => path.relative(root, f.filePath));
  const importers = files.length - changed;
  return `${names.join(', ')}${importers > 0 ? ` and ${importers} module(s) importing ${changed === 1 ? 'it' : 'them'}` : ''}`;
}
