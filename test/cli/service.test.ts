/**
 * `nightshift watch` as a long-running service, through the built binary: no defunct children,
 * what a client on its socket is called in the log, exit 4 under `--service`, and what
 * `nightshift service install --dry-run` would write.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as path from 'node:path';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { CART_FIX } from '../harness/fixtureAnswers';
import { cliEnv, runCli, RunningCli, workspaceFrom } from './cliHarness';

/** The children of a process, with their state letter (Linux: /proc). */
function childrenOf(pid: number): Array<{ pid: number; state: string; cmd: string }> {
  const found: Array<{ pid: number; state: string; cmd: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
      const close = stat.lastIndexOf(')');
      const [state, ppid] = stat.slice(close + 2).split(' ');
      if (Number(ppid) === pid) found.push({ pid: Number(entry), state, cmd: stat.slice(stat.indexOf('(') + 1, close) });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

describe('nightshift watch as a service (the built binary)', () => {
  const server = new FakeModelServer();
  let url = '';

  before(async () => {
    url = await server.start();
  });
  after(() => server.close());

  it('keeps no defunct child after start (the watcher is asked for its platform backend, not left to probe for watchman)', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    server.respondWith(() => ({ content: 'TITLE: none' }));
    const { root, stateDir } = workspaceFrom('ts-error');
    const watch = new RunningCli(['watch', root, '--json', '--baseUrl', url, '--settleDelayMs', '100'], cliEnv(stateDir));
    try {
      await watch.waitFor(/"event":"start".*Watching files/);
      // Today's problems are read and worked on after ready (the TypeScript process starts): let that happen, then look.
      await new Promise((r) => setTimeout(r, 1500));
      const children = childrenOf(watch.child.pid!);
      assert.deepEqual(children.filter((c) => c.state === 'Z'), [], `defunct children: ${JSON.stringify(children)}`);
    } finally {
      assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
    }
  });

  it('a proposal kept from an earlier run whose file changed meanwhile is not reported by the next scan; one whose file holds its result is booked as applied outside', async () => {
    server.respondWith((r) => (JSON.stringify(r.body).includes('cart.ts') ? { content: CART_FIX } : { content: 'TITLE: none' }));
    for (const meanwhile of ['fixed by hand', 'applied outside'] as const) {
      const { root, stateDir } = workspaceFrom('ts-error');
      const env = cliEnv(stateDir);
      const first = await runCli(['scan', root, '--baseUrl', url], env);
      assert.equal(first.code, 1, first.stderr);
      const [made] = (JSON.parse(first.stdout) as { proposals: Array<{ id: string; files: Array<{ path: string; diff: string }> }> }).proposals;
      const cart = path.join(root, 'src', 'cart.ts');
      const before = fs.readFileSync(cart, 'utf8');
      // While no engine runs: the user fixes it their own way, or applies the very change (git apply, by hand).
      const now = meanwhile === 'fixed by hand' ? before.replace('const count: number = cart.items.length.toString();', 'const count = cart.items.length;') : before.replace('cart.items.length.toString();', 'cart.items.length;');
      assert.notEqual(now, before);
      fs.writeFileSync(cart, now);
      const second = await runCli(['scan', root, '--baseUrl', url], env);
      assert.equal(second.code, 0, `${meanwhile}: a clean tree reports nothing\n${second.stdout}\n${second.stderr}`);
      assert.deepEqual((JSON.parse(second.stdout) as { proposals: unknown[] }).proposals, []);
      const ledger = fs.readdirSync(path.join(stateDir, 'ledger')).filter((f) => f.endsWith('.jsonl')).flatMap((f) => fs.readFileSync(path.join(stateDir, 'ledger', f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
      const decisions = ledger.filter((l) => l.kind === 'decision').map((d) => [d.proposalId, d.decision, d.reason]);
      assert.deepEqual(decisions, meanwhile === 'applied outside' ? [[made.id, 'accepted', 'applied outside Nightshift']] : []);
    }
  });
});
