/**
 * When a scan is done: it waits for a call under way (cut off, it would be paid for and lost) and
 * for a hold that ends within the minute (the cap held by another process's calls under way:
 * outside test, a second scan gave up at once with six tasks not done), and reports a longer hold
 * as not done.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Headless } from '../../../src/cli/headless';
import { workedOff } from '../../../src/cli/scanCommand';
import type { AgentStatus } from '../../../src/shared/types';

/** A host whose agent reports the statuses given, one per look, the last one for ever. */
function reporting(...statuses: AgentStatus[]): Headless {
  let i = 0;
  return { engine: { agent: { status: () => statuses[Math.min(i++, statuses.length - 1)] } } } as unknown as Headless;
}
const idle = (over: Partial<AgentStatus> = {}): AgentStatus => ({ state: 'idle', detail: 'Waiting', spendTodayUsd: 0, queued: 0, ...over });

describe('workedOff', () => {
  it('waits out a call under way and a hold that ends within the minute; reports a longer hold as not done', async () => {
    const held = (ms: number) => idle({ queued: 2, detail: 'The rest of the daily cap of $0.10 is held by calls under way ($0.08 at their worst case).', retryAt: Date.now() + ms });
    const running = idle({ queued: 1, tasks: [{ key: 'a', kind: 'fix', relativePath: 'a.ts', priority: 'normal', running: true, role: 'background' }] });
    assert.equal(await workedOff(reporting(running, held(30_000), held(30_000), idle()), 1), undefined, 'worked off once the hold ended');
    assert.match((await workedOff(reporting(held(8 * 3600_000)), 1)) ?? '', /\(2 task\(s\) not done\)$/);
    assert.match((await workedOff(reporting(idle({ queued: 3, detail: 'Quiet hours' })), 1)) ?? '', /Quiet hours \(3 task\(s\) not done\)/, 'no time given: not done');
  });
});
