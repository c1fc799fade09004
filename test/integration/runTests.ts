/**
 * Runs the integration suite inside a real VS Code extension host with @vscode/test-electron.
 * Desktop VS Code cannot be downloaded on our machines, so `vscodeExecutablePath` points at a
 * `code` stand-in that runs code-server instead (set NIGHTSHIFT_VSCODE_DOWNLOAD=1 to let
 * runTests download desktop VS Code where that works).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { execFileSync, spawn } from 'node:child_process';
import { makeRunDir } from '../harness/codeServer';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { CART_FIX } from '../harness/fixtureAnswers';
import { REPO_ROOT } from '../harness/testEnv';
import { realRuffDir } from '../harness/realRuff';
import { engineHolder } from '../../src/core/engine/engineLock';
import { workspaceStateDir } from '../../src/core/stateDirs';

async function main(): Promise<void> {
  const runDir = makeRunDir('workspace');
  const workspace = path.join(runDir, 'ts-error');
  // A fresh profile per run: no keys, no ledger, no settings left from an earlier run.
  const profile = (name: string) => [`--user-data-dir=${path.join(runDir, name, 'user-data')}`, `--extensions-dir=${path.join(runDir, name, 'extensions')}`];
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'ts-error'), workspace, { recursive: true });
  // The suite reports its own diagnostics; the built-in TypeScript checker would add its own later.
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'typescript.validate.enable': false }));
  const download = process.env.NIGHTSHIFT_VSCODE_DOWNLOAD === '1';
  const vscodeExecutablePath = download ? undefined : path.join(REPO_ROOT, 'test', 'harness', 'code');
  // NIGHTSHIFT_TEST_ONLY=attach runs the attach window alone.
  const only = process.env.NIGHTSHIFT_TEST_ONLY;
  if (!only || only === 'main') {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', ...profile('main')],
    });
  }
  if (!only || only === 'attach') await attachRun(runDir, (folder, testsPath, name) => runTests({ vscodeExecutablePath, extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: testsPath, launchArgs: [folder, '--disable-extensions', ...profile(name)] }));
  // A window on two projects with real vitest and jest tests: tested proposals.
  if (!only || only === 'tested') {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'tested', 'index.js'),
      launchArgs: [testedWorkspace(runDir), '--disable-extensions', ...profile('tested')],
    });
  }
  // A second window on an untrusted folder. Desktop runs pass --disable-workspace-trust, so this
  // run needs the code-server stand-in, which honours NIGHTSHIFT_TEST_UNTRUSTED.
  if (!download && (!only || only === 'untrusted')) {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'untrusted', 'index.js'),
      launchArgs: [workspace, ...profile('untrusted')],
      extensionTestsEnv: { NIGHTSHIFT_TEST_UNTRUSTED: '1' },
    });
  }
}

/** A multi-root workspace of copies of the tested fixtures (vitest, jest, a Python package with pytest), each a git repository with one commit, node_modules linked. */
function testedWorkspace(runDir: string): string {
  const base = path.join(runDir, 'tested');
  const folders = ['tested-vitest', 'tested-jest', 'python-pkg'].map((name) => {
    const root = path.join(base, name);
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', name), root, { recursive: true });
    fs.mkdirSync(path.join(root, '.vscode'), { recursive: true });
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), JSON.stringify({ 'typescript.validate.enable': false }));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: root });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'fixture');
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
    if (name === 'python-pkg') pythonEnvWithRuff(root);
    return { path: root };
  });
  const file = path.join(base, 'tested.code-workspace');
  fs.writeFileSync(file, JSON.stringify({ folders, settings: { 'typescript.validate.enable': false } }));
  return file;
}

/**
 * The project's own virtual environment with ruff installed into it (a real ruff: Debian's,
 * scripts/test-ruff.sh), as a Python project that uses Ruff has it: the interpreter and ruff the
 * agent finds there. (The extension host takes the login shell's PATH, so a ruff put on this
 * process's PATH would not reach it.) The system's packages stay visible: pytest is among them.
 */
function pythonEnvWithRuff(root: string): void {
  const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  execFileSync(python, ['-m', 'venv', '--without-pip', '--system-site-packages', path.join(root, '.venv')]);
  fs.symlinkSync(path.join(realRuffDir(), 'ruff'), path.join(root, '.venv', 'bin', 'ruff'));
  fs.appendFileSync(path.join(root, '.git', 'info', 'exclude'), '.venv/\n');
}

/**
 * A third window on a workspace a `nightshift watch` daemon already works on: the window attaches
 * to it, shows and accepts the daemon's proposal, stops the daemon and runs its own engine, then
 * hands over to a new daemon, which outlives the window.
 */
async function attachRun(runDir: string, launch: (workspace: string, testsPath: string, name: string) => Promise<unknown>): Promise<void> {
  const workspace = path.join(runDir, 'attach', 'ts-error');
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'ts-error'), workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, 'node_modules'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(workspace, 'node_modules', 'typescript'), 'dir');
  const stateDir = path.join(runDir, 'attach', 'state');
  const model = new FakeModelServer();
  const url = await model.start();
  model.respondWith((r) => (JSON.stringify(r.body).includes('cart.ts') ? { content: CART_FIX } : { content: 'TITLE: none' }));
  const daemon = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), 'watch', workspace, '--json', '--verbose', '--baseUrl', url, '--settleDelayMs', '100'], {
    env: { ...process.env, NIGHTSHIFT_STATE_DIR: stateDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let events = '';
  daemon.stderr.on('data', (d: Buffer) => (events += d.toString()));
  try {
    const until = Date.now() + 60_000;
    while (!/"event":"proposal"/.test(events)) {
      if (daemon.exitCode !== null || Date.now() > until) throw new Error(`The daemon made no proposal:\n${events}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    process.env.NIGHTSHIFT_TEST_STATE_DIR = stateDir;
    try {
      await launch(workspace, path.join(REPO_ROOT, 'out', 'test', 'integration', 'attach', 'index.js'), 'attach');
    } finally {
      delete process.env.NIGHTSHIFT_TEST_STATE_DIR;
    }
    if (!/An editor attached/.test(events)) throw new Error(`The daemon never saw the window attach:\n${events}`);
    const decided = fs
      .readdirSync(path.join(stateDir, 'ledger'))
      .flatMap((f) => fs.readFileSync(path.join(stateDir, 'ledger', f), 'utf8').split('\n'))
      .filter((l) => l.includes('"decision":"accepted"'));
    if (decided.length !== 1) throw new Error(`The daemon's ledger has ${decided.length} accepted decision(s), not 1:\n${events}`);
    // Stop Background Daemon ended this one (cleanly); Keep Working started another, which outlives the window.
    await new Promise((r) => (daemon.exitCode !== null ? r(undefined) : daemon.once('exit', r)));
    if (daemon.exitCode !== 0) throw new Error(`The daemon did not stop cleanly (exit ${daemon.exitCode}):\n${events}`);
    const wsState = workspaceStateDir(stateDir, workspace);
    const second = engineHolder(wsState);
    if (second?.host !== 'watch') throw new Error('Closing the window stopped the daemon it handed over to.');
    process.kill(second.pid, 'SIGTERM');
    const until2 = Date.now() + 30_000;
    while (engineHolder(wsState) && Date.now() < until2) await new Promise((r) => setTimeout(r, 100));
    if (engineHolder(wsState)) throw new Error('The handed-over daemon did not stop on SIGTERM.');
    console.log('  ✔ the handed-over daemon kept running after the window closed, and stopped cleanly on SIGTERM');
  } finally {
    fs.writeFileSync(path.join(runDir, 'attach', 'daemon.log'), events);
    if (daemon.exitCode === null) daemon.kill('SIGTERM');
    // A run that failed before the end must not leave the handed-over daemon running either.
    const handedOver = engineHolder(workspaceStateDir(stateDir, workspace));
    if (handedOver?.host === 'watch' && handedOver.pid !== daemon.pid) {
      try {
        process.kill(handedOver.pid, 'SIGTERM');
      } catch {
        // Gone already.
      }
    }
    await new Promise((r) => (daemon.exitCode !== null ? r(undefined) : daemon.once('exit', r)));
    await model.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
