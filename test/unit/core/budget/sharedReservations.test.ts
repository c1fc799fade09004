import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { SharedReservations, STALE_MS } from '../../../../src/core/budget/sharedReservations';
import { processAlive, processStart } from '../../../../src/core/processAlive';

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
    assert.deepEqual(await other.locked((s) => s.others()), [
      { role: 'background', nano: 5 },
      { role: 'escalation', nano: 9 },
    ]);
    await shared.locked((s) => s.remove(7));
    assert.deepEqual(await other.locked((s) => s.others()), [{ role: 'background', nano: 5 }]);
  });

  it("keeps a dead process's reservation as a leftover to book (never dropped unbooked), drops a live one far too old, and survives a torn file", async () => {
    const dir = tmp();
    const file = path.join(dir, 'reservations.json');
    const dead = hold({ pid: 2 ** 22 + 12345, id: 2, nano: 7 });
    fs.writeFileSync(file, JSON.stringify({ version: 1, held: [dead, hold({ at: Date.now() - STALE_MS - 1 }), hold({ nano: -1 }), { junk: true }, hold({ id: 3 })] }));
    const seen = await new SharedReservations(dir).locked((s) => ({ others: s.others(), dead: s.deadOwners().map((h) => h.id) }));
    assert.deepEqual(
      seen,
      {
        others: [
          { role: 'background', nano: 7 },
          { role: 'background', nano: 5 },
        ],
        dead: [2],
      },
      'a leftover counts against the caps until it is booked',
    );
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).held.length, 2, 'the junk and the stale live one are cleaned out');
    await new SharedReservations(dir).locked((s) => s.settle(s.deadOwners()[0]));
    assert.deepEqual(await new SharedReservations(dir).locked((s) => s.others()), [{ role: 'background', nano: 5 }]);
    fs.writeFileSync(file, '{"version":1,"held":[{"own');
    assert.deepEqual(await new SharedReservations(dir).locked((s) => s.others()), []);
  });

  it('books a dead process’s reservation whose pid the system gave to another process (its start time differs), never keeping it for a live stranger', async () => {
    const dir = tmp();
    const file = path.join(dir, 'reservations.json');
    const own = processStart(process.pid);
    assert.ok(own, 'Linux says when a process started');
    // The pid is this (live) process's; the start recorded is not: the writer died and its pid was reused.
    const reused = hold({ id: 4, nano: 11, started: String(Number(own) + 1) });
    const same = hold({ id: 5, nano: 3, started: own });
    fs.writeFileSync(file, JSON.stringify({ version: 1, held: [reused, same] }));
    const seen = await new SharedReservations(dir).locked((s) => s.deadOwners().map((h) => h.id));
    assert.deepEqual(seen, [4], 'the reused pid hides no leftover; the holder that still runs keeps its own');
    assert.equal(processAlive(process.pid, own), true);
    assert.equal(processAlive(process.pid), true, 'with no start recorded, the pid alone decides (as before)');
  });

  it('writes when the reserving process started beside its pid', async () => {
    const dir = tmp();
    await new SharedReservations(dir).locked((s) => s.add(1, 'background', 5));
    const [h] = JSON.parse(fs.readFileSync(path.join(dir, 'reservations.json'), 'utf8')).held as Array<{ pid: number; started?: string }>;
    assert.equal(h.pid, process.pid);
    assert.equal(h.started, processStart(process.pid));
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

describe('SharedReservations: what it trusts in the file', () => {
  const others = async (held: unknown, version: unknown = 1, now = Date.now) => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'reservations.json'), JSON.stringify({ version, held }));
    return new SharedReservations(dir, now).locked((s) => s.others());
  };

  it('takes an entry only when every field is what a reservation holds', async () => {
    const bad = [hold({ owner: 7 }), hold({ pid: 1.5 }), hold({ pid: 'x' }), hold({ id: 'one' }), hold({ role: 'other' }), hold({ nano: Number.NaN }), hold({ nano: -1 }), hold({ at: 'now' }), null, 'text'];
    for (const b of bad) assert.deepEqual(await others([b]), [], JSON.stringify(b));
    assert.deepEqual(await others([hold({ role: 'escalation', nano: 0 })]), [{ role: 'escalation', nano: 0 }]);
  });

  it('trusts nothing in a file of another version or shape', async () => {
    assert.deepEqual(await others([hold({})], 2), []);
    assert.deepEqual(await others({ 0: hold({}) }), []);
    assert.deepEqual(await others([hold({})], 1), [{ role: 'background', nano: 5 }]);
  });

  it('keeps a reservation until it is STALE_MS old, to the millisecond', async () => {
    const t = Date.now();
    assert.deepEqual(await others([hold({ at: t - STALE_MS + 1 })], 1, () => t), [{ role: 'background', nano: 5 }]);
    assert.deepEqual(await others([hold({ at: t - STALE_MS })], 1, () => t), []);
  });

  it('removes only its own reservation of that id, and leaves the file alone when nothing changed', async () => {
    const dir = tmp();
    const file = path.join(dir, 'reservations.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, held: [hold({ id: 4 })] }));
    const mine = new SharedReservations(dir);
    await mine.locked((s) => {
      s.add(4, 'background', 3);
      s.add(5, 'background', 2);
    });
    await mine.locked((s) => s.remove(4));
    const left = JSON.parse(fs.readFileSync(file, 'utf8')).held as Array<{ owner: string; id: number }>;
    assert.deepEqual(
      left.map((h) => [h.owner === 'other', h.id]),
      [
        [true, 4],
        [false, 5],
      ],
    );
    const before = fs.statSync(file).mtimeMs;
    await new Promise((r) => setTimeout(r, 20));
    await mine.locked((s) => s.remove(99));
    assert.equal(fs.statSync(file).mtimeMs, before, 'not rewritten');
  });
});
