/**
 * Caps across processes: four "windows" spending at once against one ledger under a $0.05 daily
 * cap (the overshoot must be 0 cents), and what sharing costs a call: reserve and book with the
 * lock and the ledger re-read, on a ledger holding a busy month.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BudgetGovernor, DEFAULT_BUDGET } from '../src/core/budget/BudgetGovernor';
import { SpendAccountant } from '../src/core/budget/SpendAccountant';
import { SpendLedger } from '../src/core/budget/SpendLedger';
import { SharedReservations } from '../src/core/budget/sharedReservations';
import type { Measured } from './providerBench';
import { entry } from '../test/unit/core/budget/ledgerFixtures';

const WORKER = path.join(__dirname, '..', 'test', 'unit', 'core', 'budget', 'reserveWorker.js');
const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `nightshift-bench-${name}-`));

export async function sharedBudget(): Promise<Measured[]> {
  let worst = 0;
  for (let round = 0; round < 3; round++) {
    const dir = tmp('shared');
    await Promise.all(
      ['a', 'b', 'c', 'd'].map(
        (prefix) =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, [WORKER, dir, prefix, '8'], { stdio: 'ignore' });
            child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`))));
          }),
      ),
    );
    const spent = new SpendLedger(dir).load().calls.reduce((n, c) => n + c.costUsd, 0);
    worst = Math.max(worst, spent - 0.05);
  }

  // A month with 20,000 calls on record, then 50 shared reserve + book rounds.
  const dir = tmp('shared-latency');
  const ledger = new SpendLedger(dir);
  const at = new Date().toISOString();
  const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify(entry({ at, taskId: `t${i}`, reasoningTokens: 0, costUsd: 0.0005 })));
  fs.writeFileSync(path.join(dir, `spend-${at.slice(0, 7)}.jsonl`), `${lines.join('\n')}\n`);
  const governor = new BudgetGovernor({ ...DEFAULT_BUDGET, annualUsd: 1_000_000 }, () => Date.now());
  const accountant = new SpendAccountant(governor, ledger, '/ws', undefined, { reservations: new SharedReservations(dir), refresh: async () => governor.loadSpend((await ledger.summarize()).aggregate.days) });
  const usage = { inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0, latencyMs: 1, ttftMs: 1, outputTokensPerSecond: null, costUsd: 0.0001, costSource: 'price-table' as const };
  const reserveMs: number[] = [];
  const recordMs: number[] = [];
  for (let i = 0; i < 51; i++) {
    let t = performance.now();
    const r = await accountant.reserve({ role: 'background', worstCaseUsd: 0.001, priority: 'high', local: false });
    reserveMs.push(performance.now() - t);
    if (!r.ok) throw new Error(`the bench reservation was refused: ${r.reason}`);
    t = performance.now();
    await accountant.record(r.id, usage, { taskId: `b${i}`, taskKind: 'fix', backend: 'MiniMax', model: 'MiniMax-M2.7', role: 'background' }, 'proposal');
    recordMs.push(performance.now() - t);
  }
  await ledger.close();
  const p50 = (xs: number[]) => [...xs.slice(1)].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  return [
    { metric: '4 processes against one ledger, $0.05 cap: worst overshoot of 3 runs', measured: Math.max(0, worst) * 100, unit: 'cents', target: 0, kind: 'max' },
    { metric: '  shared reserve (lock + ledger re-read, 20k-call month) p50', measured: p50(reserveMs), unit: 'ms', target: Infinity, kind: 'max' },
    { metric: '  shared book (append + fsync under the lock) p50', measured: p50(recordMs), unit: 'ms', target: Infinity, kind: 'max' },
  ];
}
