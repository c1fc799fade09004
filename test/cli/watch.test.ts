import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { cliEnv, runCli, RunningCli, workspaceFrom } from './cliHarness';

const GREETING_BAD = 'export function greet(name: string): string {\n  const n: number = name;\n  return `Hello, ${n}!`;\n}\n';
const GREETING_FIX = ['TITLE: Use the name as a string', 'WHY: a string was assigned to a number', '<<<<<<< SEARCH', '  const n: number = name;', '=======', '  const n: string = name;', '>>>>>>> REPLACE'].join('\n');

function ledgerLines(stateDir: string): Array<Record<string, unknown>> {
  const dir = path.join(stateDir, 'ledger');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('nightshift watch (the built binary as a daemon)', () => {
  const server = new FakeModelServer();
  let url = '';

  before(async () => {
    url = await server.start();
  });
  after(() => server.close());

  it('turns an error written while it runs into a proposal, which proposals list/apply reach through its socket; SIGTERM stops it cleanly', async () => {
    // The fixture's own error in cart.ts is answered with nothing to propose.
    server.respondWith((r) => (JSON.stringify(r.body).includes('greeting.ts') ? { content: GREETING_FIX } : { content: 'TITLE: none' }));
    const { root, stateDir } = workspaceFrom('ts-error');
    const env = cliEnv(stateDir);
    const watch = new RunningCli(['watch', root, '--json', '--baseUrl', url, '--settleDelayMs', '200'], env);
    try {
      await watch.waitFor(/"event":"start".*Watching files/);
      const start = watch.events().find((e) => e.event === 'start' && String(e.text).startsWith('Watching files'))!;
      assert.match(String(start.text), /native \(@parcel\/watcher\)/);
      fs.writeFileSync(path.join(root, 'src', 'greeting.ts'), GREETING_BAD);
      await watch.waitFor(/"event":"proposal".*greeting\.ts/, 30_000);
      const proposal = watch.events().find((e) => e.event === 'proposal' && String(e.text).includes('greeting.ts'))!;
      assert.equal(proposal.evidence, 'type-checked');

      const list = await runCli(['proposals', 'list', '--workspace', root, '--json'], env);
      assert.equal(list.code, 0, list.stderr);
      const listed = JSON.parse(list.stdout) as Array<{ id: string; files: string[] }>;
      const mine = listed.find((p) => p.files.includes('src/greeting.ts'));
      assert.ok(mine, list.stdout);

      const applied = await runCli(['proposals', 'apply', mine.id.slice(0, 8), '--workspace', root], env);
      assert.equal(applied.code, 0, applied.stderr);
      assert.match(fs.readFileSync(path.join(root, 'src', 'greeting.ts'), 'utf8'), /const n: string = name;/);
      const decided = ledgerLines(stateDir).filter((l) => l.kind === 'decision');
      assert.deepEqual(
        decided.map((d) => [d.proposalId, d.decision]),
        [[mine.id, 'accepted']],
      );
    } finally {
      const code = await watch.stop('SIGTERM');
      assert.equal(code, 0, watch.stderr);
    }
    assert.match(watch.stderr, /Stopped; nothing left half-written/);
    const store = JSON.parse(fs.readFileSync(fs.readdirSync(path.join(stateDir, 'workspaces')).map((d) => path.join(stateDir, 'workspaces', d, 'proposals.json'))[0], 'utf8')) as { open: unknown[] };
    assert.ok(Array.isArray(store.open));
    // The lock and the socket are gone with it.
    const wsDir = path.join(stateDir, 'workspaces', fs.readdirSync(path.join(stateDir, 'workspaces'))[0]);
    assert.equal(fs.existsSync(path.join(wsDir, 'engine.json')), false);
    assert.equal(fs.existsSync(path.join(wsDir, 'daemon.sock')), false);
  });

  it('takes up a marker comment written into a clean file of the TypeScript project while it runs (a save, as the editor sends it)', async () => {
    server.respondWith(() => ({ content: 'TITLE: none' }));
    const { root, stateDir } = workspaceFrom('ts-error', { 'src/cart.ts': 'export const total = 1;\n' });
    const watch = new RunningCli(['watch', root, '--json', '--baseUrl', url, '--settleDelayMs', '200', '--reviewSavedChanges', 'false'], cliEnv(stateDir));
    try {
      await watch.waitFor(/"event":"start".*Watching files/);
      const before = server.chatRequests().length;
      // A file the project already holds (a new one is not in it yet, and was always sent as a save).
      fs.writeFileSync(path.join(root, 'src', 'cart.ts'), '// nightshift: add a function that doubles a number\nexport const total = 1;\n');
      const until = Date.now() + 30_000;
      while (
        !server
          .chatRequests()
          .slice(before)
          .some((r) => r.rawBody.includes('cart.ts'))
      ) {
        assert.ok(Date.now() < until, `no task for the marker comment:\n${watch.stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
    }
  });

  it('refuses a second watch on the same workspace and names the first', async () => {
    server.respondWith(() => ({ content: 'TITLE: none' }));
    const { root, stateDir } = workspaceFrom('ts-error');
    const env = cliEnv(stateDir);
    const first = new RunningCli(['watch', root, '--baseUrl', url], env);
    try {
      await first.waitFor(/Watching/);
      const second = await runCli(['watch', root, '--baseUrl', url], env);
      assert.equal(second.code, 4);
      assert.match(second.stderr, new RegExp(`Not started: nightshift watch \\(pid ${first.child.pid}, since .*\\) is already working on`));
      const status = await runCli(['status', '--workspace', root, '--json'], env);
      assert.equal((JSON.parse(status.stdout) as { engine: { host: string; pid: number } }).engine.pid, first.child.pid);
    } finally {
      assert.equal(await first.stop('SIGINT'), 0);
    }
    // Once it is gone, the workspace is free again.
    const status = await runCli(['status', '--workspace', root, '--json'], env);
    assert.equal((JSON.parse(status.stdout) as { engine: unknown }).engine, null);
  });

  it('on SIGTERM in the middle of a call cancels it, books what arrived, and exits 0', async () => {
    const { root, stateDir } = workspaceFrom('ts-error');
    server.respondWith(() => ({ content: 'TITLE: slow\nWHY: ' + 'x'.repeat(2000), stallAfterChunks: 3 }));
    const before = server.chatRequests().length;
    const watch = new RunningCli(['watch', root, '--baseUrl', url, '--settleDelayMs', '100'], cliEnv(stateDir));
    await watch.waitFor(/Watching/);
    await server.waitForChatRequests(before + 1);
    await new Promise((r) => setTimeout(r, 300));
    const code = await watch.stop('SIGTERM');
    assert.equal(code, 0, watch.stderr);
    assert.match(watch.stderr, /Terminated: stopping/);
    const calls = ledgerLines(stateDir).filter((l) => l.kind !== 'decision');
    assert.equal(calls.length, 1, JSON.stringify(calls));
    assert.ok(Number(calls[0].outputTokens) > 0, 'what arrived is booked');
  });
});
