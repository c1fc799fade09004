import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toJson, toPatch, toSarif, type ScanReport } from '../../../src/cli/reportFormats';
import type { CheckResult, Proposal } from '../../../src/shared/types';

function proposal(id: string, check: CheckResult | undefined): Proposal {
  return {
    id,
    kind: 'fix',
    title: `Fix ${id}`,
    rationale: '',
    files: [{ uri: `file:///w/src/${id}.ts`, relativePath: `src/${id}.ts`, baseHash: 'h', diff: '@@ -3 +3 @@\n-a\n+b\n', replacements: [] }],
    model: 'm',
    usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1, reasoningTokens: 0 },
    costUsd: 0,
    createdAt: '2025-01-01T00:00:00Z',
    ...(check ? { check } : {}),
  };
}

const PROPOSALS = [
  proposal('tested', { status: 'passed', level: 'tested', detail: '2 tests passed.', testsAvailable: true }),
  proposal('typed', { status: 'passed', level: 'type-checked', detail: 'Checked with TypeScript.', untested: 'no test reaches this change', testsAvailable: true }),
  proposal('silences', { status: 'silences', detail: 'It adds a @ts-ignore instead of fixing the error.' }),
  proposal('none', undefined),
];

function report(typeCheckedCounts?: boolean): ScanReport {
  return { tool: { name: 'Nightshift', version: '0' }, root: '/w', proposals: PROPOSALS, filesWithProblems: 4, notDone: [], spentUsd: 0, ...(typeCheckedCounts === undefined ? {} : { typeCheckedCounts }) };
}

type SarifResult = { level: string; message: { text: string }; properties: { evidence: string; checked: boolean } };
const results = (r: ScanReport) => (toSarif(r, () => undefined) as { runs: Array<{ results: SarifResult[] }> }).runs[0].results;

describe('the scan reports', () => {
  it('SARIF: each result carries the evidence word and says it in its message', () => {
    const [tested, typed, silences, none] = results(report());
    assert.deepEqual(
      [tested, typed, silences, none].map((r) => r.properties.evidence),
      ['tested', 'type-checked', 'silences', 'unchecked'],
    );
    assert.equal(tested.message.text, 'Fix tested (tested)');
    assert.equal(typed.message.text, 'Fix typed (type-checked: no test reaches this change)');
    assert.equal(silences.message.text, 'Fix silences (silences the error: It adds a @ts-ignore instead of fixing the error.)');
    assert.equal(none.message.text, 'Fix none (not checked: no check ran)');
  });

  it('SARIF: only what counts as checked is a warning; a type-checked one where tests exist only when the setting says so; a silencing never', () => {
    assert.deepEqual(
      results(report()).map((r) => [r.properties.checked, r.level]),
      [
        [true, 'warning'],
        [false, 'note'],
        [false, 'note'],
        [false, 'note'],
      ],
    );
    assert.deepEqual(
      results(report(true)).map((r) => [r.properties.checked, r.level]),
      [
        [true, 'warning'],
        [true, 'warning'],
        [false, 'note'],
        [false, 'note'],
      ],
    );
  });

  it('JSON keeps the whole check and adds its evidence word', () => {
    const json = toJson(report()) as { proposals: Array<{ check: CheckResult; evidence: string }> };
    assert.deepEqual(
      json.proposals.map((p) => p.evidence),
      ['tested', 'type-checked', 'silences', 'unchecked'],
    );
    assert.deepEqual(json.proposals[1].check, PROPOSALS[1].check);
    assert.deepEqual(json.proposals[3].check, { status: 'unchecked', detail: 'no check ran' });
  });

  it('the patch names what each check proved in its comment line', () => {
    assert.match(toPatch(report()), /^# typed fix: Fix typed \(type-checked\)$/m);
    assert.match(toPatch(report()), /^# silences fix: Fix silences \(silences the error\)$/m);
  });

  it('the patch holds one proposal per file, so git apply takes it whole; a second for the same file is left out, said', () => {
    const again = { ...proposal('typed', { status: 'passed', detail: 'd' }), id: 'review', kind: 'review' as const, title: 'Review typed' };
    const patch = toPatch({ ...report(), proposals: [...PROPOSALS, again] });
    assert.equal((patch.match(/^@@ -3 \+3 @@$/gm) ?? []).length, PROPOSALS.length, 'one diff per proposal of its own file');
    assert.match(patch, /^# left out review review: Review typed: it edits src\/typed\.ts too; apply this patch, then scan again$/m);
  });
});
