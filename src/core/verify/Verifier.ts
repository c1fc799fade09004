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
  /** The problems the proposal is meant to fix. */
  targets: DiagnosticInfo[];
  /** Other files the same proposal changes (absolute paths), checked with it. */
  also?: Array<{ filePath: string; before: string; after: string }>;
}

export interface Verifier {
  verify(request: VerifyRequest): Promise<CheckResult>;
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
 * Runs several checks in turn: the first failure fails the proposal; it passes when at least one
 * check ran and passed; otherwise it is unchecked, saying why.
 */
export function allOf(...verifiers: Verifier[]): Verifier {
  return {
    async verify(request) {
      const results: CheckResult[] = [];
      for (const v of verifiers) {
        const r = await v.verify(request);
        if (r.status === 'failed') return r;
        results.push(r);
      }
      const passed = results.filter((r) => r.status === 'passed');
      const list = passed.length > 0 ? passed : results;
      return { status: passed.length > 0 ? 'passed' : 'unchecked', detail: list.map((r) => r.detail).join(' ') };
    },
  };
}
