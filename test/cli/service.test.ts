/**
 * `nightshift watch` as a long-running service, through the built binary: no defunct children,
 * what a client on its socket is called in the log, exit 4 under `--service`, and what
 * `nightshift service install --dry-run` would write.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { cliEnv, RunningCli, workspaceFrom } from './cliHarness';

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
});
