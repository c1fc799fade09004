/**
 * One run of a workspace's test runner through its command line, in the shadow folder: the tests
 * related to the changed files (vitest's `related`, jest's `--findRelatedTests`, the import graph
 * for mocha and node --test) or exactly the named test files, with the runner's machine-readable
 * report written to a file of ours. The verdict comes from that report only: an exit code is never
 * read as a result, and a run that wrote no readable report is a failure to run, not a pass.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { run } from '../processRun';
import type { DetectedRunner } from './detectRunner';
import { findTestFiles, testsReaching } from './importGraph';
import { parseJunitXml } from './junitReport';
import { parseNodeTap } from './tapReport';
import { isPytestFile, moduleRoots, pytestsReaching, pythonFiles } from '../python/pythonImports';
import { onlyFiles, parseJestJson, parseMochaJson, type TestReport } from './testReport';

/** The changed files whose tests should run, or the test files themselves. */
export type Selection = { related: string[] } | { files: string[] };

export type RunOutcome = { kind: 'report'; report: TestReport; ms: number } | { kind: 'timeout' } | { kind: 'failed'; reason: string };

export interface TestRun {
  /** Runs the tests of `selection` in `dir`; `changed`: the files changed there since the last run (for a warm runner's caches). */
  run(dir: string, selection: Selection, changed: string[], timeoutMs: number): Promise<RunOutcome>;
  dispose(): Promise<void>;
}

/** The Node that runs the workspace's runner: the one on PATH, as `npm test` would use; else the host's own. */
export function nodeExecutable(): { command: string; env: NodeJS.ProcessEnv } {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'node'))) return { command: path.join(dir, 'node'), env: {} };
  }
  return { command: process.execPath, env: { ELECTRON_RUN_AS_NODE: '1' } };
}

/**
 * The interpreter that runs pytest in the shadow folder: its modules first on the path (the
 * folder and its src/), before an editable install that points at the workspace's own files.
 */
export function pythonExecutable(interpreter: string, dir: string): { command: string; env: NodeJS.ProcessEnv } {
  return { command: interpreter, env: { PYTHONPATH: moduleRoots(dir).join(path.delimiter), PYTHONDONTWRITEBYTECODE: '1' } };
}

export class CliTestRun implements TestRun {
  constructor(private readonly runner: DetectedRunner) {}

  async run(dir: string, selection: Selection, _changed: string[], timeoutMs: number): Promise<RunOutcome> {
    let files: string[] | undefined;
    if (this.runner.name === 'mocha' || this.runner.name === 'node') {
      // No related mode of their own: the import graph says which test files reach the change.
      const all = findTestFiles(dir);
      files = 'files' in selection ? selection.files : testsReaching(all, selection.related);
      if (files.length === 0) return { kind: 'report', report: { files: [], tests: [] }, ms: 0 };
    } else if (this.runner.name === 'pytest') {
      const all = pythonFiles(dir).filter((f) => isPytestFile(f) && path.basename(f) !== 'conftest.py');
      files = 'files' in selection ? selection.files : pytestsReaching(all, selection.related, moduleRoots(dir));
      if (files.length === 0) return { kind: 'report', report: { files: [], tests: [] }, ms: 0 };
    }
    const out = mkdtempSync(path.join(os.tmpdir(), 'nightshift-report-'));
    const reportFile = path.join(out, this.runner.name === 'node' ? 'report.tap' : this.runner.name === 'pytest' ? 'report.xml' : 'report.json');
    try {
      const node = this.runner.name === 'pytest' ? pythonExecutable(this.runner.bin ?? 'python3', dir) : nodeExecutable();
      const args = this.args(dir, selection, files ?? [], reportFile, out);
      const started = performance.now();
      const r = await run(node.command, args, dir, timeoutMs, false, 16 * 1024, node.env);
      const ms = performance.now() - started;
      if (r.timedOut) return { kind: 'timeout' };
      const text = existsSync(reportFile) ? readFileSync(reportFile, 'utf8') : undefined;
      const report = text === undefined ? undefined : this.parse(text, files ?? [], dir);
      if (!report) return { kind: 'failed', reason: `${this.runner.name} wrote no report${text === undefined ? '' : ' it could read'} (exit ${r.code}): ${lastLines(r.output)}` };
      return { kind: 'report', report: files ? onlyFiles(report, files) : report, ms };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }

  async dispose(): Promise<void> {}

  private args(dir: string, selection: Selection, files: string[], reportFile: string, scratch: string): string[] {
    const bin = this.runner.bin ?? '';
    switch (this.runner.name) {
      case 'vitest': {
        const which = 'related' in selection ? ['related', ...selection.related, '--run'] : ['run', ...selection.files];
        return [bin, ...which, '--reporter=json', `--outputFile=${reportFile}`, '--passWithNoTests', '--watch=false', '--coverage.enabled=false'];
      }
      case 'jest': {
        const which = 'related' in selection ? ['--findRelatedTests', ...selection.related] : ['--runTestsByPath', ...selection.files];
        return [bin, '--ci', '--json', `--outputFile=${reportFile}`, '--passWithNoTests', '--watchman=false', '--coverage=false', `--cacheDirectory=${path.join(scratch, 'jest-cache')}`, ...which];
      }
      case 'mocha': {
        // mocha adds its configured spec to the files named: the other test files are left out by name.
        const others = findTestFiles(dir).filter((f) => !files.includes(f));
        return [bin, '--reporter', 'json', '--reporter-option', `output=${reportFile}`, ...others.flatMap((f) => ['--ignore', path.relative(dir, f)]), ...files];
      }
      case 'node':
        return [...(this.runner.nodeFlags ?? []), '--test', '--test-reporter=tap', `--test-reporter-destination=${reportFile}`, ...files];
      case 'pytest':
        // xunit1: each case names its file. No cache folder, no plugins' own report files: only ours is read.
        return ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-o', 'junit_family=xunit1', `--junitxml=${reportFile}`, `--rootdir=${dir}`, ...files];
    }
  }

  private parse(text: string, files: string[], dir: string): TestReport | undefined {
    if (this.runner.name === 'pytest') return parseJunitXml(text, dir, files);
    if (this.runner.name === 'mocha') return parseMochaJson(text, files);
    if (this.runner.name === 'node') return parseNodeTap(text, files);
    return parseJestJson(text);
  }
}

/** The end of a runner's output, for saying why it failed: colours out, a few lines. */
export function lastLines(output: string, count = 6): string {
  const lines = stripVTControlCharacters(output)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.slice(-count).join(' | ') || 'no output';
}
