import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { FIX, loopbackModel, recordingHost, signal } from '../../../unit/core/agent/recordingHost';

describe('BackgroundAgent keeps its schedule, with the real provider and the loopback server', { timeout: 120_000 }, () => {
  const { server, url } = loopbackModel();

  it('turns a nightshift: marker comment into a todo task, once per instruction', async () => {
    const text = '// nightshift: make answer a number\nexport const answer = "42";\n';
    const answer = ['TITLE: Make answer a number', 'WHY: asked for', '<<<<<<< SEARCH', '// nightshift: make answer a number', 'export const answer = "42";', '=======', 'export const answer = 42;', '>>>>>>> REPLACE'].join('\n');
    server.enqueue({ content: answer });
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    const marker = { ...signal(text, 'file:///ws/src/m.ts'), diagnostics: [] };
    agent.onSettledDiagnostics(marker);
    await rec.until(() => rec.proposals().length === 1);
    const p = rec.proposals()[0];
    assert.equal(p.kind, 'todo');
    assert.match(JSON.stringify(server.chatRequests().at(-1)!.body), /the marker comment on line 1 asks: make answer a number/);
    assert.match(p.files[0].diff, /^-\/\/ nightshift: make answer a number$/m);
    // An edit elsewhere in the file does not ask again while the proposal is open.
    agent.onSettledDiagnostics({ ...marker, text: text + '// more\n' });
    await rec.until(() => rec.statuses.length > 0 && rec.last().state === 'idle');
    assert.equal(server.chatRequests().length, before + 1);
  });

  it('makes no call in quiet hours, and goes on when they end', async () => {
    const rec = recordingHost(url);
    const hour = new Date('2026-11-21T12:00:00Z').getHours();
    rec.quiet.value = `${String(hour).padStart(2, '0')}:00-${String((hour + 1) % 24).padStart(2, '0')}:00`;
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    assert.match(rec.last().detail, /^Quiet hours until .*: 1 task\(s\) wait\.$/);
    assert.equal(rec.timers.length, 1);
    assert.equal(rec.timers[0].ms, 3600_000);
    assert.equal(server.chatRequests().length, before);
    rec.quiet.value = '';
    server.enqueue({ content: FIX });
    rec.timers.shift()!.fn();
    await rec.until(() => rec.proposals().length === 1);
  });

  it('outside its working hours makes no call, and starts when they begin', async () => {
    const rec = recordingHost(url);
    const hour = rec.clock.now.getHours();
    const hh = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
    rec.schedule.workHours = `${hh(hour + 2)}-${hh(hour + 4)}`;
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    assert.match(rec.last().detail, /^Outside the working hours \(\d\d:00-\d\d:00\) until .*: 1 task\(s\) wait\.$/);
    assert.equal(rec.timers.at(-1)!.ms, 2 * 3600_000, 'it waits until the window opens');
    assert.equal(server.chatRequests().length, before);
    rec.schedule.workHours = `${hh(hour)}-${hh(hour + 1)}`;
    server.enqueue({ content: FIX });
    rec.timers.shift()!.fn();
    await rec.until(() => rec.proposals().length === 1);
  });

  it('under an only-while-idle policy waits while the user types, and works once they step away', async () => {
    const rec = recordingHost(url);
    rec.schedule.onlyWhenIdle = true;
    const agent = new BackgroundAgent(rec.host);
    agent.setUserActive(true);
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    assert.match(rec.last().detail, /only while you are away from the keyboard: 1 task\(s\) wait/);
    assert.equal(server.chatRequests().length, before);
    server.enqueue({ content: FIX });
    agent.setUserActive(false);
    await rec.until(() => rec.proposals().length === 1);
    assert.equal(server.chatRequests().length, before + 1);
  });

  it('without that policy works while the user types', async () => {
    const rec = recordingHost(url);
    const agent = new BackgroundAgent(rec.host);
    agent.setUserActive(true);
    server.enqueue({ content: FIX });
    agent.onSettledDiagnostics(signal());
    await rec.until(() => rec.proposals().length === 1);
  });
});
