/**
 * What a test run reported, read from the runner's machine-readable report (never its exit code
 * or its console): vitest's and jest's JSON (the same shape) and mocha's JSON. node --test's TAP is
 * read in tapReport.ts. A report that is not what it should be is no report at all (undefined):
 * the caller must never take a report it cannot read as "nothing failed".
 */

export interface TestCase {
  /** Absolute path of the test file. */
  file: string;
  /** The test's full name: its suites and its title, joined by " > ". */
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  /** For a failed test: the runner's message and stack, as it gave them. */
  failure?: string;
  /** The whole file failed before or around its tests (it could not load, a hook threw): not a test, but a failure all the same. */
  wholeFile?: boolean;
}

export interface TestReport {
  /** The test files that ran (absolute paths). */
  files: string[];
  tests: TestCase[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** vitest `--reporter=json` and jest `--json`: `testResults[]` of files, each with `assertionResults[]`. */
export function parseJestJson(text: string): TestReport | undefined {
  const json = parse(text);
  if (!json || !Array.isArray(json.testResults)) return undefined;
  const report: TestReport = { files: [], tests: [] };
  for (const file of json.testResults) {
    if (!isObject(file) || typeof file.name !== 'string') return undefined;
    report.files.push(file.name);
    const assertions = Array.isArray(file.assertionResults) ? file.assertionResults.filter(isObject) : [];
    for (const a of assertions) {
      const title = typeof a.title === 'string' ? a.title : String(a.fullName ?? '');
      const status = a.status === 'passed' ? 'passed' : a.status === 'failed' ? 'failed' : 'skipped';
      const failure = strings(a.failureMessages).join('\n');
      report.tests.push({ file: file.name, name: [...strings(a.ancestorTitles), title].join(' > '), status, ...(status === 'failed' ? { failure } : {}) });
    }
    // A file that failed with no failing test in it: it did not load, or a hook outside the tests threw.
    const failedTests = report.tests.some((t) => t.file === file.name && t.status === 'failed');
    if (file.status === 'failed' && !failedTests) {
      report.tests.push({ file: file.name, name: '(the file)', status: 'failed', failure: typeof file.message === 'string' ? file.message : 'The test file failed.', wholeFile: true });
    }
  }
  return report;
}

/** mocha `--reporter json`: `passes`, `failures` and `pending`, each test with `file` and `fullTitle`. */
export function parseMochaJson(text: string, ranFiles: readonly string[]): TestReport | undefined {
  const json = parse(text);
  if (!json || !isObject(json.stats) || !Array.isArray(json.passes) || !Array.isArray(json.failures)) return undefined;
  const report: TestReport = { files: [...ranFiles], tests: [] };
  const add = (list: unknown, status: TestCase['status']) => {
    for (const t of Array.isArray(list) ? list.filter(isObject) : []) {
      const file = typeof t.file === 'string' ? t.file : '';
      const err = isObject(t.err) ? t.err : {};
      const failure = typeof err.stack === 'string' ? err.stack : typeof err.message === 'string' ? err.message : '';
      // A hook's failure ('"before all" hook for "x"') stands for the tests it kept from running.
      const hook = /^"(before|after) (all|each)" hook/.test(String(t.title ?? ''));
      report.tests.push({ file, name: String(t.fullTitle ?? t.title ?? ''), status, ...(status === 'failed' ? { failure } : {}), ...(hook ? { wholeFile: true } : {}) });
      if (file && !report.files.includes(file)) report.files.push(file);
    }
  };
  add(json.passes, 'passed');
  add(json.failures, 'failed');
  add(json.pending, 'skipped');
  return report;
}

function parse(text: string): Json | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The counts a verdict is made of. */
export function tally(report: TestReport): { passed: number; failed: TestCase[]; ran: number } {
  const ran = report.tests.filter((t) => t.status !== 'skipped' && !t.wholeFile);
  return { passed: ran.filter((t) => t.status === 'passed').length, failed: report.tests.filter((t) => t.status === 'failed'), ran: ran.length };
}

/** Only the tests of these files (a runner may run more than it was asked to, e.g. mocha's configured spec). */
export function onlyFiles(report: TestReport, files: readonly string[]): TestReport {
  const keep = new Set(files);
  return { files: report.files.filter((f) => keep.has(f)), tests: report.tests.filter((t) => keep.has(t.file) || (!t.file && t.wholeFile)) };
}
