/**
 * The tuner in the agent, with the real provider and the loopback server: the arm it picks
 * shapes the request the model gets, decisions reach it, and a kind it keeps quiet costs nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { ProposalStore } from '../../../../src/core/proposals/ProposalStore';
import { Escalations } from '../../../../src/core/agent/escalations';
import { RECIPES } from '../../../../src/core/tuner/arms';
import { newTunerState, Tuner } from '../../../../src/core/tuner/Tuner';
import { FIX, loopbackModel, recordingHost, signal } from './recordingHost';

const userText = (body: unknown) => (body as { messages: Array<{ role: string; content: string }> }).messages.find((m) => m.role === 'user')?.content ?? '';

/** A tuner whose `kind` is held at `arm` (frozen there after enough results). */
function heldAt(kind: string, arm: 'lean' | 'wide' | 'silent'): Tuner {
  const t = new Tuner(newTunerState(7));
  for (let i = 0; i < 12; i++) {
    const key = `h${i}`;
    const acting = arm === 'silent' ? 'standard' : arm;
    t.recordRun(kind, key, acting, 0.002, true);
    t.recordFate(key, arm === 'silent' ? 'rejected' : 'accepted', arm === 'silent' ? 0 : 1);
  }
  t.control(kind, 'freeze');
  assert.equal(t.view([], false).find((v) => v.kind === kind)!.setting, arm);
  return t;
}

describe('BackgroundAgent with the tuner', { timeout: 60_000 }, () => {
  const { server, url } = loopbackModel();

  it('sends the lean recipe: half the output limit and its instruction', async () => {
    server.enqueue({ content: FIX });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host, new ProposalStore(undefined), new Escalations(), heldAt('fix', 'lean'));
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
    const body = server.chatRequests()[before].body as { max_completion_tokens: number };
    assert.equal(body.max_completion_tokens, 1024, 'half of the 2048 the host allows');
    assert.ok(userText(body).includes(RECIPES.lean.instruction));
  });

  it('books each decision with the tuner, on the arm the task ran with', async () => {
    server.enqueue({ content: FIX });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
    await agent.decide({ id: rec.proposals()[0].id, decision: 'accept' });
    const fix = agent.tuningView().find((v) => v.kind === 'fix')!;
    const decided = fix.arms.filter((a) => a.decided === 1);
    assert.equal(decided.length, 1);
    assert.equal(decided[0].keptRate, 1);
    assert.equal(
      fix.arms.reduce((n, a) => n + a.tasks, 0),
      1,
    );
  });

  it('a kind the tuner keeps quiet queues nothing and asks no model, and says so once', async () => {
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host, new ProposalStore(undefined), new Escalations(), heldAt('fix', 'silent'));
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    agent.onSettledDiagnostics(signal('export const other: number = "1";\n', 'file:///ws/src/b.ts'));
    assert.equal(agent.status().queued, 0);
    assert.equal(server.chatRequests().length, before);
    assert.equal(rec.logs.filter((l) => /The tuner keeps fix tasks quiet/.test(l)).length, 1);
  });

  /** A tuner for which escalated fix tasks paid for themselves (3 of 3 kept at $0.03). */
  function escalationsPaid(): Tuner {
    const t = new Tuner(newTunerState(8));
    for (let i = 0; i < 3; i++) {
      t.recordRun('fix', `e${i}`, 'escalation', 0.03, true);
      t.recordFate(`e${i}`, 'accepted', 1);
    }
    return t;
  }

  it('escalates a failed fix by itself where escalations paid and the settings allow it, and not otherwise', async () => {
    for (const allowed of [true, false]) {
      server.enqueue({ content: 'TITLE: none' });
      if (allowed) server.enqueue({ content: FIX });
      const rec = recordingHost(url, {}, {}, undefined, undefined, url);
      const settings = rec.host.settings;
      rec.host.settings = () => ({ ...settings(), autoEscalate: allowed });
      const agent = new BackgroundAgent(rec.host, new ProposalStore(undefined), new Escalations(), escalationsPaid());
      const before = server.chatRequests().length;
      agent.onSettledDiagnostics(signal());
      if (allowed) {
        await rec.until(() => rec.proposals().length === 1);
        const models = server
          .chatRequests()
          .slice(before)
          .map((r) => (r.body as { model: string }).model);
        assert.deepEqual(models, ['MiniMax-M2.7', 'gpt-5.4']);
        assert.match(rec.logs.join('\n'), /Escalating the fix task for src\/a\.ts by itself: escalated fix tasks pay: 3 of 3 kept at \$0\.03 each\./);
        assert.equal(rec.escalations().length, 0);
      } else {
        await rec.until(() => rec.escalations().length === 1);
        assert.equal(server.chatRequests().length - before, 1, 'only the background call');
      }
      await agent.dispose();
    }
  });

  it('counts a proposal left open for a week as ignored, once', async () => {
    server.enqueue({ content: FIX });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
    const standard = () =>
      agent
        .tuningView()
        .find((v) => v.kind === 'fix')!
        .arms.find((a) => a.arm === 'standard')!;
    agent.publishAll();
    assert.equal(standard().decided, 0, 'a day old: still waiting');
    rec.clock.now = new Date(rec.clock.now.getTime() + 8 * 24 * 3600_000);
    agent.publishAll();
    agent.publishAll();
    assert.deepEqual([standard().decided, standard().keptRate], [1, 0]);
  });
});
