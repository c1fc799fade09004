import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SharedReservations, STALE_MS } from '../../../../src/core/budget/sharedReservations';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-shared-'));
const hold = (over: Record<string, unknown>) => ({ owner: 'other', pid: process.pid, id: 1, role: 'background', nano: 5, at: Date.now(), ...over });

describe('SharedReservations', () => {
  it('sees what other processes hold, not its own, and keeps its own across calls', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'reservations.json'), JSON.stringify({ version: 1, held: [hold({})] }));
    const shared = new SharedReservations(dir);
    await shared.locked((s) => {
      assert.deepEqual(s.others(), [{ role: 'background', nano: 5 }]);
      s.add(7, 'escalation', 9);
    });
    const other = new SharedReservations(dir);
    assert.deepEqual(await other.locked((s) => s.others()), [{ role: 'background', nano: 5 }, { role: 'escalation', nano: 9 }]);
    await shared.locked((s) => s.remove(7));
    assert.deepEqual(await other.locked((s) => s.others()), [{ role: 'background', nano: 5 }]);
  });

  it('drops what a dead process or a far too old call left behind, and survives a torn file', async () => {
    const dir = tmp();
    const file = path.join(dir, 'reservations.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, held: [hold({ pid: 2 ** 22 + 12345 }), hold({ at: Date.now() - STALE_MS - 1 }), hold({ nano: -1 }), { junk: true }, hold({ id: 3 })] }));
    assert.deepEqual(await new SharedReservations(dir).locked((s) => s.others()), [{ role: 'background', nano: 5 }]);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).held.length, 1, 'the leftovers are cleaned out');
    fs.writeFileSync(file, '{"version":1,"held":[{"own');
    assert.deepEqual(await new SharedReservations(dir).locked((s) => s.others()), []);
  });

  it('lets one process in at a time', async () => {
    const dir = tmp();
    const a = new SharedReservations(dir);
    const b = new SharedReservations(dir);
    const order: string[] = [];
    await Promise.all([
      a.locked(async () => {
        order.push('a in');
        await new Promise((r) => setTimeout(r, 50));
        order.push('a out');
      }),
      new Promise((r) => setTimeout(r, 10)).then(() => b.locked(() => order.push('b in'))),
    ]);
    assert.deepEqual(order, ['a in', 'a out', 'b in']);
  });
});
