/**
 * The wrong-answer corpus (test/harness/wrongAnswers.ts) through the check the engine composes —
 * silencing, the workspace's own TypeScript, the project's own vitest or jest tests — on copies of
 * the tested fixtures: no wrong answer comes out tested or type-checked, each right one comes out
 * tested, and each class comes out as what it is.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { TsDiagnostics } from '../../../../src/core/signals/tsDiagnostics';
import { silencingCheck } from '../../../../src/core/verify/silencingCheck';
import { TestVerifier } from '../../../../src/core/verify/tests/TestVerifier';
import { TypeScriptVerifier } from '../../../../src/core/verify/TypeScriptVerifier';
import { weakestOf, type Verifier, type VerifyRequest } from '../../../../src/core/verify/Verifier';
import { evidenceOf } from '../../../../src/shared/evidence';
import { testedProject, type TestedProject } from '../../../harness/testedFixture';
import { CORPUS, TARGET_FILE, type CorpusAnswer } from '../../../harness/wrongAnswers';

interface Fixture {
  project: TestedProject;
  verifier: Verifier;
  tests: TestVerifier;
  targets: VerifyRequest['targets'];
}

/** One copy and one warm check per fixture, as the engine keeps them. */
const fixtures = new Map<string, Fixture>();
function fixture(name: CorpusAnswer['fixture']): Fixture {
  let f = fixtures.get(name);
  if (!f) {
    const project = testedProject(name);
    const tests = new TestVerifier(project.root, () => ({ mode: 'auto', timeoutMs: 60_000 }));
    const verifier = weakestOf([silencingCheck, new TypeScriptVerifier(project.root), tests]);
    const file = project.file(TARGET_FILE[name]);
    const targets = new TsDiagnostics(project.root).all().find((d) => d.file === file)?.diagnostics ?? [];
    assert.equal(targets.length, 1, `${name} has its injected error`);
    f = { project, verifier, tests, targets };
    fixtures.set(name, f);
  }
  return f;
}

/** The check of one answer: the task's file with its problem, whichever files the answer edits. */
function requestFor(f: Fixture, answer: CorpusAnswer): VerifyRequest {
  const texts = new Map<string, { before: string; after: string }>();
  for (const e of answer.edits) {
    const was = texts.get(e.file) ?? { before: f.project.read(e.file), after: f.project.read(e.file) };
    assert.equal(was.after.split(e.search).length, 2, `"${e.search}" occurs once in ${e.file}`);
    texts.set(e.file, { before: was.before, after: was.after.replace(e.search, e.replace) });
  }
  const main = TARGET_FILE[answer.fixture];
  const own = texts.get(main) ?? { before: f.project.read(main), after: f.project.read(main) };
  return {
    filePath: f.project.file(main),
    ...own,
    targets: f.targets,
    also: [...texts].filter(([file]) => file !== main).map(([file, t]) => ({ filePath: f.project.file(file), ...t })),
  };
}

const EXPECTED: Record<CorpusAnswer['class'], RegExp> = {
  right: /^tested$/,
  silences: /^silences the error$/,
  // What only a test can catch, and the edit that leaves the problem where it was.
  loosens: /^check failed$/,
  deletes: /^check failed$/,
  'changes behaviour': /^check failed$/,
  'edits elsewhere': /^check failed$/,
};

describe('the wrong-answer corpus: what a cheap model answers is never shown as checked', () => {
  after(async () => {
    for (const f of fixtures.values()) {
      await f.tests.dispose();
      fs.rmSync(f.project.root, { recursive: true, force: true });
    }
  });

  it('has at least 20 wrong answers over every class, on both runners', () => {
    const wrong = CORPUS.filter((a) => a.class !== 'right');
    assert.ok(wrong.length >= 20, `${wrong.length} wrong answers`);
    for (const cls of ['silences', 'loosens', 'deletes', 'changes behaviour', 'edits elsewhere'] as const) assert.ok(wrong.some((a) => a.class === cls), cls);
    assert.deepEqual([...new Set(CORPUS.map((a) => a.fixture))].sort(), ['tested-jest', 'tested-vitest']);
  });

  for (const answer of CORPUS) {
    it(`${answer.fixture}: ${answer.name} (${answer.class})`, async () => {
      const f = fixture(answer.fixture);
      const check = await f.verifier.verify(requestFor(f, answer));
      assert.match(evidenceOf(check), EXPECTED[answer.class], JSON.stringify(check));
      if (answer.class !== 'right') assert.notEqual(check.status, 'passed');
    });
  }
});
