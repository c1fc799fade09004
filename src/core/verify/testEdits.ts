/**
 * The tests are part of the check, so a change may not make them look away either: in a test file
 * it adds a skip or an `only` (`it.skip`, `describe.only`, `xit`, `test.todo`, `@pytest.mark.skip`),
 * or it takes assertions out (fewer `expect(`/`assert` calls than before). Must never flag a test
 * file the change leaves alone, nor a new test that adds assertions.
 */

/** A test file by the names the common runners look for: `*.test.*`, `*.spec.*`, `__tests__/`, `test_*.py`, `*_test.py`. */
export function isTestFile(filePath: string): boolean {
  const p = filePath.replace(/\\/g, '/');
  return /\.(?:test|spec)\.[cm]?[jt]sx?$/i.test(p) || /(?:^|\/)__tests__\//.test(p) || /(?:^|\/)test_[^/]*\.py$|_test\.py$/i.test(p);
}

/**
 * A file on the tests' side, by its path relative to the workspace: a test file, or anything in a
 * tests, specs, mocks or fixtures folder (the data and helpers assertions compare against).
 */
export function isTestSide(relativePath: string): boolean {
  const p = relativePath.replace(/\\/g, '/');
  return isTestFile(p) || /(?:^|\/)(?:tests?|specs?|__tests__|__mocks__|__fixtures__|fixtures)\//i.test(p);
}

const SKIPS = /\b(?:(?:it|test|describe|suite|context)\.(?:skip|only|todo|skipIf|runIf)|x(?:it|test|describe)|f(?:it|describe))\s*[(.]|\bpytest\.mark\.(?:skip|skipif|xfail)\b|\bpytest\.skip\s*\(|\bunittest\.skip(?:If|Unless)?\b|\.skipTest\s*\(/g;
const ASSERTIONS = /\bexpect\s*\(|\bassert(?:\.\w+)?\s*\(|^\s*assert\s/gm;

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/** A reason when the edit to a test file skips tests or takes assertions out, else undefined. */
export function testEditIn(filePath: string, before: string, after: string): string | undefined {
  if (!isTestFile(filePath) || before === after) return undefined;
  const name = filePath.split(/[\\/]/).pop() ?? filePath;
  if (count(after, SKIPS) > count(before, SKIPS)) return `skips or narrows tests in ${name}: the tests are part of the check; fix the cause`;
  if (count(after, ASSERTIONS) < count(before, ASSERTIONS)) return `takes assertions out of ${name}: the tests are part of the check; fix the cause`;
  return undefined;
}
