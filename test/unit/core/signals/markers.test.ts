import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findMarkers } from '../../../../src/core/signals/markers';

describe('findMarkers', () => {
  it('finds nightshift: instructions in the comments of many languages', () => {
    const text = [
      '// nightshift: extract this loop into a function',
      'const x = 1; // Nightshift: rename x to count',
      '# nightshift: add type hints',
      '/* nightshift: handle the empty list */',
      ' * nightshift: document the return value',
      '<!-- nightshift: add an alt text -->',
      '-- nightshift: use a join instead',
    ].join('\n');
    assert.deepEqual(findMarkers(text), [
      { line: 0, instruction: 'extract this loop into a function' },
      { line: 1, instruction: 'rename x to count' },
      { line: 2, instruction: 'add type hints' },
      { line: 3, instruction: 'handle the empty list' },
      { line: 4, instruction: 'document the return value' },
      { line: 5, instruction: 'add an alt text' },
      { line: 6, instruction: 'use a join instead' },
    ]);
  });

  it('reads TODO and FIXME comments only when asked to', () => {
    const text = ['// TODO: handle the empty cart', 'const todo = 1; // FIXME(ana) negative totals', '# TODO', 'const TODO_LIST = [];'].join('\n');
    assert.deepEqual(findMarkers(text), []);
    assert.deepEqual(findMarkers(text, { todoComments: true }), [
      { line: 0, instruction: 'Do: handle the empty cart' },
      { line: 1, instruction: 'Fix: negative totals' },
    ]);
  });

  it('ignores the word outside comments and empty instructions', () => {
    assert.deepEqual(findMarkers('const url = "nightshift:run";\n// nightshift:   \nlet nightshift: number;'), []);
  });
});
