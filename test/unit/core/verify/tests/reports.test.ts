/**
 * Reading the runners' machine-readable reports (vitest's and jest's JSON, mocha's JSON, node's
 * TAP) and describing a failure for the model: what must not be read as a pass (an unreadable
 * report, a report of no tests) and what must not reach the model (colour codes, the runner's own
 * frames, the shadow's temporary paths).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { describeFailure, failureMessage } from '../../../../../src/core/verify/tests/failureText';
import { parseNodeTap } from '../../../../../src/core/verify/tests/tapReport';
import { parseJestJson, parseMochaJson, tally } from '../../../../../src/core/verify/tests/testReport';

const JEST_FAILURE = 'Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: 2\nReceived: 1\n    at Object.<anonymous> (ROOT/test/a.test.ts:3:22)\n    at Promise.finally.completed (/work/node_modules/jest-circus/build/jestAdapterInit.js:1834:28)';

/** A jest report: one file with a passing and a failing test, one that did not load, one skipped test. */
const JEST = JSON.stringify({
  numTotalTests: 3,
  testResults: [
    {
      name: 'ROOT/test/a.test.ts',
      status: 'failed',
      message: '',
      assertionResults: [
        { ancestorTitles: ['add'], fullName: 'add adds', status: 'passed', title: 'adds', failureMessages: [] },
        { ancestorTitles: ['add'], fullName: 'add adds neg', status: 'failed', title: 'adds neg', failureMessages: [JEST_FAILURE] },
        { ancestorTitles: [], fullName: 'later', status: 'pending', title: 'later', failureMessages: [] },
      ],
    },
    { name: 'ROOT/test/b.test.ts', status: 'failed', message: 'Test suite failed to run: SyntaxError', assertionResults: [] },
  ],
});

const TAP = [
  'TAP version 13',
  '# ROOT/test/broken.test.js:1',
  '# syntax error here(',
  '#        ^^^^^',
  "# SyntaxError: Unexpected identifier 'error'",
  '# Node.js v20.20.2',
  '# Subtest: ROOT/test/broken.test.js',
  'not ok 1 - ROOT/test/broken.test.js',
  '  ---',
  '  duration_ms: 161.176867',
  "  location: 'ROOT/test/broken.test.js:1:1'",
  "  failureType: 'testCodeFailure'",
  '  exitCode: 1',
  '  signal: ~',
  "  error: 'test failed'",
  "  code: 'ERR_TEST_FAILURE'",
  '  ...',
  '# Subtest: top passes',
  'ok 2 - top passes',
  '  ---',
  '  duration_ms: 1.882054',
  '  ...',
  '# Subtest: top skipped',
  'ok 3 - top skipped # SKIP',
  '  ---',
  '  duration_ms: 0.434327',
  '  ...',
  '# Subtest: parent',
  '    # Subtest: child fails',
  '    not ok 1 - child fails',
  '      ---',
  '      duration_ms: 0.537553',
  "      location: 'ROOT/test/m.test.js:4:39'",
  "      failureType: 'testCodeFailure'",
  "      error: 'boom #1'",
  "      code: 'ERR_TEST_FAILURE'",
  '      stack: |-',
  '        TestContext.<anonymous> (ROOT/test/m.test.js:4:73)',
  '        Test.runInAsyncScope (node:async_hooks:206:9)',
  '        Test.run (node:internal/test_runner/test:796:25)',
  '        Test.start (node:internal/test_runner/test:702:17)',
  '        TestContext.test (node:internal/test_runner/test:292:20)',
  '        TestContext.<anonymous> (ROOT/test/m.test.js:4:39)',
  '        Test.runInAsyncScope (node:async_hooks:206:9)',
  '        Test.run (node:internal/test_runner/test:796:25)',
  '        Test.processPendingSubtests (node:internal/test_runner/test:526:18)',
  '        Test.postRun (node:internal/test_runner/test:889:19)',
  '      ...',
  '    1..1',
  'not ok 4 - parent',
  '  ---',
  '  duration_ms: 1.278765',
  "  location: 'ROOT/test/m.test.js:4:1'",
  "  failureType: 'subtestsFailed'",
  "  error: '1 subtest failed'",
  "  code: 'ERR_TEST_FAILURE'",
  '  ...',
  '# Subtest: suite',
  '    # Subtest: adds',
  '    ok 1 - adds',
  '      ---',
  '      duration_ms: 1.098913',
  '      ...',
  '    # Subtest: adds neg',
  '    not ok 2 - adds neg',
  '      ---',
  '      duration_ms: 1.57573',
  "      location: 'ROOT/test/n.test.js:4:86'",
  "      failureType: 'testCodeFailure'",
  '      error: |-',
  '        Expected values to be strictly equal:',
  '        ',
  '        1 !== 2',
  '        ',
  "      code: 'ERR_ASSERTION'",
  "      name: 'AssertionError'",
  '      expected: 2',
  '      actual: 1',
  "      operator: 'strictEqual'",
  '      stack: |-',
  '        TestContext.<anonymous> (ROOT/test/n.test.js:4:118)',
  '        Test.runInAsyncScope (node:async_hooks:206:9)',
  '        Test.run (node:internal/test_runner/test:796:25)',
  '        Suite.processPendingSubtests (node:internal/test_runner/test:526:18)',
  '        Test.postRun (node:internal/test_runner/test:889:19)',
  '        Test.run (node:internal/test_runner/test:835:12)',
  '        async Promise.all (index 0)',
  '        async Suite.run (node:internal/test_runner/test:1135:7)',
  '        async Test.processPendingSubtests (node:internal/test_runner/test:526:7)',
  '      ...',
  '    1..2',
  'not ok 5 - suite',
  '  ---',
  '  duration_ms: 4.39065',
  "  type: 'suite'",
  "  location: 'ROOT/test/n.test.js:4:1'",
  "  failureType: 'subtestsFailed'",
  "  error: '1 subtest failed'",
  "  code: 'ERR_TEST_FAILURE'",
  '  ...',
  '1..5',
  '# tests 7',
  '# suites 1',
  '# pass 2',
  '# fail 4',
  '# cancelled 0',
  '# skipped 1',
  '# todo 0',
  '# duration_ms 507.802471',
].join('\n');

describe('reports: what the runners said', () => {
  it('reads jest and vitest JSON: tests with their suites, a file that did not load, skipped tests', () => {
    const r = parseJestJson(JEST)!;
    assert.deepEqual(r.files, ['ROOT/test/a.test.ts', 'ROOT/test/b.test.ts']);
    assert.deepEqual(
      r.tests.map((t) => [t.name, t.status, Boolean(t.wholeFile)]),
      [
        ['add > adds', 'passed', false],
        ['add > adds neg', 'failed', false],
        ['later', 'skipped', false],
        ['(the file)', 'failed', true],
      ],
    );
    const counts = tally(r);
    assert.equal(counts.passed, 1);
    assert.equal(counts.ran, 2, 'a skipped test and a file are not tests that ran');
    assert.equal(counts.failed.length, 2);
  });

  it('reads no report from text that is not one (never an empty pass)', () => {
    for (const bad of ['', 'not json', '[]', '{"testResults": {}}', '{"numTotalTests": 0}', '{"testResults": [{"status": "passed"}]}']) assert.equal(parseJestJson(bad), undefined, bad);
    assert.equal(parseMochaJson('{"tests": []}', []), undefined);
    assert.equal(parseNodeTap('ok 1 - looks like TAP but has no version line', []), undefined);
  });

  it('reads a report of no tests as no tests ran, not as passed', () => {
    const empty = tally(parseJestJson('{"testResults": []}')!);
    assert.deepEqual([empty.passed, empty.ran, empty.failed.length], [0, 0, 0]);
  });

  it('reads mocha JSON, a failed hook standing for its tests', () => {
    const r = parseMochaJson(
      JSON.stringify({
        stats: { tests: 2 },
        passes: [{ title: 'adds', fullTitle: 'add adds', file: 'ROOT/test/a.js', err: {} }],
        failures: [
          { title: 'adds neg', fullTitle: 'add adds neg', file: 'ROOT/test/a.js', err: { message: '1 !== 2', stack: 'AssertionError: 1 !== 2\n    at Context.<anonymous> (test/a.js:3:9)' } },
          { title: '"before all" hook for "x"', fullTitle: 'db "before all" hook for "x"', file: 'ROOT/test/db.js', err: { message: 'no db' } },
        ],
        pending: [{ title: 'later', fullTitle: 'later', file: 'ROOT/test/a.js', err: {} }],
      }),
      ['ROOT/test/a.js'],
    )!;
    assert.deepEqual(r.files, ['ROOT/test/a.js', 'ROOT/test/db.js']);
    assert.deepEqual(
      r.tests.map((t) => [t.name, t.status, Boolean(t.wholeFile)]),
      [
        ['add adds', 'passed', false],
        ['add adds neg', 'failed', false],
        ['db "before all" hook for "x"', 'failed', true],
        ['later', 'skipped', false],
      ],
    );
  });

  it("reads node --test's TAP: nesting, files, a file that did not load, skips, and parents failing only through their subtests", () => {
    const files = ['ROOT/test/n.test.js', 'ROOT/test/m.test.js', 'ROOT/test/broken.test.js'];
    const r = parseNodeTap(TAP, files)!;
    assert.deepEqual(
      r.tests.map((t) => [t.file.replace('ROOT/test/', ''), t.name, t.status, Boolean(t.wholeFile)]),
      [
        ['broken.test.js', 'ROOT/test/broken.test.js', 'failed', true],
        ['', 'top passes', 'passed', false],
        ['', 'top skipped', 'skipped', false],
        ['m.test.js', 'parent > child fails', 'failed', false],
        ['n.test.js', 'suite > adds', 'passed', false],
        ['n.test.js', 'suite > adds neg', 'failed', false],
      ],
    );
    assert.match(r.tests[5].failure!, /Expected values to be strictly equal:\n\n1 !== 2/);
    assert.match(r.tests[3].failure!, /^boom #1\nTestContext/);
  });
});

describe('failureText: a failing test as the model is shown it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-failure-'));
  fs.mkdirSync(path.join(dir, 'test'));
  fs.writeFileSync(path.join(dir, 'test', 'a.test.ts'), "import { add } from '../src/a';\nit('adds neg', () => {\n  expect(add(-1, 2)).toBe(2);\n});\n");

  it("gives the file and full name, the message, the place and its lines, in the workspace's paths, without colours", () => {
    const coloured = `\x1b[31mError\x1b[39m: expect(\x1b[31mreceived\x1b[39m).toBe(\x1b[32mexpected\x1b[39m)\n\nExpected: \x1b[32m2\x1b[39m\nReceived: \x1b[31m1\x1b[39m\n    at Object.<anonymous> (${dir}/test/a.test.ts:3:22)\n    at run (/x/node_modules/jest-circus/build/run.js:1:1)`;
    const lines = describeFailure({ file: path.join(dir, 'test', 'a.test.ts'), name: 'add > adds neg', status: 'failed', failure: coloured }, dir);
    assert.deepEqual(lines, ['FAIL test/a.test.ts > add > adds neg', 'Error: expect(received).toBe(expected)', '', 'Expected: 2', 'Received: 1', 'at test/a.test.ts:3:22', "     2 | it('adds neg', () => {", '>    3 |   expect(add(-1, 2)).toBe(2);', '     4 | });']);
    assert.ok(!lines.join('\n').includes('\x1b'));
  });

  it('keeps a long message to a few lines (at most ~15 in all)', () => {
    const failure = ['AssertionError: objects differ', ...Array.from({ length: 40 }, (_, i) => `+ line ${i}`), `    at ${dir}/test/a.test.ts:3:5`].join('\n');
    const lines = describeFailure({ file: path.join(dir, 'test', 'a.test.ts'), name: 'big', status: 'failed', failure }, dir);
    assert.ok(lines.length <= 15, String(lines.length));
    assert.equal(lines[8], '…');
  });

  it('says the same for the same failure wherever the shadow was, and differs when the values differ', () => {
    const at = (root: string, received: number) => ({ file: `${root}/t.test.ts`, name: 'x', status: 'failed' as const, failure: `Error: expected 2\nReceived: ${received}\n    at ${root}/t.test.ts:1:1` });
    assert.equal(failureMessage(at('/tmp/one', 1), '/tmp/one'), failureMessage(at('/tmp/two', 1), '/tmp/two'));
    assert.notEqual(failureMessage(at('/tmp/one', 1), '/tmp/one'), failureMessage(at('/tmp/one', 3), '/tmp/one'));
  });
});
