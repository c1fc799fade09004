/**
 * A file the privacy rules never read gets no task (outside test, issue 23): a compiler's free fix
 * asked nothing of the model, yet its proposal put the file's text — an .env linked in as a source
 * file — in the diff, the state folder and a scan's report. With the real provider and the loopback
 * server; the compiler fixer stands for TypeScript's (its one port), the gate is the real one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { loopbackModel, recordingHost, signal } from './recordingHost';

describe('BackgroundAgent: files the privacy rules never read', { timeout: 30_000 }, () => {
  const { server, url } = loopbackModel();

  it('takes no task for them: no free fix, no model call, and says why; another file still gets its free fix', async () => {
    const rec = recordingHost(url, {}, { exclude: ['src/envdefaults.ts'] });
    const asked: string[] = [];
    rec.host.compilerFixes = {
      tool: () => 'TypeScript 5.9.3',
      fixes: async (filePath, text) => {
        asked.push(filePath);
        return [{ fixName: 'fixMissingConst', description: "Add 'const'", files: [{ filePath, before: text, after: text.replace('STRIPE_KEY=', 'const STRIPE_KEY=') }] }];
      },
    };
    rec.host.verifier = { verify: async () => ({ status: 'passed', level: 'type-checked', detail: 'ok', proved: [0] }) };
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal('STRIPE_KEY=sk_live_51Habc\n', 'file:///ws/src/envdefaults.ts'));
    await agent.freeFixesSettled();
    assert.deepEqual(asked, [], 'the compiler was not asked');
    assert.equal(rec.proposals().length, 0);
    assert.equal(server.chatRequests().length, before);
    assert.ok(
      rec.logs.some((l) => /^Skipped src\/envdefaults\.ts: never read: it is excluded/.test(l)),
      rec.logs.join('\n'),
    );
    agent.onSettledDiagnostics(signal('STRIPE_KEY=1\n', 'file:///ws/src/ok.ts'));
    await agent.freeFixesSettled();
    await rec.until(() => rec.proposals().length === 1);
    assert.equal(asked.length, 1);
    await agent.dispose();
  });
});
