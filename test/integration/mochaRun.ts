/**
 * Runs test files in the extension host with mocha: NIGHTSHIFT_TEST_GREP runs only the tests whose
 * titles match (a quick look at one of them); NIGHTSHIFT_TEST_REVERSE runs each suite's tests last
 * to first, so a test that leans on what an earlier one left fails. Every window's entry uses it.
 */
import Mocha from 'mocha';

export async function runMocha(files: readonly string[], timeoutMs: number): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: timeoutMs, reporter: 'spec', ...(process.env.NIGHTSHIFT_TEST_GREP ? { grep: process.env.NIGHTSHIFT_TEST_GREP } : {}) });
  for (const file of files) mocha.addFile(file);
  if (process.env.NIGHTSHIFT_TEST_REVERSE) {
    await mocha.loadFilesAsync();
    const reverse = (suite: Mocha.Suite): void => {
      suite.tests.reverse();
      suite.suites.reverse();
      suite.suites.forEach(reverse);
    };
    reverse(mocha.suite);
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} integration test(s) failed.`);
}
