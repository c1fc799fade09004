/**
 * The wrong-answer corpus (test/harness/wrongAnswers.ts) through the check the engine composes —
 * silencing, the workspace's own TypeScript, the project's own vitest or jest tests — on copies of
 * the tested fixtures: no wrong answer comes out tested or type-checked, each right one comes out
 * tested, and each class comes out as what it is.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { countsAsChecked, evidenceOf } from '../../../../src/shared/evidence';
import { CORPUS, CorpusChecks, type CorpusAnswer } from '../../../harness/wrongAnswers';

const EXPECTED: Record<CorpusAnswer['class'], RegExp> = {
  right: /^tested$/,
  silences: /^silences the error$/,
  // What only a test can catch, and the edit that leaves the problem where it was.
  loosens: /^check failed$/,
  // The tests fail exactly as they did before: no evidence for the change — type-checked (the type
  // error is gone, which is true), never tested, never counted where the project has tests.
  'keeps the bug': /^type-checked$/,
  'edits the tests': /^silences the error$/,
  // Tests the change itself rewrote are no evidence for it: type-checked at most, never counted.
  'rewrites the expectations': /^type-checked$/,
  deletes: /^check failed$/,
  'changes behaviour': /^check failed$/,
  'edits elsewhere': /^check failed$/,
};

describe('the wrong-answer corpus: what a cheap model answers is never shown as checked', () => {
  const corpus = new CorpusChecks();
  after(() => corpus.dispose());

  it('has at least 20 wrong answers over every class, on both runners', () => {
    const wrong = CORPUS.filter((a) => a.class !== 'right');
    assert.ok(wrong.length >= 20, `${wrong.length} wrong answers`);
    for (const cls of ['silences', 'loosens', 'keeps the bug', 'edits the tests', 'rewrites the expectations', 'deletes', 'changes behaviour', 'edits elsewhere'] as const)
      assert.ok(
        wrong.some((a) => a.class === cls),
        cls,
      );
    assert.deepEqual([...new Set(CORPUS.map((a) => a.fixture))].sort(), ['tested-jest', 'tested-vitest']);
  });

  for (const answer of CORPUS) {
    it(`${answer.fixture}: ${answer.name} (${answer.class})`, async () => {
      const check = await corpus.check(answer);
      assert.match(evidenceOf(check), EXPECTED[answer.class], JSON.stringify(check));
      if (answer.class !== 'right') assert.ok(!countsAsChecked(check) && check.level !== 'tested', JSON.stringify(check));
      if (answer.class === 'keeps the bug') assert.match(check.untested ?? '', /still fails?/);
      if (answer.class === 'rewrites the expectations') assert.equal(check.untested, 'the change edits the tests that check it');
    });
  }
});
