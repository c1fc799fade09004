import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countsAsChecked, evidenceKey, evidenceLine, evidenceOf, splitChecked } from '../../../src/shared/evidence';
import type { CheckResult } from '../../../src/shared/types';

const STATUSES: ReadonlyArray<CheckResult['status']> = ['passed', 'failed', 'unchecked', 'silences'];
const LEVELS: ReadonlyArray<CheckResult['level']> = ['tested', 'type-checked', undefined];
const FLAGS: ReadonlyArray<boolean | undefined> = [true, false, undefined];

function check(status: CheckResult['status'], level: CheckResult['level'], testsAvailable: boolean | undefined, testsRequired: boolean | undefined): CheckResult {
  return {
    status,
    detail: 'd',
    ...(level ? { level } : {}),
    ...(testsAvailable === undefined ? {} : { testsAvailable }),
    ...(testsRequired === undefined ? {} : { testsRequired }),
  };
}

/**
 * What counts as checked for a passed check, written out by hand (not computed the way the code
 * computes it): level (absent: type-checked), testsAvailable, testsRequired (absent: false) →
 * [typeCheckedCounts off, on].
 */
const PASSED: ReadonlyArray<[CheckResult['level'], boolean | undefined, boolean | undefined, [boolean, boolean]]> = [
  // Tested counts everywhere, the policy's requirement met.
  ['tested', true, true, [true, true]],
  ['tested', true, false, [true, true]],
  ['tested', true, undefined, [true, true]],
  ['tested', false, true, [true, true]],
  ['tested', false, false, [true, true]],
  ['tested', false, undefined, [true, true]],
  ['tested', undefined, true, [true, true]],
  ['tested', undefined, false, [true, true]],
  ['tested', undefined, undefined, [true, true]],
  // Type-checked: never when the policy requires tests, whatever the user widened.
  ['type-checked', true, true, [false, false]],
  ['type-checked', false, true, [false, false]],
  ['type-checked', undefined, true, [false, false]],
  // Where the workspace has tests, only when the user widened it.
  ['type-checked', true, false, [false, true]],
  ['type-checked', true, undefined, [false, true]],
  // Where there are no tests to run (or none known: an older proposal), it is the best proof there is.
  ['type-checked', false, false, [true, true]],
  ['type-checked', false, undefined, [true, true]],
  ['type-checked', undefined, false, [true, true]],
  ['type-checked', undefined, undefined, [true, true]],
  // No level (a proposal from before levels): read as type-checked, row for row.
  [undefined, true, true, [false, false]],
  [undefined, false, true, [false, false]],
  [undefined, undefined, true, [false, false]],
  [undefined, true, false, [false, true]],
  [undefined, true, undefined, [false, true]],
  [undefined, false, false, [true, true]],
  [undefined, false, undefined, [true, true]],
  [undefined, undefined, false, [true, true]],
  [undefined, undefined, undefined, [true, true]],
];

describe('countsAsChecked', () => {
  it('has a row for every level × testsAvailable × testsRequired of a passed check', () => {
    const keys = new Set(PASSED.map(([l, a, r]) => `${l}/${a}/${r}`));
    assert.equal(keys.size, PASSED.length, 'no row twice');
    assert.equal(PASSED.length, LEVELS.length * FLAGS.length * FLAGS.length);
  });

  for (const [level, available, required, [off, on]] of PASSED) {
    it(`passed, level ${level ?? '(none)'}, tests available ${available ?? '(unknown)'}, required ${required ?? '(unsaid)'}: ${off}, widened ${on}`, () => {
      const c = check('passed', level, available, required);
      assert.equal(countsAsChecked(c, false), off);
      assert.equal(countsAsChecked(c, true), on);
      assert.equal(countsAsChecked(c), off, 'the setting is off unless given');
    });
  }

  it('never counts a check that did not pass, whatever it claims beside (a silencing that says "tested", a failure in a workspace without tests)', () => {
    for (const status of STATUSES.filter((s) => s !== 'passed')) {
      for (const level of LEVELS) {
        for (const available of FLAGS) {
          for (const required of FLAGS) {
            for (const widened of [false, true]) {
              assert.equal(countsAsChecked(check(status, level, available, required), widened), false, `${status} ${level} ${available} ${required} ${widened}`);
            }
          }
        }
      }
    }
  });

  it('never counts a proposal with no check', () => {
    assert.equal(countsAsChecked(undefined, false), false);
    assert.equal(countsAsChecked(undefined, true), false);
  });
});

describe('evidenceOf and evidenceKey', () => {
  it('names every outcome with one word for people and one for machines', () => {
    const cases: Array<[CheckResult | undefined, string, string]> = [
      [check('passed', 'tested', true, undefined), 'tested', 'tested'],
      [check('passed', 'type-checked', true, undefined), 'type-checked', 'type-checked'],
      [check('silences', undefined, undefined, undefined), 'silences the error', 'silences'],
      [check('failed', undefined, undefined, undefined), 'check failed', 'failed'],
      [check('unchecked', undefined, undefined, undefined), 'not checked', 'unchecked'],
      [undefined, 'not checked', 'unchecked'],
    ];
    for (const [c, word, key] of cases) {
      assert.equal(evidenceOf(c), word);
      assert.equal(evidenceKey(c), key);
    }
  });

  it("reads an older proposal's { status: 'passed' } without a level as type-checked, never as tested", () => {
    const old: CheckResult = { status: 'passed', detail: 'Checked with TypeScript 5.9.3: the problem is gone.' };
    assert.equal(evidenceOf(old), 'type-checked');
    assert.equal(evidenceKey(old), 'type-checked');
    assert.equal(countsAsChecked(old), true, 'no tests known: as before, it counts');
  });

  it('calls a silencing "silences the error" even when it claims a level', () => {
    assert.equal(evidenceOf(check('silences', 'tested', true, undefined)), 'silences the error');
    assert.equal(evidenceOf(check('failed', 'tested', true, undefined)), 'check failed');
  });
});

describe('evidenceLine', () => {
  it('says the word, the detail, and why a type-checked one was not tested', () => {
    assert.equal(evidenceLine(undefined), 'not checked: no check ran');
    assert.equal(evidenceLine({ status: 'passed', level: 'tested', detail: '3 tests passed.' }), 'tested — 3 tests passed.');
    assert.equal(evidenceLine({ status: 'passed', level: 'type-checked', detail: 'Checked with TypeScript.', untested: 'no test reaches this change' }), 'type-checked — Checked with TypeScript. Not tested: no test reaches this change.');
    assert.equal(evidenceLine({ status: 'silences', detail: 'It adds a @ts-ignore.', untested: 'x' }), 'silences the error — It adds a @ts-ignore.');
  });
});

describe('splitChecked', () => {
  const p = (id: string, c: CheckResult | undefined) => ({ id, check: c });
  const list = [
    p('tested', check('passed', 'tested', true, undefined)),
    p('typed, tests here', check('passed', 'type-checked', true, undefined)),
    p('typed, no tests', check('passed', 'type-checked', false, undefined)),
    p('typed, tests required', check('passed', 'type-checked', true, true)),
    p('silences', check('silences', undefined, true, undefined)),
    p('none', undefined),
  ];
  const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);

  it('takes what counts as checked, and names the type-checked ones it leaves out', () => {
    const off = splitChecked(list, false);
    assert.deepEqual(ids(off.checked), ['tested', 'typed, no tests']);
    assert.deepEqual(ids(off.typeCheckedLeftOut), ['typed, tests here', 'typed, tests required']);
  });

  it('widened, still leaves out what the policy requires tests for, and never takes a silencing', () => {
    const on = splitChecked(list, true);
    assert.deepEqual(ids(on.checked), ['tested', 'typed, tests here', 'typed, no tests']);
    assert.deepEqual(ids(on.typeCheckedLeftOut), ['typed, tests required']);
  });
});
