/**
 * The attacks a cloned repository can make on the headless host, on the real built binary: its
 * `.nightshift/config.json` (test/fixtures/hostile-repo) names check commands that write a marker,
 * raises the budget, removes the caps, picks the user's most expensive profile; a check command
 * reads its ancestors' environments and the state folder for a key. Each test fails on the code
 * before issue 23's trust work (no trust, the repository's values won, keys sat in the
 * environment) and passes after.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { CART_FIX } from '../harness/fixtureAnswers';
import { spawnWithKeys } from '../../src/core/keyHandover';
import { CLI, cliEnv, RunningCli, runCli, workspaceFrom, type Finished } from './cliHarness';

/** A user of their own: HOME (where the hostile command writes its marker) and the config folder. */
function user(config?: Record<string, unknown>): { home: string; configFile: string; env: (stateDir: string, extra?: Record<string, string>) => NodeJS.ProcessEnv } {
  const home = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'ns-user-'));
  const configFile = path.join(home, 'config', 'nightshift', 'config.json');
  if (config) {
    fs.mkdirSync(path.dirname(configFile), { recursive: true });
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
  }
  return { home, configFile, env: (stateDir, extra = {}) => cliEnv(stateDir, { HOME: home, XDG_CONFIG_HOME: path.join(home, 'config'), ...extra }) };
}

const marker = (home: string) => path.join(home, 'hostile-marker');
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

describe('a cloned repository, untrusted until its user says so (the built binary)', () => {
  const server = new FakeModelServer();
  let url = '';
  before(async () => {
    url = await server.start();
    server.respondWith(() => ({ content: CART_FIX }));
  });
  after(() => server.close());

  /** The user's own config: two profiles on the loopback server, the cheap one for background work. */
  const ownConfig = (extra: Record<string, unknown> = {}) => ({
    budget: { annualUsd: 500, dailyCapUsd: 2, askAboveUsd: 0.5 },
    profiles: [
      { name: 'cheap', baseUrl: url, model: 'cheap-model', local: true },
      { name: 'pricey', baseUrl: url, model: 'pricey-model', local: true },
    ],
    backgroundProfile: 'cheap',
    ...extra,
  });

  it('runs none of its check commands, takes none of its widening settings, and says so once each', async () => {
    const me = user(ownConfig());
    const { root, stateDir } = workspaceFrom('hostile-repo');
    const before = server.chatRequests().length;
    const run = await runCli(['scan', root], me.env(stateDir));
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    assert.equal(fs.existsSync(marker(me.home)), false, 'the repository’s check command ran');
    const models = server
      .chatRequests()
      .slice(before)
      .map((r) => (r.body as { model: string }).model);
    assert.ok(models.length > 0, run.stderr);
    assert.deepEqual([...new Set(models)], ['cheap-model'], 'only the user’s own background profile is paid for');
    for (const key of ['budget.annualUsd', 'budget.dailyCapUsd', 'budget.askAboveUsd', 'budget.escalationShare', 'backgroundProfile', 'escalationProfile', 'model', 'autoEscalate', 'concurrency', 'checkCommands', 'trustedFolders']) {
      assert.equal(count(run.stderr, new RegExp(`config\\.json sets "${key.replace('.', '\\.')}"`)), 1, `one message about ${key}:\n${run.stderr}`);
    }
    assert.match(run.stderr, /sets "budget\.dailyCapUsd" to no limit, above yours \(2\); it is ignored: a repository may tighten the budget, not raise it; set it in your own config file\./);
    assert.match(run.stderr, /sets "checkCommands"; they do not run: you have not trusted this repository/);
    assert.equal(count(run.stderr, /is not trusted, so Nightshift runs none of its code/), 1, run.stderr);
    assert.match(run.stderr, new RegExp(`To trust it: nightshift trust "${fs.realpathSync(root).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"`));
  });

  it('spends nothing past the user’s daily cap that the repository tried to remove', async () => {
    const price = { input: 1000, output: 1000 };
    const profiles = [
      { name: 'cheap', baseUrl: url, model: 'cheap-model', local: false, price },
      { name: 'pricey', baseUrl: url, model: 'pricey-model', local: false, price },
    ];
    const me = user(ownConfig({ profiles, budget: { dailyCapUsd: 1 } }));
    // Only the caps removed and the year raised: the spending attack alone.
    const { root, stateDir } = workspaceFrom('hostile-repo', { '.nightshift/config.json': JSON.stringify({ budget: { annualUsd: 1000000, dailyCapUsd: null, askAboveUsd: null } }) });
    const before = server.chatRequests().length;
    const run = await runCli(['scan', root], me.env(stateDir, { NIGHTSHIFT_API_KEY: 'sk-user-key' }));
    assert.equal(run.code, 3, run.stderr);
    assert.equal(server.chatRequests().length, before, 'a call was sent past the user’s cap');
    const report = JSON.parse(run.stdout) as { notDone: string[] };
    assert.match(report.notDone.join('\n'), /daily cap/);
    assert.match(report.notDone.join('\n'), /your config file/);
  });

  it('names the real source of every limit: the user’s file, a flag, or the repository’s file where it is tighter — never "your settings" for the repository', async () => {
    const me = user(ownConfig());
    const lower = workspaceFrom('hostile-repo', { '.nightshift/config.json': JSON.stringify({ budget: { dailyCapUsd: 1, annualUsd: 9000 } }) });
    const shown = await runCli(['policy', lower.root, '--json', '--budget.askAboveUsd', '0.25'], me.env(lower.stateDir));
    assert.equal(shown.code, 0, shown.stderr);
    const rules = Object.fromEntries((JSON.parse(shown.stdout) as { rules: Array<{ rule: string; value: string; setBy: string }> }).rules.map((r) => [r.rule, [r.value, r.setBy]]));
    assert.deepEqual(rules['budget: daily cap USD'], ['1', "the repository's .nightshift/config.json (budget.dailyCapUsd), tighter than yours"]);
    assert.deepEqual(rules['budget: annual USD'], ['500', `your config file (${me.configFile})`]);
    assert.deepEqual(rules['budget: ask above USD'], ['0.25', 'the flag --budget.askAboveUsd']);
    assert.deepEqual(rules['budget: escalation share'], ['0.2', 'the default']);

    const hostile = workspaceFrom('hostile-repo');
    const budget = await runCli(['budget', hostile.root], me.env(hostile.stateDir));
    assert.equal(budget.code, 0, budget.stderr);
    assert.match(budget.stdout, /Limits in force:/);
    assert.match(budget.stdout, new RegExp(`daily cap USD: 2 — your config file \\(${me.configFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)`));
    assert.match(budget.stdout, /annual USD: 500 — your config file/);
    assert.doesNotMatch(budget.stdout, /your settings/);
  });

  it('loads no package of its node_modules (its own "typescript" is its code): types are checked with Nightshift’s own', async () => {
    const me = user(ownConfig());
    const { root, stateDir } = workspaceFrom('hostile-repo');
    // The repository's `typescript`: it writes a marker when loaded, then passes for the real one.
    const planted = path.join(root, 'node_modules', 'typescript');
    fs.rmSync(planted);
    fs.mkdirSync(planted);
    fs.writeFileSync(path.join(planted, 'package.json'), JSON.stringify({ name: 'typescript', version: '9.9.9', main: 'index.js' }));
    const loaded = path.join(me.home, 'typescript-loaded');
    fs.writeFileSync(path.join(planted, 'index.js'), `require('fs').appendFileSync(${JSON.stringify(loaded)}, 'loaded\\n');\nmodule.exports = require(${JSON.stringify(require.resolve('typescript'))});\n`);
    const before = server.chatRequests().length;
    const run = await runCli(['scan', root], me.env(stateDir));
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    assert.equal(fs.existsSync(loaded), false, 'the repository’s own typescript package was loaded');
    assert.ok(server.chatRequests().length > before, `its type errors are still found, with Nightshift's TypeScript:\n${run.stderr}`);
    assert.match(run.stderr, /not the packages in its node_modules/);

    // The same repository trusted: its own compiler is the one that decides (the planted package proves the test can tell).
    const trusted = await runCli(['scan', root, '--trust'], me.env(stateDir));
    assert.ok(trusted.code === 0 || trusted.code === 1, trusted.stderr);
    assert.equal(fs.existsSync(loaded), true, 'trusted, the workspace’s own typescript is used');
  });

  it("takes no choice of profile or year start from the repository's own team policy, and names the rule, the file and why", async () => {
    const me = user(ownConfig({ escalationProfile: 'cheap' }));
    // Not a loosening config file this time: the repository's .nightshift/policy.json picks the pricey profile and moves the year.
    const policy = JSON.stringify({ models: { backgroundProfile: 'pricey', escalationProfile: 'pricey' }, budget: { yearStartMonth: 7 } }, null, 2);
    const { root, stateDir } = workspaceFrom('hostile-repo', { '.nightshift/config.json': '{}', '.nightshift/policy.json': policy });
    const before = server.chatRequests().length;
    const run = await runCli(['scan', root], me.env(stateDir));
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    const models = server
      .chatRequests()
      .slice(before)
      .map((r) => (r.body as { model: string }).model);
    assert.ok(models.length > 0, run.stderr);
    assert.deepEqual([...new Set(models)], ['cheap-model'], 'only the user’s own background profile is paid for');
    assert.equal(count(run.stderr, /\.nightshift\/policy\.json:3:5 sets "models\.backgroundProfile" \(repository policy\), which a repository may not set: it would choose what your key pays for\. It is ignored/), 1, run.stderr);
    assert.equal(count(run.stderr, /policy\.json:\d+:\d+ sets "models\.escalationProfile" \(repository policy\)/), 1, run.stderr);
    assert.equal(count(run.stderr, /policy\.json:\d+:\d+ sets "budget\.yearStartMonth" \(repository policy\), which a repository may not set: moving the year's start would open a fresh budget year/), 1, run.stderr);

    const shown = await runCli(['policy', root, '--json'], me.env(stateDir));
    assert.equal(shown.code, 0, shown.stderr);
    const out = JSON.parse(shown.stdout) as { refused: string[]; rules: Array<{ rule: string; value: string; setBy: string }> };
    const rules = Object.fromEntries(out.rules.map((r) => [r.rule, [r.value, r.setBy]]));
    assert.deepEqual(rules['budget: year starts in month'], ['1', 'the default'], 'the year starts where the user says');
    assert.equal(rules['models: background profile'], undefined, 'no profile chosen by the repository');
    assert.equal(rules['models: escalation profile'], undefined);
    assert.equal(out.refused.length, 3, out.refused.join('\n'));
    const text = await runCli(['policy', root], me.env(stateDir));
    assert.match(text.stdout, /refused: \.nightshift\/policy\.json:\d+:\d+ sets "budget\.yearStartMonth"/);
  });

  it('trusts a folder only when its user says so: nightshift trust / untrust, status says which', async () => {
    const me = user();
    const { root, stateDir } = workspaceFrom('hostile-repo');
    const link = `${root}-link`;
    fs.symlinkSync(root, link);
    const env = me.env(stateDir);
    const trusted = await runCli(['trust', link], env);
    assert.equal(trusted.code, 0, trusted.stderr);
    const real = fs.realpathSync(root);
    assert.deepEqual(JSON.parse(fs.readFileSync(me.configFile, 'utf8')), { trustedFolders: [real] }, 'its real path, in a file made for it');
    const status = await runCli(['status', root, '--json'], env);
    assert.equal((JSON.parse(status.stdout) as { trusted: boolean }).trusted, true, status.stderr);

    const scan = await runCli(['scan', root, '--baseUrl', url], env);
    assert.ok(scan.code === 0 || scan.code === 1, scan.stderr);
    assert.equal(fs.readFileSync(marker(me.home), 'utf8').trim(), 'ran', 'trusted, the repository’s check commands run');
    assert.doesNotMatch(scan.stderr, /not trusted/);

    fs.writeFileSync(me.configFile, JSON.stringify({ ...(JSON.parse(fs.readFileSync(me.configFile, 'utf8')) as object), budget: { dailyCapUsd: 3 } }));
    const untrusted = await runCli(['untrust', root], env);
    assert.equal(untrusted.code, 0, untrusted.stderr);
    assert.deepEqual(JSON.parse(fs.readFileSync(me.configFile, 'utf8')), { trustedFolders: [], budget: { dailyCapUsd: 3 } }, 'the other keys are kept');
    const after = await runCli(['status', root], env);
    assert.match(after.stdout, /Not trusted: none of its code runs/);
    fs.rmSync(marker(me.home));
    await runCli(['scan', root, '--baseUrl', url], env);
    assert.equal(fs.existsSync(marker(me.home)), false);
  });

  it('runs none of them in watch either', async () => {
    const me = user(ownConfig());
    const { root, stateDir } = workspaceFrom('hostile-repo');
    const watch = new RunningCli(['watch', root, '--json'], me.env(stateDir));
    try {
      // Today's problems are sent after the check commands ran (the TypeScript ones and the commands' own, together).
      await watch.waitFor(/"event":"diagnostics".*src\/cart\.ts: 1 problem/, 60_000);
    } finally {
      await watch.stop();
    }
    assert.equal(fs.existsSync(marker(me.home)), false, 'watch ran the repository’s check command');
    assert.equal(count(watch.stderr, /is not trusted, so Nightshift runs none of its code/), 1);
  });
});

describe('no process Nightshift starts can read a key (the built binary, Linux)', { skip: process.platform !== 'linux' }, () => {
  const server = new FakeModelServer();
  let url = '';
  before(async () => {
    url = await server.start();
    server.respondWith(() => ({ content: CART_FIX }));
  });
  after(() => server.close());

  // Built from parts, so that the key's text is in no command, file or proposal of the test.
  const CANARY = ['sk', 'nightshift', 'canary', '5150'].join('-');

  /**
   * A check command of the user's own, in a repository they trust: it walks its ancestors'
   * /proc/<pid>/environ and the state folder for the key, and writes what it found.
   */
  function snoop(dir: string, stateDir: string): { script: string; found: string } {
    const found = path.join(dir, 'found.txt');
    const script = path.join(dir, 'snoop.sh');
    fs.writeFileSync(
      script,
      [
        'needle="sk-nightshift-""canary-5150"',
        'p=$$',
        'while [ -n "$p" ] && [ "$p" -gt 1 ]; do',
        '  if tr "\\0" "\\n" < /proc/$p/environ 2>/dev/null | grep -q "$needle"; then echo "environ of $p: $(tr "\\0" " " < /proc/$p/cmdline | cut -c1-100)" >> ' + JSON.stringify(found) + '; fi',
        '  p=$(sed "s/.*) [A-Za-z] \\([0-9]*\\) .*/\\1/" /proc/$p/stat)',
        'done',
        `grep -rl "$needle" ${JSON.stringify(stateDir)} 2>/dev/null | sed "s/^/state file: /" >> ${JSON.stringify(found)}`,
        `echo walked >> ${JSON.stringify(found)}`,
        'exit 0',
        '',
      ].join('\n'),
    );
    return { script, found };
  }

  function trustedRepo() {
    const ws = workspaceFrom('ts-error');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ws.root, stdio: 'ignore' });
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '-A');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'base');
    return ws;
  }

  const profile = () => JSON.stringify([{ name: 'paid', baseUrl: url, model: 'paid-model', local: false, price: { input: 0.1, output: 0.1 } }]);

  async function scanWith(keyEnv: Record<string, string>, start?: (args: string[], env: NodeJS.ProcessEnv) => Promise<Finished>) {
    const { root, stateDir } = trustedRepo();
    const { script, found } = snoop(path.dirname(root), stateDir);
    const before = server.chatRequests().length;
    const args = ['scan', root, '--trust', '--profiles', profile(), '--backgroundProfile', 'paid', '--checkCommands', JSON.stringify([`sh ${script}`])];
    const env = cliEnv(stateDir, { XDG_CONFIG_HOME: path.join(stateDir, 'no-config'), ...keyEnv });
    const run = await (start ?? runCli)(args, env);
    assert.equal(run.code, 1, run.stderr);
    const sent = server.chatRequests().slice(before);
    assert.ok(sent.length > 0, run.stderr);
    assert.ok(
      sent.every((r) => r.headers.authorization === `Bearer ${CANARY}`),
      'the key reached the model',
    );
    const lines = fs.readFileSync(found, 'utf8').trim().split('\n');
    // Once for the diagnostics (in the workspace), once checking the proposal (in a temporary worktree).
    assert.ok(lines.filter((l) => l === 'walked').length >= 2, lines.join('\n'));
    return lines;
  }

  it('given in the environment: taken out before anything runs, from /proc/<pid>/environ too', async () => {
    const lines = await scanWith({ NIGHTSHIFT_API_KEY: CANARY });
    assert.ok(lines.includes('walked'));
    assert.deepEqual(
      lines.filter((l) => l !== 'walked'),
      [],
      'a check command found the key',
    );
  });

  it('given in a file (NIGHTSHIFT_API_KEY_FILE), as containers do', async () => {
    const dir = fs.mkdtempSync(path.join(fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'ns-keyfile-'));
    fs.writeFileSync(path.join(dir, 'key'), `${CANARY}\n`, { mode: 0o600 });
    const lines = await scanWith({ NIGHTSHIFT_API_KEY_FILE: path.join(dir, 'key') });
    assert.deepEqual(
      lines.filter((l) => l !== 'walked'),
      [],
    );
  });

  it('handed over through a pipe, as the editor starts its daemon', async () => {
    const start = (args: string[], env: NodeJS.ProcessEnv) =>
      new Promise<Finished>((resolve, reject) => {
        const child = spawnWithKeys(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] }, { NIGHTSHIFT_API_KEY_PAID: CANARY });
        let stdout = '';
        let stderr = '';
        child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
        child.once('error', reject);
        child.once('exit', (code) => resolve({ code, stdout, stderr }));
      });
    const lines = await scanWith({}, start);
    assert.deepEqual(
      lines.filter((l) => l !== 'walked'),
      [],
    );
  });
});
