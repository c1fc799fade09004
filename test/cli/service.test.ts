/**
 * `nightshift watch` as a long-running service, through the built binary: no defunct children,
 * what a client on its socket is called in the log, exit 4 under `--service`, and what
 * `nightshift service install --dry-run` would write.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import * as path from 'node:path';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { CART_FIX } from '../harness/fixtureAnswers';
import { CLI as CLI_PATH, cliEnv, runCli, RunningCli, workspaceFrom } from './cliHarness';

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
      assert.deepEqual(
        children.filter((c) => c.state === 'Z'),
        [],
        `defunct children: ${JSON.stringify(children)}`,
      );
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
      // With no engine running, the list reads the store as it was left: the proposal waits no more.
      const listed = await runCli(['proposals', 'list', '--workspace', root, '--json'], env);
      assert.deepEqual(JSON.parse(listed.stdout), [], `${meanwhile}: proposals list\n${listed.stdout}`);
      const second = await runCli(['scan', root, '--baseUrl', url], env);
      assert.equal(second.code, 0, `${meanwhile}: a clean tree reports nothing\n${second.stdout}\n${second.stderr}`);
      assert.deepEqual((JSON.parse(second.stdout) as { proposals: unknown[] }).proposals, []);
      const ledger = fs
        .readdirSync(path.join(stateDir, 'ledger'))
        .filter((f) => f.endsWith('.jsonl'))
        .flatMap((f) =>
          fs
            .readFileSync(path.join(stateDir, 'ledger', f), 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        );
      const decisions = ledger.filter((l) => l.kind === 'decision').map((d) => [d.proposalId, d.decision, d.reason]);
      assert.deepEqual(decisions, meanwhile === 'applied outside' ? [[made.id, 'accepted', 'applied outside Nightshift']] : []);
    }
  });

  it('a kept proposal on an unchanged file whose problem an edit elsewhere fixed meanwhile is not reported by the next scan, nor by watch', async () => {
    const TOTAL = 'export const total: number = base;';
    server.respondWith((r) => (JSON.stringify(r.body).includes('src/total.ts') ? { content: ['TITLE: Convert base', 'WHY: base is a string', '<<<<<<< SEARCH', TOTAL, '=======', 'export const total: number = Number(base);', '>>>>>>> REPLACE'].join('\n') } : { content: 'TITLE: none' }));
    for (const host of ['scan', 'watch'] as const) {
      const { root, stateDir } = workspaceFrom('ts-error');
      fs.writeFileSync(path.join(root, 'src', 'base.ts'), 'export const base = "1";\n');
      fs.writeFileSync(path.join(root, 'src', 'total.ts'), `import { base } from './base';\n${TOTAL}\n`);
      const env = cliEnv(stateDir);
      const first = await runCli(['scan', root, '--baseUrl', url], env);
      const made = (JSON.parse(first.stdout) as { proposals: Array<{ title: string }> }).proposals.map((p) => p.title);
      assert.ok(made.includes('Convert base'), `${first.stdout}\n${first.stderr}`);
      // While no engine runs: base becomes a number; total.ts is untouched and has no error any more.
      fs.writeFileSync(path.join(root, 'src', 'base.ts'), 'export const base = 1;\n');
      if (host === 'scan') {
        const second = await runCli(['scan', root, '--baseUrl', url], env);
        const titles = (JSON.parse(second.stdout) as { proposals: Array<{ title: string }> }).proposals.map((p) => p.title);
        assert.ok(!titles.includes('Convert base'), `the fix of a problem gone is still reported: ${second.stdout}`);
      } else {
        const watch = new RunningCli(['watch', root, '--json', '--verbose', '--baseUrl', url, '--settleDelayMs', '100'], env);
        try {
          await watch.waitFor(/Proposal \\?"Convert base\\?" is stale: the problem it fixes is gone/);
          const list = await runCli(['proposals', 'list', '--workspace', root, '--json'], env);
          const open = (JSON.parse(list.stdout) as Array<{ title: string; stale?: string }>).filter((p) => p.title === 'Convert base' && !p.stale);
          assert.deepEqual(open, [], list.stdout);
        } finally {
          assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
        }
      }
    }
  });

  it('under --service, a workspace another engine holds is a clean exit (0, so no restart loop) that says why; without it, exit 4', async () => {
    server.respondWith(() => ({ content: 'TITLE: none' }));
    const { root, stateDir } = workspaceFrom('ts-error');
    const env = cliEnv(stateDir);
    const first = new RunningCli(['watch', root, '--baseUrl', url], env);
    try {
      await first.waitFor(/Watching/);
      const plain = await runCli(['watch', root, '--baseUrl', url], env);
      assert.equal(plain.code, 4, plain.stderr);
      const service = await runCli(['watch', root, '--baseUrl', url, '--service'], env);
      assert.equal(service.code, 0, service.stderr);
      assert.match(service.stderr, /is already working on .* As a service this is no failure \(exit 0, not restarted\)/);
    } finally {
      assert.equal(await first.stop('SIGTERM'), 0, first.stderr);
    }
  });

  it('the log names a terminal query for what it is ("A client connected: proposals"), not an editor', async () => {
    server.respondWith(() => ({ content: 'TITLE: none' }));
    const { root, stateDir } = workspaceFrom('ts-error');
    const env = cliEnv(stateDir);
    const watch = new RunningCli(['watch', root, '--baseUrl', url, '--verbose'], env);
    try {
      await watch.waitFor(/Watching/);
      const list = await runCli(['proposals', 'list', '--workspace', root], env);
      assert.equal(list.code, 0, list.stderr);
      await watch.waitFor(/A client \(proposals\) left/);
      assert.match(watch.stderr, /A client connected: proposals \(1 connected\)\./);
      assert.doesNotMatch(watch.stderr, /An editor attached/);
    } finally {
      assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
    }
  });

  it('service install --dry-run prints the unit or plist with this node, this CLI and the state folder, and writes nothing', async () => {
    const { root, stateDir } = workspaceFrom('ts-error');
    const home = path.join(stateDir, '..', 'home');
    fs.mkdirSync(home);
    const env = cliEnv(stateDir, { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') });
    const run = await runCli(['service', 'install', root, '--dry-run'], env);
    assert.equal(run.code, process.platform === 'linux' || process.platform === 'darwin' ? 0 : 2, run.stderr);
    if (run.code !== 0) return;
    assert.match(run.stdout, new RegExp(`Would write ${home.replace(/[.]/g, '\\.')}`));
    assert.ok(run.stdout.includes(CLI_PATH), run.stdout);
    assert.ok(run.stdout.includes(fs.realpathSync(root)), run.stdout);
    assert.ok(run.stdout.includes(stateDir), run.stdout);
    assert.ok(run.stdout.includes('--service'), run.stdout);
    assert.match(run.stdout, process.platform === 'linux' ? /RestartPreventExitStatus=2 4 5[\s\S]*systemctl --user enable --now nightshift-ws-[0-9a-f]{16}\.service/ : /SuccessfulExit[\s\S]*launchctl bootstrap gui\//);
    assert.equal(fs.readdirSync(home).length, 0, 'nothing written');
    // A setting given as a flag would not reach the service (it reads your config file): refused, naming it.
    const flagged = await runCli(['service', 'install', root, '--dry-run', '--model', 'gpt-5.4'], env);
    assert.equal(flagged.code, 2, flagged.stderr);
    assert.match(flagged.stderr, /nightshift service takes no setting flags \(--model\): the service reads your config file/);
  });

  // Only where a user systemd runs (not in this project's containers): install, see it run, uninstall.
  const userSystemd = process.platform === 'linux' && fs.existsSync('/run/systemd/system') && spawnSync('systemctl', ['--user', 'is-system-running']).status !== null && spawnSync('systemctl', ['--user', 'show-environment']).status === 0;
  it('service install starts a real systemd user unit, and uninstall removes it', { skip: !userSystemd && 'no user systemd here' }, async () => {
    const { root, stateDir } = workspaceFrom('ts-error');
    const env = cliEnv(stateDir);
    try {
      const install = await runCli(['service', 'install', root], env);
      assert.equal(install.code, 0, install.stderr + install.stdout);
      const until = Date.now() + 20_000;
      let status = await runCli(['status', '--workspace', root, '--json'], env);
      while (!(JSON.parse(status.stdout) as { engine: unknown }).engine && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 250));
        status = await runCli(['status', '--workspace', root, '--json'], env);
      }
      assert.ok((JSON.parse(status.stdout) as { engine: unknown }).engine, 'the service took the workspace');
    } finally {
      const removed = await runCli(['service', 'uninstall', root], env);
      assert.equal(removed.code, 0, removed.stderr);
    }
  });
});
