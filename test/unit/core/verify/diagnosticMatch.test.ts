/** How a check compares errors: the parts that must never call a target fixed wrongly. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DiagnosticInfo } from '../../../../src/shared/agentProtocol';
import { introducedErrors, LINE_MAP_MAX_EDITS, lineMap, locateTarget, normalizeMessage, remainingTarget, typeScriptCode, type FoundError } from '../../../../src/core/verify/diagnosticMatch';
import { judge } from '../../../../src/core/verify/TypeScriptVerifier';

const F = '/ws/src/a.ts';
const err = (line: number, code = 2322, message = 'Type A is not B.', character = 4, file = F): FoundError => ({ file, code, message, line, character });
const target = (line: number, code: string | undefined = '2322', message = 'Type A is not B.', character = 4): DiagnosticInfo => ({
  message,
  severity: 'error',
  code,
  range: { startLine: line, startCharacter: character, endLine: line, endCharacter: character + 3 },
});

describe('normalizeMessage and typeScriptCode', () => {
  it('makes a multi-line message one line with single spaces', () => {
    assert.equal(normalizeMessage('A.\n  Types differ.\r\n\t\tType x.  '), 'A. Types differ. Type x.');
    assert.equal(normalizeMessage('  one  '), 'one');
  });

  it('reads 2322, TS2322 and ts2322 as TypeScript codes, nothing else', () => {
    assert.equal(typeScriptCode('2322'), 2322);
    assert.equal(typeScriptCode(' TS2322 '), 2322);
    assert.equal(typeScriptCode('ts7006'), 7006);
    for (const other of [undefined, '', 'no-unused-vars', 'TS', '2322a', 'E2322', 'TS 2322']) assert.equal(typeScriptCode(other), undefined, String(other));
  });
});

describe('locateTarget', () => {
  const before = [err(1), err(5), err(5, 2345, 'Argument X.', 10), err(9, 2322, 'Type A is not B.', 4, '/ws/src/b.ts')];

  it('finds the error with the same code at the same position', () => {
    assert.equal(locateTarget(target(5, '2345', 'other text', 10), F, before), before[2]);
    assert.equal(locateTarget(target(5), F, before), before[1]);
  });

  it('falls back to the same code and message, nearest line; never another file or code', () => {
    assert.equal(locateTarget(target(4, '2322', 'Type A is not B.', 0), F, before), before[1]);
    assert.equal(locateTarget(target(2, '2322', 'Type A is not B.', 0), F, before), before[0]);
    assert.equal(locateTarget(target(9, '2322', 'Type A is not B.', 0), F, before), before[1], 'not the one in b.ts');
    assert.equal(locateTarget(target(9, '2322', 'Type A is not B.', 0), '/ws/src/b.ts', before), before[3]);
    assert.equal(locateTarget(target(5, '2339', 'Type A is not B.', 4), F, before), undefined);
    assert.equal(locateTarget({ ...target(5), code: undefined }, F, before), undefined, 'no code: not TypeScript’s');
    assert.equal(locateTarget(target(3, '2322', 'Something else.', 0), F, before), undefined);
  });

  it('tells two errors of one code on one line apart by column', () => {
    const same = [err(5, 2322, 'Type A is not B.', 4), err(5, 2322, 'Type C is not D.', 20)];
    assert.equal(locateTarget(target(5, '2322', 'anything', 20), F, same), same[1]);
  });

  it('matches the message normalised', () => {
    assert.equal(locateTarget(target(0, '2345', 'Argument\n    X.', 0), F, before), before[2]);
  });
});

describe('lineMap', () => {
  const before = 'a\nb\nc\nd\n';
  const mapLine = (b: string, a: string, line: number) => lineMap(b, a)(line);

  it('follows an unchanged line through lines added and removed before it', () => {
    assert.equal(mapLine(before, 'x\ny\na\nb\nc\nd\n', 2), 4);
    assert.equal(mapLine(before, 'b\nc\nd\n', 2), 1);
    assert.equal(mapLine(before, 'a\nB\nc\nd\n', 3), 3);
    assert.equal(mapLine(before, before, 0), 0);
  });

  it('follows no line of a rewrite past LINE_MAP_MAX_EDITS changes (the diff would grow with its square), and still follows a large file with a small edit', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `const v${i} = ${i};`);
    const big = lines.join('\n');
    // Every other line changed: line 0 is unchanged, yet not followed: the rewrite is past the limit.
    const rewritten = lines.map((l, i) => (i % 2 ? `${l} // changed` : l)).join('\n');
    assert.equal(mapLine(big, rewritten, 0), undefined);
    assert.equal(mapLine(big, `// one line more\n${big}`, 19_999), 20_000);
    const under = lines.slice(0, LINE_MAP_MAX_EDITS / 4);
    assert.equal(mapLine(under.join('\n'), ['x', ...under.map((l, i) => (i % 2 ? `${l} // changed` : l))].join('\n'), 2), 3, 'a rewrite under the limit is followed');
  });

  it('says nothing for a line the edit changed or removed, or one past the end', () => {
    assert.equal(mapLine(before, 'a\nB\nc\nd\n', 1), undefined);
    assert.equal(mapLine(before, 'a\nc\nd\n', 1), undefined);
    assert.equal(mapLine(before, before, 9), undefined);
  });
});

describe('remainingTarget', () => {
  const t = err(5);

  it('is the error still at the target’s place, whatever its message now', () => {
    const after = [{ ...err(6), message: 'Type A2 is not B.' }];
    assert.deepEqual(remainingTarget(t, 6, [t], after), after[0]);
    assert.equal(remainingTarget(t, 6, [t], [err(6, 2345)]), undefined, 'another code there is not the target');
    assert.equal(remainingTarget(t, 6, [t], [err(6, 2322, 'x', 9)]), undefined, 'another column is not its place');
    assert.equal(remainingTarget(t, 6, [t], [err(6, 2322, 'x', 4, '/ws/src/b.ts')]), undefined, 'another file is not its place');
  });

  it('is gone when its place holds another message of its code at another line, and there while one of its kind moved', () => {
    assert.equal(remainingTarget(t, 6, [t], [{ ...err(9), message: 'other' }]), undefined);
    assert.deepEqual(remainingTarget(t, 6, [t], [err(9)]), err(9), 'not in its place, but moved');
  });

  it('is there while as many of its kind remain as before: moved, or another one fixed instead', () => {
    assert.deepEqual(remainingTarget(t, undefined, [t], [err(9)]), err(9));
    assert.equal(remainingTarget(t, undefined, [t, err(8)], [err(9)]), undefined, 'one of two gone, the target’s place changed');
    assert.deepEqual(remainingTarget(t, 5, [t, err(8)], [err(5)]), err(5));
    assert.equal(remainingTarget(t, 5, [t], []), undefined);
    assert.equal(remainingTarget(t, undefined, [t], [err(9, 2322, 'Type A is not B.', 4, '/ws/src/b.ts')]), undefined, 'in another file it is a new error, not the target');
  });
});

describe('introducedErrors', () => {
  it('subtracts one before-error of the same kind for each, whatever the line', () => {
    assert.deepEqual(introducedErrors([err(1)], [err(3)]), []);
    assert.deepEqual(introducedErrors([err(1)], [err(3), err(4)]), [err(4)]);
    assert.deepEqual(introducedErrors([], [err(1)]), [err(1)]);
    assert.deepEqual(introducedErrors([err(1)], []), []);
    assert.deepEqual(introducedErrors([err(1, 2345)], [err(1)]), [err(1)], 'another code is new');
    assert.deepEqual(introducedErrors([err(1, 2322, 'm')], [err(1, 2322, 'n')]), [err(1, 2322, 'n')], 'another message is new');
    assert.deepEqual(introducedErrors([err(1, 2322, 'm', 4, '/b.ts')], [err(1, 2322, 'm')]), [err(1, 2322, 'm')], 'another file is new');
  });

  it('pairs the error still at its place first, so the new one is reported at its own line', () => {
    const placeOf = (e: FoundError) => e.line + 1;
    assert.deepEqual(introducedErrors([err(1)], [err(0), err(2)], placeOf), [err(0)]);
    assert.deepEqual(introducedErrors([err(1)], [err(0), err(2)]), [err(2)], 'without places: the first of its kind pairs');
    assert.deepEqual(introducedErrors([err(1)], [err(2, 2322, 'Type A is not B.', 7), err(2)], placeOf), [err(2, 2322, 'Type A is not B.', 7)], 'same line, other column: not its place');
  });
});

describe('judge', () => {
  const about = { version: 'TypeScript 9.9', root: '/ws' };
  const changed = [{ filePath: F, before: 'l0\nl1\nl2\n', after: 'l0\nl1 fixed\nl2\n' }];

  it('passes when the located target is gone and nothing was added, naming the files checked', () => {
    const r = judge([target(1)], changed, [err(1)], [], [F, '/ws/src/b.ts'], about);
    assert.deepEqual(r, { status: 'passed', level: 'type-checked', detail: 'Checked with TypeScript 9.9: the problem is gone and no new error appeared in a.ts, src/b.ts.', proved: [0] });
    assert.deepEqual(judge([], changed, [], [], [F], about), { status: 'passed', level: 'type-checked', detail: 'Checked with TypeScript 9.9: no new error appeared in a.ts.', proved: [] });
  });

  it('fails while any target remains, listing it at its line', () => {
    const r = judge([target(1), target(2)], changed, [err(1), err(2)], [err(2)], [F], about);
    assert.deepEqual(r, { status: 'failed', detail: 'The problem is still there (TypeScript 9.9).', errors: ['line 3: TS2322: Type A is not B.'] });
  });

  it('fails on a new error in another file, naming it', () => {
    const other = err(4, 2554, 'Expected 3 arguments, but got 2.', 2, '/ws/src/b.ts');
    const r = judge([target(1)], changed, [err(1)], [other], [F, '/ws/src/b.ts', '/ws/src/c.ts', '/ws/src/d.ts'], about);
    assert.deepEqual(r, { status: 'failed', detail: 'The change adds 1 new error(s) (TypeScript 9.9, a.ts, src/b.ts, src/c.ts and 1 more file(s)).', errors: ['src/b.ts: line 5: TS2554: Expected 3 arguments, but got 2.'] });
  });

  it('is unchecked, never passed, when TypeScript does not report a target', () => {
    const eslint = { ...target(1, 'no-console', 'Unexpected console.'), source: 'eslint' };
    const r = judge([eslint], changed, [err(1)], [err(1)], [F], about);
    assert.deepEqual(r, { status: 'unchecked', detail: 'TypeScript 9.9 does not report the problem (eslint no-console at line 2), so it cannot prove it fixed; no new error appeared in a.ts.', proved: [] });
    const bare = judge([{ ...target(0), code: undefined }], changed, [], [], [F], about);
    assert.equal(bare.status, 'unchecked');
    assert.match(bare.detail, /\(at line 1\)/);
    const mixed = judge([target(1), eslint], changed, [err(1)], [], [F], about);
    assert.equal(mixed.status, 'unchecked', 'one target it cannot see is enough');
    assert.deepEqual(mixed.proved, [0], 'the one it can see is proved, for a composed check to count');
    assert.match(judge([{ ...target(3), code: undefined, source: 'pylint' }], changed, [], [], [F], about).detail, /\(pylint at line 4\)/);
  });

  it('follows errors of every changed file through its own edit', () => {
    const b = { filePath: '/ws/src/b.ts', before: 'x\n', after: 'new\nx\n' };
    const moved = err(1, 2322, 'm', 0, '/ws/src/b.ts');
    const added = err(0, 2322, 'm', 0, '/ws/src/b.ts');
    const r = judge([], [...changed, b], [err(0, 2322, 'm', 0, '/ws/src/b.ts')], [added, moved], [F, b.filePath], about);
    assert.deepEqual(r.errors, ['src/b.ts: line 1: TS2322: m']);
  });
});
