/** The extension-host side of the integration suite: runs every *.test.js here with mocha. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  // NIGHTSHIFT_TEST_GREP runs only the tests whose titles match (for a quick look at one of them).
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec', ...(process.env.NIGHTSHIFT_TEST_GREP ? { grep: process.env.NIGHTSHIFT_TEST_GREP } : {}) });
  for (const file of fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  // NIGHTSHIFT_TEST_REVERSE runs each suite's tests last to first: a test that leans on what an earlier one left fails.
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
