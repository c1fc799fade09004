/** The import graph that stands in for mocha's and node --test's missing related mode. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { findTestFiles, isTestFile, testsReaching } from '../../../../../src/core/verify/tests/importGraph';

function project(files: Record<string, string>): (relative: string) => string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-graph-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return (relative) => path.join(root, relative);
}

describe('importGraph: the tests that reach a change', () => {
  const at = project({
    'src/a.ts': "import { b } from './b.js';\nexport const a = b + 1;\n",
    'src/b.ts': "export { c as b } from './util';\n",
    'src/util/index.ts': 'export const c = 1;\n',
    'src/lonely.ts': 'export const lonely = 1;\n',
    'src/cycle1.js': "const c2 = require('./cycle2');\nmodule.exports = 1;\n",
    'src/cycle2.js': "const c1 = require('./cycle1');\nconst b = require('./b');\n",
    'test/a.test.ts': "import { a } from '../src/a';\nimport assert from 'node:assert';\n",
    'test/cycle.spec.js': "require('../src/cycle1.js');\n",
    'test/dynamic.test.mjs': "await import('../src/lonely.js');\n",
    'test/helpers.ts': 'export const nothing = 1;\n',
    'lib/helper.js': "require('../src/b');\n",
    'node_modules/pkg/x.test.js': '',
  });
  const tests = findTestFiles(path.dirname(path.dirname(at('src/a.ts'))));

  it('finds test files by name and folder, not installed ones', () => {
    assert.deepEqual(
      tests.map((t) => path.relative(path.dirname(at('x')), t)),
      ['test/a.test.ts', 'test/cycle.spec.js', 'test/dynamic.test.mjs', 'test/helpers.ts'],
    );
    assert.equal(isTestFile('src/parse.spec.ts'), true);
    assert.equal(isTestFile('src/parse.ts'), false);
    assert.equal(isTestFile('__tests__/parse.js'), true);
    assert.equal(isTestFile('test/data.json'), false);
  });

  it('follows relative imports transitively: `.js` naming `.ts`, index files, re-exports, require and import()', () => {
    assert.deepEqual(
      testsReaching(tests, [at('src/util/index.ts')]).map((t) => path.basename(t)),
      ['a.test.ts', 'cycle.spec.js'],
    );
    assert.deepEqual(
      testsReaching(tests, [at('src/lonely.ts')]).map((t) => path.basename(t)),
      ['dynamic.test.mjs'],
    );
  });

  it('finds no test for a file no test imports, and stops at cycles', () => {
    const unreached = project({ 'src/x.ts': "import './y';\n", 'src/y.ts': "import './x';\n", 'test/z.test.ts': "import '../src/x';\n" });
    assert.deepEqual(testsReaching([unreached('test/z.test.ts')], [unreached('src/other.ts')]), []);
    assert.deepEqual(testsReaching([unreached('test/z.test.ts')], [unreached('src/y.ts')]), [unreached('test/z.test.ts')]);
  });

  it('counts a changed test file as reaching itself', () => {
    assert.deepEqual(testsReaching(tests, [at('test/helpers.ts')]), [at('test/helpers.ts')]);
  });
});
