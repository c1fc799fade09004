/**
 * Rung 0 over a fixture, as the agent runs it, shared by the lint and Ruff harnesses (and their
 * tests and benches): each file's fix task (its problems) through `freeFix` with the given fixer
 * and composed check; then the pieces of an independent re-check — the shown proposals written to
 * a fresh copy of the project, and what a re-run finds there beyond the problems rung 0 left.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freeFix } from '../../src/core/agent/freeFix';
import type { Task } from '../../src/core/agent/taskSources';
import { applyReplacements } from '../../src/core/edits/searchReplace';
import type { CompilerFixer } from '../../src/core/verify/compilerFixes';
import type { Verifier } from '../../src/core/verify/Verifier';
import type { FileDiagnostics } from '../../src/core/signals/tsDiagnostics';
import type { Proposal } from '../../src/shared/types';

export interface RungZeroRun {
  problems: number;
  settled: number;
  tasks: number;
  freeTasks: number;
  /** The shown proposals, by the file they fix (relative). */
  proposals: Map<string, Proposal>;
  /** The rules of the problems rung 0 left to the model, by file: a re-run still finds these. */
  left: Map<string, string[]>;
  /** Time per fix task, the checks included. */
  msPerTask: number;
}

export async function runRungZero(root: string, found: readonly FileDiagnostics[], languageId: string, fixer: CompilerFixer, verifier: Verifier): Promise<RungZeroRun> {
  const proposals = new Map<string, Proposal>();
  const left = new Map<string, string[]>();
  let settled = 0;
  const started = performance.now();
  for (const { file, diagnostics } of found) {
    const relativePath = path.relative(root, file).split(path.sep).join('/');
    const task: Task = { key: relativePath, id: relativePath, kind: 'fix', priority: 'normal', input: { uri: pathToFileURL(file).href, relativePath, languageId, text: fs.readFileSync(file, 'utf8'), diagnostics } };
    const r = await freeFix(task, { fixer, verifier, root, newId: () => relativePath, now: () => new Date() });
    if (r.kind !== 'proposal') continue;
    proposals.set(relativePath, r.proposal);
    // Problem by problem: the ones it left go to the model, and are expected still there.
    settled += diagnostics.length - r.notFixed.length;
    left.set(
      relativePath,
      r.notFixed.map((n) => String(n.target.code)),
    );
  }
  const msPerTask = (performance.now() - started) / Math.max(1, found.length);
  return { problems: found.reduce((n, f) => n + f.diagnostics.length, 0), settled, tasks: found.length, freeTasks: proposals.size, proposals, left, msPerTask };
}

/** A fresh copy of the project (no node_modules, no .git) with every proposal written over its files; the caller removes it. */
export function copyWithProposals(root: string, proposals: ReadonlyMap<string, Proposal>, prefix: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.cpSync(root, copy, { recursive: true, filter: (src) => !src.split(path.sep).includes('node_modules') && !src.endsWith(`${path.sep}.git`) });
  for (const p of proposals.values()) {
    for (const f of p.files) {
      const target = path.join(copy, path.relative(root, fileURLToPath(f.uri)));
      fs.writeFileSync(target, applyReplacements(fs.readFileSync(target, 'utf8'), f.replacements));
    }
  }
  return copy;
}

/**
 * What a re-run finds in the files of the shown proposals beyond what rung 0 left to the model:
 * `found(file)` gives the re-run's problems in a file (relative path) as `where code` strings.
 */
export function beyondLeft(proposals: ReadonlyMap<string, Proposal>, left: ReadonlyMap<string, readonly string[]>, found: (file: string) => Array<{ code: string; where: string }>): string[] {
  const failing: string[] = [];
  for (const [rel, p] of proposals) {
    for (const f of p.files) {
      const expected = f.relativePath === rel ? [...(left.get(rel) ?? [])] : [];
      for (const m of found(f.relativePath)) {
        const i = expected.indexOf(m.code);
        if (i >= 0) expected.splice(i, 1);
        else failing.push(`${rel}: ${m.where}`);
      }
    }
  }
  return failing;
}
