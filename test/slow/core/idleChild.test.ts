/**
 * Warm while worked on: a helper process's idle spell runs from the last request or save (`touch`),
 * 15 minutes for the processes that hold a project (both TypeScript processes and ESLint), scaled by
 * NIGHTSHIFT_IDLE_SCALE; a save never starts a process that has ended.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { IdleChild, idleScale, WARM_WHILE_WORKED_ON_MS } from '../../../src/core/idleChild';
import { TS_IDLE_MS } from '../../../src/core/signals/tsDiagnosticsService';
import { ESLINT_IDLE_MS } from '../../../src/core/verify/eslint/EslintProcess';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function echoChild(): string {
  const script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ns-idle-')), 'child.js');
  fs.writeFileSync(script, `process.on('message', (m) => process.send({ id: m.id, result: m.value }));`);
  return script;
}

describe('IdleChild: warm while worked on', () => {
  it('keeps the processes that hold a project for 15 minutes after the last activity (was 2: saves minutes apart found them cold)', () => {
    assert.equal(WARM_WHILE_WORKED_ON_MS, 15 * 60_000);
    assert.equal(TS_IDLE_MS, WARM_WHILE_WORKED_ON_MS, 'the TypeScript diagnostics process');
    assert.equal(ESLINT_IDLE_MS, WARM_WHILE_WORKED_ON_MS, 'ESLint');
  });

  it('a save (touch) starts the idle spell again; without one it ends, giving its memory back', async () => {
    const child = new IdleChild<{ value: number }>(echoChild(), [], 600, 'The test child');
    try {
      await child.ask({ value: 1 });
      // Saves every 200 ms for 1.5 s: well past the 600 ms spell, still warm.
      for (let i = 0; i < 8; i++) {
        await sleep(200);
        child.touch();
        assert.equal(child.warm(), true, `ended while being worked on (${i})`);
      }
      const until = Date.now() + 5000;
      while (child.warm()) {
        assert.ok(Date.now() < until, 'never ended after the quiet spell');
        await sleep(50);
      }
      // A save does not start it again: the next request does.
      child.touch();
      assert.equal(child.warm(), false);
      assert.equal(await child.ask({ value: 2 }), 2);
    } finally {
      await child.dispose();
    }
  });

  it('NIGHTSHIFT_IDLE_SCALE shortens every spell (a bench clock); nonsense is ignored', async () => {
    assert.equal(idleScale({ NIGHTSHIFT_IDLE_SCALE: '0.01' }), 0.01);
    assert.equal(idleScale({ NIGHTSHIFT_IDLE_SCALE: '-1' }), 1);
    assert.equal(idleScale({ NIGHTSHIFT_IDLE_SCALE: 'fast' }), 1);
    assert.equal(idleScale({}), 1);
    const was = process.env.NIGHTSHIFT_IDLE_SCALE;
    process.env.NIGHTSHIFT_IDLE_SCALE = '0.001';
    const child = new IdleChild<{ value: number }>(echoChild(), [], WARM_WHILE_WORKED_ON_MS, 'The test child');
    if (was === undefined) delete process.env.NIGHTSHIFT_IDLE_SCALE;
    else process.env.NIGHTSHIFT_IDLE_SCALE = was;
    try {
      await child.ask({ value: 1 });
      const until = Date.now() + 5000;
      while (child.warm()) {
        assert.ok(Date.now() < until, '15 minutes × 0.001 = 0.9 s, yet still warm');
        await sleep(50);
      }
    } finally {
      await child.dispose();
    }
  });
});
