/**
 * The words of a tested check: the CheckResult for each way a run of the project's tests can end.
 * `passed` (level 'tested') only when tests ran, none failed that did not already fail without the
 * change, and at least one passed; a run that ran nothing, timed out or gave no report is
 * `unchecked` saying why — never passed.
 */
import * as path from 'node:path';
import type { CheckResult } from '../../../shared/types';
import type { RunnerName } from './detectRunner';
import { failureMessage } from './failureText';
import type { TestCase } from './testReport';

/** How a runner is named to people. */
export function runnerLabel(name: RunnerName): string {
  return name === 'node' ? 'node --test' : name;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "a.test.ts", "a.test.ts and b.test.ts", "a.test.ts, b.test.ts and c.test.ts", "a.test.ts, b.test.ts and 3 more files". */
export function fileList(files: readonly string[]): string {
  const names = [...new Set(files.map((f) => path.basename(f)))];
  if (names.length <= 1) return names[0] ?? 'no file';
  if (names.length <= 3) return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} more files`;
}

export const NO_RUNNER: CheckResult = {
  status: 'unchecked',
  detail: 'No test runner found (vitest, jest, mocha, node --test, pytest).',
  untested: 'the workspace has no test runner Nightshift knows',
  testsAvailable: false,
};

export const TESTS_OFF: CheckResult = { status: 'unchecked', detail: 'Tests are off (nightshift.tests).', untested: 'tests are off (nightshift.tests)', testsAvailable: false };

/** The tests could not run at all: blocked, the runner not installed, no shadow to run them in. */
export function didNotRun(reason: string, testsAvailable: boolean): CheckResult {
  return { status: 'unchecked', detail: `The tests did not run: ${reason}.`, untested: reason, testsAvailable };
}

export function noTestReaches(runner: RunnerName, changed: readonly string[]): CheckResult {
  return { status: 'unchecked', detail: `No ${runnerLabel(runner)} test reaches the changed ${changed.length === 1 ? 'file' : 'files'} (${fileList(changed)}).`, untested: 'no test reaches this change', testsAvailable: true };
}

export function nothingChanged(): CheckResult {
  return { status: 'unchecked', detail: 'The proposal changes no file: there is nothing for the tests to check.', untested: 'no test reaches this change', testsAvailable: true };
}

export function nothingRan(runner: RunnerName, files: readonly string[]): CheckResult {
  return { status: 'unchecked', detail: `The tests that reach this change ran no test (${fileList(files)}: all skipped or empty, ${runnerLabel(runner)}).`, untested: 'no test ran', testsAvailable: true };
}

export function timedOut(runner: RunnerName, timeoutMs: number): CheckResult {
  const s = Math.round(timeoutMs / 1000);
  return { status: 'unchecked', detail: `The tests that reach this change did not finish in ${s} s (${runnerLabel(runner)}).`, untested: `the tests took longer than ${s} s`, testsAvailable: true };
}

export function runnerFailed(runner: RunnerName, reason: string): CheckResult {
  return { status: 'unchecked', detail: `${runnerLabel(runner)} did not report on the tests: ${reason}`, untested: `the test runner gave no report (${runnerLabel(runner)})`, testsAvailable: true };
}

export function passed(runner: RunnerName, passedCount: number, files: readonly string[], ms: number): CheckResult {
  const verb = passedCount === 1 ? 'passes' : 'pass';
  return { status: 'passed', level: 'tested', detail: `${plural(passedCount, 'test')} in ${fileList(files)} ${verb} (${(ms / 1000).toFixed(1)} s, ${runnerLabel(runner)}).`, testsAvailable: true };
}

/**
 * Tests that reach the change fail with it exactly as they did without it: not a failure of the
 * change, never a pass. On a fix task the base holds the bug: an answer that only makes the type
 * error go away leaves the same tests failing, and must not be called tested.
 */
export function stillFailing(runner: RunnerName, failing: number, passing: number): CheckResult {
  const they = failing === 1 ? 'it did' : 'they did';
  const reach = failing === 1 ? 'reaches' : 'reach';
  return {
    status: 'unchecked',
    detail: `${plural(failing, 'test')} that ${reach} this change still ${failing === 1 ? 'fails' : 'fail'} with it, as ${they} without it (${plural(passing, 'other test')} ${passing === 1 ? 'passes' : 'pass'}; ${runnerLabel(runner)}).`,
    untested: `${plural(failing, 'test')} that ${reach} this change still ${failing === 1 ? 'fails' : 'fail'}`,
    testsAvailable: true,
  };
}

/** The tests passed, but the change edits some of them: no evidence for it. */
export function editsTheTests(run: CheckResult, files: readonly string[]): CheckResult {
  return { status: 'unchecked', detail: `${run.detail} The change edits the tests themselves (${fileList(files)}), so their passing proves nothing about it.`, untested: 'the change edits the tests that check it', testsAvailable: true };
}

/** At most this many failing tests are described; the rest are counted. */
const MAX_DESCRIBED = 5;

export function failed(runner: RunnerName, failures: readonly string[][]): CheckResult {
  const errors = failures.slice(0, MAX_DESCRIBED).map((lines) => lines.join('\n'));
  if (failures.length > MAX_DESCRIBED) errors.push(`… and ${plural(failures.length - MAX_DESCRIBED, 'more failing test')}.`);
  return { status: 'failed', detail: `${plural(failures.length, 'test')} ${failures.length === 1 ? 'fails' : 'fail'} with this change (${runnerLabel(runner)}).`, errors, testsAvailable: true };
}

/**
 * How a failure is matched between the run with the change and the run without it: the same test
 * failing the same way. A test the change makes fail differently (a TypeError before, a wrong
 * value after) is a new failure: the change is what it now fails on.
 */
export function failureKey(test: TestCase, dir: string): string {
  return `${test.file ? path.relative(dir, test.file) : ''}\0${test.name}\0${failureMessage(test, dir)}`;
}
