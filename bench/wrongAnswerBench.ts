/**
 * The wrong-answer corpus (test/harness/wrongAnswers.ts) through the check the engine composes, on
 * the tested fixtures (real vitest and jest): how many wrong answers come out as checked (tested or
 * type-checked; target 0) and how many right ones come out tested (target: all).
 */
import { countsAsChecked } from '../src/shared/evidence';
import { CORPUS, CorpusChecks } from '../test/harness/wrongAnswers';
import type { Measured } from './providerBench';

export async function wrongAnswerRows(): Promise<Measured[]> {
  const corpus = new CorpusChecks();
  let wrongShown = 0;
  let rightTested = 0;
  let wrongTypeChecked = 0;
  try {
    for (const answer of CORPUS) {
      const check = await corpus.check(answer);
      if (answer.class === 'right') rightTested += check.status === 'passed' && check.level === 'tested' ? 1 : 0;
      else {
        wrongShown += countsAsChecked(check) || check.level === 'tested' ? 1 : 0;
        wrongTypeChecked += check.status === 'passed' ? 1 : 0;
      }
    }
  } finally {
    await corpus.dispose();
  }
  const wrong = CORPUS.filter((a) => a.class !== 'right').length;
  const right = CORPUS.length - wrong;
  return [
    { metric: `wrong-answer corpus: wrong answers shown as tested or counted as checked (of ${wrong}, vitest + jest)`, measured: wrongShown, unit: 'answers', target: 0, kind: 'max' },
    { metric: '  of them labelled type-checked (the type error is gone; "not tested: N tests still fail")', measured: wrongTypeChecked, unit: 'answers', target: Infinity, kind: 'max' },
    { metric: `wrong-answer corpus: right answers shown as tested (of ${right})`, measured: rightTested, unit: 'answers', target: right, kind: 'min' },
  ];
}
