/**
 * Rung 0 over fixture projects with real compiler errors of several kinds: the share of fix
 * tasks the compiler's own fixes settle for free, and — checked again independently, on a copy of
 * the project with the proposal written to disk and the whole project type-checked afresh — how
 * many shown proposals would fail (the target must be 0).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freeFix } from '../src/core/agent/freeFix';
import type { Task } from '../src/core/agent/taskSources';
import { applyReplacements } from '../src/core/edits/searchReplace';
import { TsDiagnostics } from '../src/core/signals/tsDiagnostics';
import { TypeScriptVerifier } from '../src/core/verify/TypeScriptVerifier';
import { REPO_ROOT } from '../test/harness/testEnv';
import type { Measured } from './providerBench';

const PROJECTS = ['compiler-fixes', 'ts-error', 'ts-holes', 'context-tasks'];

function errorCount(root: string): number {
  return new TsDiagnostics(root).all().reduce((n, f) => n + f.diagnostics.filter((d) => d.severity === 'error').length, 0);
}

export async function rungZeroRows(): Promise<Measured[]> {
  let tasks = 0;
  let free = 0;
  let failing = 0;
  const started = performance.now();
  for (const name of PROJECTS) {
    const root = path.join(REPO_ROOT, 'test', 'fixtures', name);
    if (!fs.existsSync(path.join(root, 'tsconfig.json'))) continue;
    const typescript = new TypeScriptVerifier(root);
    const before = errorCount(root);
    for (const { file, diagnostics } of new TsDiagnostics(root).all()) {
      const errors = diagnostics.filter((d) => d.severity === 'error');
      if (errors.length === 0) continue;
      tasks++;
      const uri = pathToFileURL(file).href;
      const task: Task = { key: file, id: 'bench', kind: 'fix', priority: 'normal', input: { uri, relativePath: path.relative(root, file), languageId: 'typescript', text: fs.readFileSync(file, 'utf8'), diagnostics: errors } };
      const r = await freeFix(task, { fixer: typescript, verifier: typescript, root, newId: () => 'b', now: () => new Date() });
      if (r.kind !== 'proposal') continue;
      // Settled free: every problem of the task (a proposal for some of them leaves the rest to the model).
      if (r.notFixed.length === 0) free++;
      const fixed = r.proposal.targets ?? errors;
      // The independent check: the proposal written to a copy, the whole copy type-checked from scratch.
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-rung0-'));
      fs.cpSync(root, copy, { recursive: true });
      for (const f of r.proposal.files) {
        const target = path.join(copy, path.relative(root, fileURLToPath(f.uri)));
        fs.writeFileSync(target, applyReplacements(fs.readFileSync(target, 'utf8'), f.replacements));
      }
      const left = new TsDiagnostics(copy).file(path.join(copy, path.relative(root, file))) ?? [];
      const targetsLeft = fixed.filter((t) => left.some((d) => d.code === t.code && d.range.startLine === t.range.startLine));
      if (targetsLeft.length > 0 || errorCount(copy) > before - fixed.length) failing++;
      fs.rmSync(copy, { recursive: true, force: true });
    }
  }
  const ms = performance.now() - started;
  return [
    { metric: `rung 0: fix tasks settled free by the compiler's own fixes (${tasks} tasks, ${PROJECTS.length} fixture projects)`, measured: (100 * free) / Math.max(1, tasks), unit: '%', target: 25, kind: 'min' },
    { metric: 'rung 0: shown compiler fixes failing an independent whole-project check', measured: failing, unit: 'proposals', target: 0, kind: 'max' },
    { metric: 'rung 0: time per fix task (warm compiler, check included)', measured: ms / Math.max(1, tasks), unit: 'ms', target: 2000, kind: 'max' },
  ];
}

if (require.main === module) {
  void rungZeroRows().then((rows) => rows.forEach((row) => console.log(`${row.metric}: ${row.measured.toFixed(2)} ${row.unit} (target ${row.kind === 'max' ? '≤' : '≥'} ${row.target})`)));
}
