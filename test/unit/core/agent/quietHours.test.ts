import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuietHours, quietUntil, scheduleHold } from '../../../../src/core/agent/quietHours';

const at = (h: number, m = 0) => new Date(2026, 10, 21, h, m);

describe('quiet hours', () => {
  it('parses a window and rejects nonsense', () => {
    assert.deepEqual(parseQuietHours('22:00-07:30'), { start: 1320, end: 450 });
    for (const bad of ['', '22-07', '25:00-01:00', '10:00-10:00', 'night']) assert.equal(parseQuietHours(bad), undefined, bad);
  });

  it('knows when a window over midnight ends', () => {
    const q = parseQuietHours('22:00-07:00')!;
    assert.deepEqual(quietUntil(at(23, 15), q), new Date(2026, 10, 22, 7, 0));
    assert.deepEqual(quietUntil(at(3), q), at(7));
    assert.equal(quietUntil(at(12), q), undefined);
    assert.equal(quietUntil(at(7), q), undefined);
  });

  it('handles a window within a day', () => {
    const q = parseQuietHours('12:00-13:00')!;
    assert.deepEqual(quietUntil(at(12, 30), q), at(13));
    assert.equal(quietUntil(at(13), q), undefined);
  });
});

describe('the schedule with several windows', () => {
  it('holds in any quiet window, and moves on through windows that follow each other', () => {
    const hold = scheduleHold({ quietHours: ['12:00-13:00', '13:00-14:00'] }, at(12, 30), false);
    assert.deepEqual(hold?.until, at(14));
    assert.equal(scheduleHold({ quietHours: ['12:00-13:00', '22:00-07:00'] }, at(15), false), undefined);
    assert.deepEqual(scheduleHold({ quietHours: ['12:00-13:00', '22:00-07:00'] }, at(23), false)?.until, new Date(2026, 10, 22, 7, 0));
  });

  it('works only where every working window allows', () => {
    assert.deepEqual(scheduleHold({ quietHours: [], workHours: ['01:00-05:00', '03:00-06:00'] }, at(2), false)?.until, at(3));
    assert.equal(scheduleHold({ quietHours: [], workHours: ['01:00-05:00', '03:00-06:00'] }, at(4), false), undefined);
    assert.deepEqual(scheduleHold({ quietHours: ['03:00-04:00'], workHours: ['01:00-05:00'] }, at(3, 30), false)?.until, at(4));
  });

  it('says so when the windows leave no time at all', () => {
    const never = scheduleHold({ quietHours: [], workHours: ['01:00-02:00', '03:00-04:00'] }, at(1, 30), false);
    assert.equal(never?.until, undefined);
    assert.match(never!.why, /leave no time to work/);
    assert.match(scheduleHold({ quietHours: ['00:00-24:00'] }, at(9), false)?.why ?? '', /leave no time|Quiet hours/);
  });

  it('still reads a single window given as text', () => {
    assert.deepEqual(scheduleHold({ quietHours: '22:00-07:00' }, at(23), false)?.until, new Date(2026, 10, 22, 7, 0));
    assert.equal(scheduleHold({ quietHours: '', onlyWhenIdle: true }, at(9), true)?.why, 'The team policy runs background work only while you are away from the keyboard');
  });
});
