/**
 * Faults of the headless host, on the built binary: a process killed mid-call, a state folder that
 * cannot be used, files a scan skips. Model calls go to the loopback server.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DecideProposalRequest } from '../../src/shared/agentProtocol';
import { connectDaemon } from '../../src/cli/daemonClient';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { CART_FIX } from '../harness/fixtureAnswers';
import { cliEnv, runCli, RunningCli, workspaceFrom } from './cliHarness';

interface LedgerLine {
  kind?: string;
  decision?: string;
  costUsd?: number;
  costSource?: string;
  taskKind?: string;
  backend?: string;
  model?: string;
  outcome?: string;
}

const ledgerLines = (stateDir: string): LedgerLine[] =>
  fs
    .readdirSync(path.join(stateDir, 'ledger'))
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => fs.readFileSync(path.join(stateDir, 'ledger', f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as LedgerLine);

const held = (stateDir: string): Array<{ pid: number; nano: number }> => {
  try {
    return (JSON.parse(fs.readFileSync(path.join(stateDir, 'ledger', 'reservations.json'), 'utf8')) as { held: Array<{ pid: number; nano: number }> }).held;
  } catch {
    return [];
  }
};

describe('nightshift (the built binary) under faults', () => {
  const server = new FakeModelServer();
  let url = '';
  const profiles = () => JSON.stringify([{ name: 'team', backend: 'litellm', baseUrl: url.replace(/\/v1$/, ''), model: 'MiniMax-M2.7' }]);

  before(async () => {
    url = await server.start();
    server.getRoutes.set('/key/info', () => ({ body: { info: { spend: 0, max_budget: 1000, team_id: null } } }));
  });
  after(() => server.close());

  it('books a call cut by kill -9 at its worst case, as an estimate, when the next process finds it', async () => {
    const { root, stateDir } = workspaceFrom('ts-error');
    const env = cliEnv(stateDir, { NIGHTSHIFT_API_KEY_TEAM: 'sk-team' });
    // The backend starts answering, then holds the reply open: the call is under way (and billed) when the process dies.
    server.enqueue({ content: 'TITLE: a fix that takes its time to arrive', stallAfterChunks: 1 });
    const before = server.chatRequests().length;
    const scan = new RunningCli(['scan', root, '--profiles', profiles(), '--backgroundProfile', 'team', '--streamIdleSeconds', '600', '--json'], env);
    await server.waitForChatRequests(before + 1);
    const [hold] = held(stateDir);
    assert.equal(hold?.pid, scan.child.pid, 'the call under way is reserved for the others to see');
    assert.equal(await scan.stop('SIGKILL'), null);
    assert.deepEqual(ledgerLines(stateDir).filter((l) => l.costUsd !== undefined), [], 'the killed process booked nothing');

    const next = await runCli(['budget', root, '--profiles', profiles(), '--backgroundProfile', 'team', '--json'], env);
    assert.equal(next.code, 0, next.stderr);
    const cut = ledgerLines(stateDir).filter((l) => l.costSource === 'estimate (call cut off)');
    assert.equal(cut.length, 1, JSON.stringify(ledgerLines(stateDir)));
    assert.deepEqual([cut[0].costUsd, cut[0].taskKind, cut[0].model, cut[0].outcome], [hold.nano / 1e9, 'fix', 'MiniMax-M2.7', 'error']);
    assert.deepEqual(held(stateDir), [], 'booked, so no longer held');
    assert.ok((JSON.parse(next.stdout) as { spentYearUsd: number }).spentYearUsd >= hold.nano / 1e9, 'the budget counts it');
    const again = await runCli(['budget', root, '--profiles', profiles(), '--backgroundProfile', 'team', '--json'], env);
    assert.equal(again.code, 0);
    assert.equal(ledgerLines(stateDir).filter((l) => l.costSource === 'estimate (call cut off)').length, 1, 'booked once');
  });

  it("books a client's \"accepted, applied\" on the daemon's socket only when the file holds the proposal's result, and says so", async () => {
    server.respondWith((r) => (JSON.stringify(r.body).includes('cart.ts') ? { content: CART_FIX } : { content: 'TITLE: none' }));
    const { root, stateDir } = workspaceFrom('ts-error');
    const env = cliEnv(stateDir);
    const watch = new RunningCli(['watch', root, '--json', '--baseUrl', url, '--settleDelayMs', '200', '--reviewSavedChanges', 'false'], env);
    try {
      await watch.waitFor(/"event":"proposal".*cart\.ts/, 60_000);
      const start = watch.events().find((e) => e.event === 'start' && typeof e.socket === 'string')!;
      const listed = JSON.parse((await runCli(['proposals', 'list', '--workspace', root, '--json'], env)).stdout) as Array<{ id: string; files: string[] }>;
      const proposal = listed.find((p) => p.files.includes('src/cart.ts'))!;
      const before = fs.readFileSync(path.join(root, 'src', 'cart.ts'), 'utf8');
      // Any process of the user can connect: this one says it applied the change, and did not.
      const client = await connectDaemon(String(start.socket));
      let answer: { ok: boolean; reason?: string };
      try {
        answer = await client.rpc.request(DecideProposalRequest, { id: proposal.id, decision: 'accept', applied: true });
      } finally {
        client.close();
      }
      assert.deepEqual(answer, { ok: false, reason: 'src/cart.ts does not hold its change: not booked as accepted' });
      assert.equal(fs.readFileSync(path.join(root, 'src', 'cart.ts'), 'utf8'), before);
      assert.deepEqual(ledgerLines(stateDir).filter((l) => l.kind === 'decision'), [], 'no accepted decision on its word');
      await watch.waitFor(/reported applied, but src\/cart\.ts does not hold its change: it is not booked as accepted/, 10_000).catch(() => undefined);
    } finally {
      assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
    }
  });
});
