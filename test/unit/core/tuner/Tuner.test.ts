import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { newTunerState, replayTuner, Tuner, type TunerLogEntry } from '../../../../src/core/tuner/Tuner';
import { openTuner } from '../../../../src/core/tuner/tunerStore';
import { reward, VALUE_OF_ACCEPTED_USD } from '../../../../src/core/tuner/reward';
import { revertWatches } from '../../../../src/core/tuner/reverts';
import { fileChange } from '../../../../src/core/proposals/hunks';
import { Random } from '../../../../src/core/tuner/sampling';

const NOW = () => new Date('2026-12-02T12:00:00Z');
let n = 0;
/** One task of `kind` on `arm` that gave a proposal the developer accepted (or not). */
function decided(t: Tuner, kind: string, arm: 'standard' | 'lean' | 'wide', accepted: boolean, costUsd = 0.002): string {
  const key = `k${++n}`;
  t.recordRun(kind, key, arm, costUsd, true);
  t.recordFate(key, accepted ? 'accepted' : 'rejected', accepted ? 1 : 0);
  return key;
}

describe('reward', () => {
  it('is the kept share, less attention for what was not wanted, less cost at the value of an accepted proposal', () => {
    assert.equal(reward({ shown: true, kept: 1, costUsd: 0 }), 1);
    assert.equal(reward({ shown: true, kept: 0, costUsd: 0 }), -0.25);
    assert.equal(reward({ shown: false, costUsd: VALUE_OF_ACCEPTED_USD }), -1);
    assert.ok(reward({ shown: true, kept: 0.5, costUsd: 0 }) > 0 && reward({ shown: true, kept: 0.5, costUsd: 0 }) < 1);
  });
});

describe('Tuner', () => {
  it('keeps a kind the developer always rejects quiet, and never a kind they asked for always', () => {
    const t = new Tuner(newTunerState(3), undefined, NOW);
    let shown = 0;
    for (let i = 0; i < 200; i++) {
      const c = t.choose('refactor');
      if (c.arm === 'silent') continue;
      const key = `r${i}`;
      t.recordRun('refactor', key, c.arm, 0.003, true, c.exploring);
      t.recordFate(key, 'rejected', 0);
      if (i >= 100) shown++;
    }
    assert.equal(t.view([], false).find((v) => v.kind === 'refactor')!.setting, 'silent');
    assert.ok(shown <= 5, `${shown} refactors shown in the second hundred signals`);
    for (let i = 0; i < 50; i++) assert.notEqual(t.choose('refactor', true).arm, 'silent');
  });

  it('does not go quiet on a kind before any arm has shown what it earns, and first learns how the standard recipe does', () => {
    const t = new Tuner(newTunerState(9), undefined, NOW);
    for (let i = 0; i < 300; i++) assert.deepEqual(t.choose('fix'), { arm: 'standard', exploring: false, why: 'standard: learning how it does first (0 of 8 decisions)' });
    for (let i = 0; i < 7; i++) decided(t, 'fix', 'standard', false);
    assert.equal(t.choose('fix').arm, 'standard');
    decided(t, 'fix', 'standard', false);
    const arms = new Set(Array.from({ length: 200 }, () => t.choose('fix').arm));
    assert.ok(arms.size > 1, 'with 8 decisions in, other arms are tried');
  });

  it('changes the setting to an arm that earns more, and rolls the change back when it then earns less', () => {
    const t = new Tuner(newTunerState(1), undefined, NOW);
    for (let i = 0; i < 10; i++) decided(t, 'fix', 'standard', i % 2 === 0);
    for (let i = 0; i < 10; i++) decided(t, 'fix', 'lean', true);
    let v = t.view([], false)[0];
    assert.equal(v.setting, 'lean');
    assert.match(v.why, /On trial/);
    for (let i = 0; i < 20; i++) decided(t, 'fix', 'lean', false);
    v = t.view([], false)[0];
    assert.equal(v.setting, 'standard');
    assert.match(v.history.at(-1)!.why, /^rolled back: the 20 tasks since the change earned -0\.\d+ each against 0\.\d+ before$/);
    // Rolled back, lean sits out: more good lean results do not bring it back at once.
    for (let i = 0; i < 5; i++) decided(t, 'fix', 'lean', true);
    assert.equal(t.view([], false)[0].setting, 'standard');
  });

  it('keeps trying other arms within the exploration budget only', () => {
    const t = new Tuner(newTunerState(5), undefined, NOW);
    for (let i = 0; i < 8; i++) decided(t, 'fix', 'standard', i % 2 === 0);
    // Wide looks very good but costs $0.05 a task: each try spends about that beyond the setting.
    for (let i = 0; i < 3; i++) decided(t, 'fix', 'wide', true, 0.05);
    const whys: string[] = [];
    let tried = 0;
    for (let i = 0; i < 60; i++) {
      const c = t.choose('fix');
      whys.push(c.why);
      if (c.arm === 'wide') {
        tried++;
        t.recordRun('fix', `e${i}`, 'wide', 0.05, false, c.exploring);
      } else {
        t.recordRun('fix', `e${i}`, 'standard', 0.002, false, c.exploring);
      }
    }
    assert.ok(tried <= 2, `wide tried ${tried} times`);
    assert.ok(whys.some((w) => /would pass the exploration budget/.test(w)));
  });

  it('counts an accepted change undone within its window as reverted, not after it', () => {
    let now = NOW();
    const t = new Tuner(newTunerState(2), undefined, () => now);
    const base = 'const a = 1;\nconst total = lenght;\n';
    const change = fileChange('file:///w/a.ts', 'a.ts', base, [{ offset: base.indexOf('lenght'), length: 6, newText: 'length', search: 'lenght' }]);
    const key = decided(t, 'fix', 'standard', true);
    t.watchForRevert(key, revertWatches([change]), new Date(now.getTime() + 3600_000));
    assert.deepEqual(t.checkReverts('file:///w/a.ts', 'const a = 1;\nconst total = length;\n'), []);
    assert.deepEqual(t.checkReverts('file:///w/a.ts', base), [key]);
    assert.equal(t.view([], false)[0].arms.find((a) => a.arm === 'standard')!.keptRate, 0);
    const later = decided(t, 'fix', 'standard', true);
    t.watchForRevert(later, revertWatches([change]), new Date(now.getTime() + 3600_000));
    now = new Date(now.getTime() + 2 * 3600_000);
    assert.deepEqual(t.checkReverts('file:///w/a.ts', base), [], 'past the window it stays accepted');
  });

  it('escalates a kind by itself only once escalated tasks of it paid for themselves', () => {
    const t = new Tuner(newTunerState(4), undefined, NOW);
    assert.equal(t.autoEscalation('fix').on, false);
    for (let i = 0; i < 3; i++) {
      t.recordRun('fix', `x${i}`, 'escalation', 0.03, true);
      t.recordFate(`x${i}`, 'accepted', 1);
    }
    assert.deepEqual(t.autoEscalation('fix'), { on: true, why: 'escalated fix tasks pay: 3 of 3 kept at $0.03 each' });
    for (let i = 0; i < 3; i++) {
      t.recordRun('todo', `y${i}`, 'escalation', 0.2, true);
      t.recordFate(`y${i}`, 'rejected', 0);
    }
    assert.equal(t.autoEscalation('todo').on, false);
  });

  it('freezes a kind at its setting, and a reset forgets what it learnt', () => {
    const t = new Tuner(newTunerState(6), undefined, NOW);
    for (let i = 0; i < 10; i++) decided(t, 'fix', 'lean', true);
    t.control('fix', 'freeze');
    const setting = t.view([], false)[0].setting;
    for (let i = 0; i < 30; i++) assert.deepEqual(t.choose('fix'), { arm: setting, exploring: false, why: `frozen at ${setting}` });
    t.control('fix', 'reset');
    const v = t.view([], false)[0];
    assert.deepEqual([v.setting, v.frozen, v.history.length, v.arms.every((a) => a.tasks === 0)], ['standard', false, 0, true]);
  });

  it('logs every choice with what it was based on, so a period replays to the same choices and state', () => {
    const log: TunerLogEntry[] = [];
    const world = new Random(99);
    const live = openTunerInMemory(log);
    for (let i = 0; i < 400; i++) {
      const kind = world.next() < 0.6 ? 'fix' : 'review';
      const c = live.choose(kind);
      if (c.arm === 'silent') continue;
      const shown = world.next() < 0.8;
      live.recordRun(kind, `t${i}`, c.arm, 0.002, shown, c.exploring);
      if (shown) {
        const accepted = world.next() < (kind === 'fix' ? 0.6 : 0.1);
        live.recordFate(`t${i}`, accepted ? 'accepted' : 'rejected', accepted ? 1 : 0);
      }
    }
    const replay = replayTuner(log);
    assert.ok(replay.choices >= 400);
    assert.equal(replay.mismatches, 0);
    assert.deepEqual(replay.state, live.snapshot());
  });

  function openTunerInMemory(log: TunerLogEntry[]): Tuner {
    const state = newTunerState(12345);
    log.push({ event: 'load', at: NOW().toISOString(), state: structuredClone(state) });
    return new Tuner(state, (e) => log.push(structuredClone(e)), NOW);
  }
});

describe('openTuner (state on disk)', () => {
  it('keeps the tuning across a restart, and sets an unreadable state file aside with a message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-tuner-'));
    const problems: string[] = [];
    const t = openTuner(dir, (m) => problems.push(m), NOW);
    for (let i = 0; i < 10; i++) decided(t, 'fix', 'lean', true);
    await new Promise((r) => setImmediate(r));
    assert.equal(openTuner(dir, (m) => problems.push(m), NOW).view([], false)[0].setting, 'lean');
    const lines = fs
      .readFileSync(path.join(dir, 'tuner-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as TunerLogEntry);
    assert.equal(lines[0].event, 'load');
    assert.ok(lines.some((l) => l.event === 'change'));
    fs.writeFileSync(path.join(dir, 'tuner.json'), '{"version":1,"seed":');
    const fresh = openTuner(dir, (m) => problems.push(m), NOW);
    assert.equal(fresh.view([], false).length, 0);
    assert.match(problems.join('\n'), /The tuning state could not be read \(.+\); it was set aside as tuner\.json\.unreadable-\d+ and tuning starts afresh\./);
    assert.ok(fs.readdirSync(dir).some((f) => f.startsWith('tuner.json.unreadable-')));
  });
});
