/**
 * Budget numbers: a simulated year against the real governor with every settled call appended
 * to a real ledger on disk, and the ledger's load and append speeds at a million entries.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LedgerEntry } from '../src/core/budget/ledgerEntry';
import { SpendLedger } from '../src/core/budget/SpendLedger';
import { simulateYear } from '../test/harness/budgetSimulation';
import type { Measured } from './providerBench';

const tmp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `nightshift-bench-${name}-`));

export async function simulatedYears(): Promise<Measured[]> {
  const ledger = new SpendLedger(tmp('year'));
  const heavy = await simulateYear({ demandFactor: 2, taskSeconds: 300, highPriorityEvery: 10, ledger });
  await ledger.close();
  const onDisk = await ledger.summarize();
  const diskSpend = Object.values(onDisk.aggregate.days).reduce((n, d) => n + d.background, 0);
  const light = await simulateYear({ demandFactor: 0.5, taskSeconds: 300 });
  return [
    { metric: 'year at 2× demand: spend over budget (ledger on disk)', measured: Math.max(0, diskSpend - heavy.budgetUsd) * 100, unit: 'cents', target: 0, kind: 'max' },
    { metric: 'year at 2× demand: budget used', measured: (100 * diskSpend) / heavy.budgetUsd, unit: '%', target: 97, kind: 'min' },
    { metric: 'year at 2× demand: worst day over allowance + burst', measured: Math.max(0, heavy.worstDayOverUsd), unit: 'USD', target: 0, kind: 'max' },
    { metric: `year at 2× demand: calls booked in the ledger (of ${heavy.offered} offered)`, measured: onDisk.aggregate.byKind.fix?.calls ?? 0, unit: 'calls', target: Infinity, kind: 'max' },
    { metric: 'year at 0.5× demand: tasks throttled', measured: light.denied, unit: 'tasks', target: 0, kind: 'max' },
  ];
}

function sampleEntry(i: number, month: number): LedgerEntry {
  return {
    v: 1,
    at: `2026-${String(month).padStart(2, '0')}-15T12:00:00.000Z`,
    workspace: '/home/dev/projects/shop',
    taskId: `task-${i}`,
    taskKind: i % 5 === 0 ? 'review' : 'fix',
    backend: 'MiniMax',
    model: 'MiniMax-M2.7',
    role: 'background',
    inputTokens: 12_345,
    cachedInputTokens: 10_000,
    cacheWriteTokens: 0,
    outputTokens: 2_345,
    reasoningTokens: 1_200,
    costUsd: 0.0034567,
    costSource: 'price-table',
    outcome: i % 3 === 0 ? 'none' : 'proposal',
  };
}

export async function ledgerSpeed(entries = 1_000_000): Promise<Measured[]> {
  const dir = tmp('ledger');
  const perMonth = Math.ceil(entries / 12);
  for (let m = 1; m <= 12; m++) {
    const lines: string[] = [];
    for (let i = 0; i < perMonth; i++) lines.push(JSON.stringify(sampleEntry(m * perMonth + i, m)));
    fs.writeFileSync(path.join(dir, `spend-2026-${String(m).padStart(2, '0')}.jsonl`), `${lines.join('\n')}\n`);
  }
  let t = performance.now();
  const cold = await new SpendLedger(dir).summarize();
  const coldMs = performance.now() - t;
  t = performance.now();
  const warm = await new SpendLedger(dir).summarize();
  const warmMs = performance.now() - t;
  if (cold.aggregate.byModel['MiniMax-M2.7'].calls !== warm.aggregate.byModel['MiniMax-M2.7'].calls) throw new Error('summaries disagree');

  const appendDir = tmp('append');
  const ledger = new SpendLedger(appendDir);
  const appends = 3000;
  t = performance.now();
  for (let i = 0; i < appends; i++) await ledger.append(sampleEntry(i, 12));
  const perSecond = appends / ((performance.now() - t) / 1000);
  await ledger.close();
  return [
    { metric: `load + aggregate ${(perMonth * 12).toLocaleString('en-US')} entries, first read`, measured: coldMs, unit: 'ms', target: 2000, kind: 'max' },
    { metric: `load + aggregate ${(perMonth * 12).toLocaleString('en-US')} entries, with month summaries`, measured: warmMs, unit: 'ms', target: 2000, kind: 'max' },
    { metric: 'ledger appends, each flushed to disk', measured: perSecond, unit: 'appends/s', target: 2000, kind: 'min' },
  ];
}
