/**
 * Rung 0 for Ruff with a real ruff (scripts/test-ruff.sh): Ruff's safe fixes settle the problems
 * they fix, free, each checked by Ruff and pyright; the ones Ruff only fixes unsafely (E711, F841)
 * or not at all (E741) are left for the model and said so; an independent re-run of ruff and
 * pyright on a copy finds nothing wrong with what is shown.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ruffRungZero, type RuffRungZero } from '../../../harness/ruffRungZero';

describe('rung 0 for Ruff (Ruff’s own safe fixes)', () => {
  let run: RuffRungZero;
  before(async () => {
    run = await ruffRungZero();
  });

  it('settles every safely fixable problem free, and no shown fix fails an independent re-run of ruff and pyright', () => {
    assert.equal(run.problems, 25);
    assert.equal(run.safe, 20);
    assert.equal(run.settled, 20, `${run.settled} of ${run.safe} safely fixable settled free`);
    assert.deepEqual(run.failing, []);
  });

  it('shows each as Ruff’s own, checked, at $0, and leaves the unsafe and unfixable ones to the model', () => {
    const moves = run.proposals.get('inventory/moves.py');
    assert.ok(moves, [...run.proposals.keys()].join(', '));
    assert.match(moves.model, /^Ruff \d+\.\d+\.\d+/);
    assert.equal(moves.source, 'compiler');
    assert.equal(moves.costUsd, 0);
    assert.equal(moves.check?.status, 'passed');
    assert.match(moves.check!.detail, /Checked with Ruff [\d.]+: the problem is gone/);
    const after = moves.files[0].replacements.map((r) => r.newText).join('\n');
    assert.doesNotMatch(after, /noqa/);
    assert.doesNotMatch(moves.title, /E711|F841/, 'their fixes are unsafe: not taken free');
  });
});
