/**
 * The seam for checking a proposal before it is shown: apply it to a shadow copy and confirm the
 * target problem is gone and no new error appeared. A proposal is shown as checked only when a
 * check ran and passed; otherwise it says what was not checked.
 */
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../shared/agentProtocol';
import type { CheckResult } from '../../shared/types';

export interface VerifyRequest {
  /** Absolute path of the file the proposal changes. */
  filePath: string;
  before: string;
  after: string;
  /**
   * The problems the proposal is meant to fix, all in `filePath`: it is the task's file even when the
   * answer edits only other files (then `before` equals `after`), so the target is always proved.
   */
  targets: DiagnosticInfo[];
  /** Other files the same proposal changes (absolute paths), checked with it. */
  also?: Array<{ filePath: string; before: string; after: string }>;
}

export interface Verifier {
  verify(request: VerifyRequest): Promise<CheckResult>;
  /** Runs the project's tests: worth running only once every target is proved gone. */
  readonly runsTests?: boolean;
}

/** For hosts with nothing to check with. */
export const noVerifier: Verifier = {
  verify: async () => ({ status: 'unchecked', detail: 'No checker is available for this file.' }),
};

/**
 * In a multi-root workspace, each file belongs to its own folder (the innermost holding it): its
 * TypeScript, its check commands. `make` is called once per folder; the lookup returns undefined
 * for a file in no folder.
 */
export function innermostFolder<T>(roots: readonly string[], make: (root: string) => T): (filePath: string) => T | undefined {
  const folders = roots.map((root) => ({ root: path.resolve(root), value: make(root) })).sort((a, b) => b.root.length - a.root.length);
  return (filePath) => {
    const file = path.resolve(filePath);
    return folders.find((f) => file.startsWith(f.root + path.sep))?.value;
  };
}

/** Each file checked by its own folder's checker; a file in no folder is unchecked. */
export function byFolder(roots: readonly string[], make: (root: string) => Verifier): Verifier {
  const of = innermostFolder(roots, make);
  return {
    verify(request) {
      return (of(request.filePath) ?? noVerifier).verify(request);
    },
  };
}

/**
 * Runs several checks in turn and gives the weakest verdict: a failure or a silencing stops at once;
 * `passed` only when some part ran and passed and each target was proved gone by a part that
 * reports it (a command's exit code proves no target). Parts that run tests are skipped while a
 * target is still unproved (nothing to gain), and make a passed check `tested`.
 */
export function weakestOf(parts: readonly Verifier[], options: { testsRequired?: () => boolean } = {}): Verifier {
  return {
    async verify(request) {
      const results: CheckResult[] = [];
      const proved = new Set<number>();
      const unproved = () => request.targets.map((_, i) => i).filter((i) => !proved.has(i));
      for (const part of parts) {
        if (part.runsTests && unproved().length > 0) continue;
        const r = await part.verify(request);
        if (r.status === 'failed' || r.status === 'silences') return r;
        r.proved?.forEach((i) => proved.add(i));
        results.push(r);
      }
      const detail = (list: CheckResult[]) =>
        list
          .map((r) => r.detail)
          .filter(Boolean)
          .join(' ');
      const testsAvailable = results.some((r) => r.testsAvailable);
      const about = { testsAvailable, ...(options.testsRequired?.() ? { testsRequired: true } : {}) };
      const passed = results.filter((r) => r.status === 'passed');
      const missing = unproved();
      if (missing.length > 0) {
        const what = missing.map((i) => describeTarget(request.targets[i])).join(', ');
        return { status: 'unchecked', detail: `No checker here reports the problem (${what}), so nothing proves it gone. ${detail(results)}`.trim(), ...about };
      }
      if (passed.length === 0) return { status: 'unchecked', detail: detail(results), ...about };
      const tested = passed.some((r) => r.level === 'tested');
      const untested = tested ? undefined : (results.find((r) => r.untested)?.untested ?? 'no test checker ran');
      return { status: 'passed', level: tested ? 'tested' : 'type-checked', detail: detail(passed), ...(untested ? { untested } : {}), ...about };
    },
  };
}

function describeTarget(t: DiagnosticInfo): string {
  return `${t.source ? `${t.source} ` : ''}${t.code ? `${t.code} ` : ''}at line ${t.range.startLine + 1}`;
}
