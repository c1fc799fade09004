import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitThink, ThinkSplitter } from '../../../../src/core/providers/thinkTags';

describe('think tags', () => {
  it('keeps the thinking out of the answer', () => {
    assert.deepEqual(splitThink('<think>plan it</think>\nTITLE: Fix'), { answer: 'TITLE: Fix', thinking: 'plan it' });
  });

  it('handles tags cut across stream chunks at every position', () => {
    const text = '<think>a < b, so</think>ANSWER <x>';
    for (let cut = 0; cut <= text.length; cut++) {
      for (let cut2 = cut; cut2 <= text.length; cut2 += 3) {
        const s = new ThinkSplitter();
        s.push(text.slice(0, cut));
        s.push(text.slice(cut, cut2));
        s.push(text.slice(cut2));
        assert.deepEqual(s.end(), { answer: 'ANSWER <x>', thinking: 'a < b, so' }, `cut at ${cut}/${cut2}`);
      }
    }
  });

  it('treats an unclosed think as all thinking (output limit hit mid-thought)', () => {
    assert.deepEqual(splitThink('<think>still going'), { answer: '', thinking: 'still going' });
  });

  it('passes content without tags through', () => {
    assert.deepEqual(splitThink('plain answer'), { answer: 'plain answer', thinking: '' });
  });
});
