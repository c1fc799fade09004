import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BudgetGovernor, DEFAULT_BUDGET, type BudgetSettings } from '../../../../src/core/budget/BudgetGovernor';
import { SpendAccountant, type SharedSpend } from '../../../../src/core/budget/SpendAccountant';
import { SpendLedger } from '../../../../src/core/budget/SpendLedger';
import { SharedReservations } from '../../../../src/core/budget/sharedReservations';
import { CUT_OFF_SOURCE } from '../../../../src/core/budget/ledgerEntry';
import type { UsageRecord } from '../../../../src/core/providers/usage';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const meta = { taskId: 't1', taskKind: 'fix', backend: 'MiniMax', model: 'MiniMax-M2.7', role: 'background' as const };
const usage = (costUsd: number | null): UsageRecord => ({ inputTokens: 100, cachedInputTokens: 10, cacheWriteTokens: 0, outputTokens: 20, reasoningTokens: 5, costUsd, costSource: 'price-table', latencyMs: 10, ttftMs: 5, outputTokensPerSecond: 50 });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'ns-accountant-'));

function setup(settings: Partial<BudgetSettings> = {}, shared = false) {
  const dir = tmp();
  const governor = new BudgetGovernor({ ...DEFAULT_BUDGET, ...settings }, () => NOW);
  const ledger = new SpendLedger(dir);
  let sharedSpend: SharedSpend | undefined;
  if (shared) {
    sharedSpend = { reservations: new SharedReservations(dir, () => NOW), refresh: async () => governor.loadSpend((await ledger.summarize('2026-01')).aggregate.days) };
  }
  const accountant = new SpendAccountant(governor, ledger, '/ws', () => new Date(NOW), sharedSpend);
  return { dir, governor, ledger, accountant };
}

const reserve = (a: SpendAccountant, worstCaseUsd: number, local = false) => a.reserve({ role: 'background', worstCaseUsd, priority: 'normal', local });

for (const shared of [false, true]) {
  describe(`SpendAccountant (${shared ? 'shared ledger' : 'one process'})`, () => {
    it('books the truth and says by how much it went past the reservation, to the cent', async () => {
      const { accountant, ledger } = setup({}, shared);
      const r = await reserve(accountant, 0.01);
      assert.ok(r.ok);
      assert.equal(await accountant.record(r.id, usage(0.004), meta, 'proposal'), 0);
      const over = await reserve(accountant, 0.01);
      assert.ok(over.ok);
      const overrun = await accountant.record(over.id, usage(0.035), meta, 'proposal');
      assert.equal(Number(overrun.toFixed(9)), 0.025);
      const calls = ledger.load().calls;
      assert.deepEqual(
        calls.map((c) => c.costUsd),
        [0.004, 0.035],
      );
      assert.deepEqual(
        [calls[0].workspace, calls[0].taskId, calls[0].taskKind, calls[0].backend, calls[0].model, calls[0].role, calls[0].inputTokens, calls[0].cachedInputTokens, calls[0].outputTokens, calls[0].reasoningTokens, calls[0].costSource, calls[0].outcome, calls[0].at],
        ['/ws', 't1', 'fix', 'MiniMax', 'MiniMax-M2.7', 'background', 100, 10, 20, 5, 'price-table', 'proposal', new Date(NOW).toISOString()],
      );
      assert.equal(accountant.status().spentTodayUsd.toFixed(3), '0.039');
    });

    it('never calls a local call an overcharge: it reserved nothing', async () => {
      const { accountant } = setup({}, shared);
      const r = await reserve(accountant, 0.01, true);
      assert.ok(r.ok);
      assert.equal(await accountant.record(r.id, usage(0.5), meta, 'proposal'), 0);
    });

    it('books an unknown cost as zero', async () => {
      const { accountant, ledger } = setup({}, shared);
      const r = await reserve(accountant, 0.01);
      assert.ok(r.ok);
      await accountant.record(r.id, usage(null), meta, 'error');
      assert.deepEqual(
        ledger.load().calls.map((c) => [c.costUsd, c.outcome]),
        [[0, 'error']],
      );
    });

    it('frees a released reservation, so the next call fits under the daily cap again', async () => {
      const { accountant } = setup({ dailyCapUsd: 0.01 }, shared);
      const first = await reserve(accountant, 0.008);
      assert.ok(first.ok);
      assert.equal((await reserve(accountant, 0.008)).ok, false, 'two do not fit');
      await accountant.release(first.id);
      assert.equal((await reserve(accountant, 0.008)).ok, true, 'the freed room is there again');
    });

    it('keeps a decision with its reason, trimmed and cut at 500 characters, and none when blank', async () => {
      const { accountant, ledger } = setup({}, shared);
      await accountant.recordDecision('t1', 'fix', 'p1', 'rejected', `  ${'x'.repeat(600)}  `);
      await accountant.recordDecision('t2', 'fix', 'p2', 'accepted', '   ');
      await accountant.recordDecision('t3', 'fix', 'p3', 'snoozed');
      const decisions = ledger.load().decisions;
      assert.equal(decisions[0].reason, 'x'.repeat(500));
      assert.deepEqual(
        decisions.map((d) => [d.taskId, d.proposalId, d.decision, 'reason' in d]),
        [
          ['t1', 'p1', 'rejected', true],
          ['t2', 'p2', 'accepted', false],
          ['t3', 'p3', 'snoozed', false],
        ],
      );
      assert.equal(decisions[0].at, new Date(NOW).toISOString());
    });

    it('passes the governor’s notices on once', async () => {
      const { accountant, governor } = setup({ annualUsd: 1 }, shared);
      governor.loadSpend({ '2026-06-01': { background: 0.7, escalation: 0 } });
      const notices = accountant.takeNotices();
      assert.ok(notices.length > 0);
      assert.deepEqual(accountant.takeNotices(), []);
    });
  });
}

describe('SpendAccountant across processes', () => {
  it('publishes each reservation for the others, and takes it back when booked or released', async () => {
    const { accountant, dir } = setup({}, true);
    const peek = () => JSON.parse(fs.readFileSync(path.join(dir, 'reservations.json'), 'utf8')).held as Array<{ nano: number }>;
    const r = await reserve(accountant, 0.002);
    assert.ok(r.ok);
    assert.deepEqual(
      peek().map((h) => h.nano),
      [2_000_000],
    );
    const local = await reserve(accountant, 0.002, true);
    assert.ok(local.ok);
    assert.equal(peek().length, 1, 'a local call holds nothing, so publishes nothing');
    await accountant.record(r.id, usage(0.001), meta, 'proposal');
    assert.deepEqual(peek(), []);
    const again = await reserve(accountant, 0.002);
    assert.ok(again.ok);
    await accountant.release(again.id);
    assert.deepEqual(peek(), []);
  });

  it('counts what another process holds and has spent before reserving', async () => {
    const a = setup({ dailyCapUsd: 0.01 }, true);
    const governorB = new BudgetGovernor({ ...DEFAULT_BUDGET, dailyCapUsd: 0.01 }, () => NOW);
    const ledgerB = new SpendLedger(a.dir);
    const b = new SpendAccountant(governorB, ledgerB, '/ws', () => new Date(NOW), {
      reservations: new SharedReservations(a.dir, () => NOW),
      refresh: async () => governorB.loadSpend((await ledgerB.summarize('2026-01')).aggregate.days),
    });
    const held = await reserve(a.accountant, 0.006);
    assert.ok(held.ok);
    assert.equal((await reserve(b, 0.006)).ok, false, "b sees a's reservation");
    await a.accountant.record(held.id, usage(0.006), meta, 'proposal');
    assert.equal((await reserve(b, 0.006)).ok, false, "b sees a's spend");
    assert.equal((await reserve(b, 0.003)).ok, true);
  });

  /** A reservation as a process killed mid-call leaves it: its pid is gone. */
  const leftover = (dir: string, nano: number) =>
    fs.writeFileSync(
      path.join(dir, 'reservations.json'),
      JSON.stringify({ version: 1, held: [{ owner: 'killed', pid: 2 ** 22 + 4242, id: 3, role: 'background', nano, at: NOW - 60_000, call: { workspace: '/ws/killed', taskId: 'task-9', taskKind: 'fix', backend: 'MiniMax', model: 'MiniMax-M2.7' } }] }),
    );

  it('books a call whose process died before booking it at its worst case, once, as an estimate for a call cut off', async () => {
    const { accountant, ledger, dir } = setup({ dailyCapUsd: 0.01 }, true);
    leftover(dir, 6_000_000);
    // $0.006 of the $0.01 cap went to the killed call: $0.005 more does not fit.
    assert.equal((await reserve(accountant, 0.005)).ok, false);
    const calls = ledger.load().calls;
    assert.equal(calls.length, 1);
    const [cut] = calls;
    assert.deepEqual([cut.costUsd, cut.costSource, cut.outcome, cut.workspace, cut.taskId, cut.taskKind, cut.backend, cut.model, cut.role, cut.at], [0.006, CUT_OFF_SOURCE, 'error', '/ws/killed', 'task-9', 'fix', 'MiniMax', 'MiniMax-M2.7', 'background', new Date(NOW - 60_000).toISOString()]);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'reservations.json'), 'utf8')).held, [], 'booked, so no longer held');
    assert.equal((await reserve(accountant, 0.004)).ok, true);
    assert.equal(ledger.load().calls.length, 1, 'booked once');
  });

  it('keeps a leftover reserved, still counted, while the ledger cannot take it', async () => {
    const dir = tmp();
    leftover(dir, 6_000_000);
    const notAFolder = path.join(dir, 'ledger-file');
    fs.writeFileSync(notAFolder, '');
    const governor = new BudgetGovernor({ ...DEFAULT_BUDGET, dailyCapUsd: 0.01 }, () => NOW);
    const broken = new SpendAccountant(governor, new SpendLedger(notAFolder), '/ws', () => new Date(NOW), { reservations: new SharedReservations(dir, () => NOW), refresh: async () => undefined });
    assert.equal(await broken.bookLeftoverCalls(), 0);
    assert.equal((await reserve(broken, 0.005)).ok, false, 'the killed call still counts against the cap');
    assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'reservations.json'), 'utf8')).held.length, 1);
  });
});
