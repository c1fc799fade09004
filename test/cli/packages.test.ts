/**
 * What users install, built as the release builds it (scripts/package.mjs: every target, the
 * universal package and the npm tarball) and looked into: each platform's VSIX carries its own
 * native watcher and no other, ≤ 3 MB; the CLI of this machine's package runs the native watcher;
 * the universal package's CLI watches folder by folder (a 20k-file node_modules costs it no watch);
 * `npm i -g` of the tarball installs the bundle and this platform's native watcher, nothing the
 * bundle already holds, and `nightshift` runs. The packaging dry run of the release pipeline.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inotifyWatches, workspaceWithBigNodeModules } from '../harness/inotify';
import { REPO_ROOT } from '../harness/testEnv';
import { readZipEntry, unzip, zipEntries } from '../harness/zipFile';
import { cliEnv, RunningCli } from './cliHarness';

const TARGETS: Record<string, string> = {
  'linux-x64': '@parcel/watcher-linux-x64-glibc',
  'linux-arm64': '@parcel/watcher-linux-arm64-glibc',
  'linux-armhf': '@parcel/watcher-linux-arm-glibc',
  'alpine-x64': '@parcel/watcher-linux-x64-musl',
  'alpine-arm64': '@parcel/watcher-linux-arm64-musl',
  'darwin-x64': '@parcel/watcher-darwin-x64',
  'darwin-arm64': '@parcel/watcher-darwin-arm64',
  'win32-x64': '@parcel/watcher-win32-x64',
  'win32-arm64': '@parcel/watcher-win32-arm64',
};
/** Packages the bundles contain: never something npm must install. */
const BUNDLED = ['@parcel/watcher', '@vscode-elements/elements', 'diff', 'ignore', 'jsonc-parser', 'openai', 'picomatch', 'proper-lockfile', 'vscode-languageclient', 'vscode-languageserver', 'zod'];
const MB = 1024 * 1024;

const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
const musl = process.platform === 'linux' && !(process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime;
const hostTarget = Object.keys(TARGETS).find((t) => t === `${process.platform === 'linux' ? (musl ? 'alpine' : 'linux') : process.platform}-${process.arch === 'arm' ? 'armhf' : process.arch}`);

async function startLine(cli: string, workspace: string, env: NodeJS.ProcessEnv): Promise<{ text: string; pid: number; watch: RunningCli }> {
  const watch = new RunningCli(['watch', workspace, '--json', '--baseUrl', 'http://127.0.0.1:9/v1'], env, cli);
  await watch.waitFor(/"event":"start".*Watching files/, 60_000);
  const start = watch.events().find((e) => e.event === 'start' && String(e.text).startsWith('Watching files'))!;
  return { text: String(start.text), pid: watch.child.pid!, watch };
}

describe('the packages (scripts/package.mjs, as the release builds them)', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-packages-'));
  const out = path.join(base, 'out');
  const vsix = (target: string) => path.join(out, `${pkg.name}-${pkg.version}-${target}.vsix`);

  before(() => {
    const started = Date.now();
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package.mjs'), '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    process.stdout.write(`${run.stdout}(packaging took ${Math.round((Date.now() - started) / 1000)} s)\n`);
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('builds a VSIX per platform with its own native watcher and no other, a universal one with none, each ≤ 3 MB and marked for its platform', () => {
    for (const [target, native] of [...Object.entries(TARGETS), ['universal', '']]) {
      const file = vsix(target);
      assert.ok(fs.existsSync(file), `${target}: ${file}`);
      assert.ok(fs.statSync(file).size <= 3 * MB, `${target}: ${(fs.statSync(file).size / MB).toFixed(2)} MB`);
      const entries = zipEntries(file);
      const natives = entries.filter((e) => e.name.includes('node_modules/')).map((e) => e.name);
      assert.deepEqual(natives.sort(), native ? ['LICENSE', 'package.json', 'watcher.node'].map((f) => `extension/dist/node_modules/${native}/${f}`) : [], target);
      const manifest = readZipEntry(
        file,
        entries.find((e) => e.name === 'extension.vsixmanifest')!,
      ).toString('utf8');
      const platform = /TargetPlatform="([^"]+)"/.exec(manifest)?.[1];
      assert.equal(platform, native ? target : undefined, target);
      assert.ok(
        entries.some((e) => e.name === 'extension/dist/cli.js'),
        target,
      );
      // README links point at the repository, where the Marketplace and Open VSX can show them.
      const readme = readZipEntry(
        file,
        entries.find((e) => e.name === 'extension/readme.md')!,
      ).toString('utf8');
      assert.doesNotMatch(readme, /\]\((?!https?:|#|mailto:)[^)]+\)/, 'a relative link left in the README');
      assert.match(readme, /https:\/\/github\.com\/nightshift-dev\/nightshift\/raw\/HEAD\/docs\/images\//);
    }
  });

  it("the release workflow's first step passes for this version's tag: version, channel and notes from CHANGELOG.md", () => {
    const notes = path.join(base, 'release-notes.md');
    const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'release-notes.mjs'), '--tag', `v${pkg.version}`, '--notes', notes], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^version=${pkg.version.replace(/\./g, '\\.')}\npre_release=(true|false)\n$`));
    assert.ok(fs.readFileSync(notes, 'utf8').trim().length > 0);
    const wrong = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'release-notes.mjs'), '--tag', 'v99.0.0'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /package\.json says/);
  });

  it("this machine's package's CLI runs the native watcher; the universal package's watches folder by folder, no watch in a 20k-file node_modules", { skip: !hostTarget && 'no package for this platform' }, async () => {
    const ws = path.join(base, 'ws');
    const { sourceFolders } = workspaceWithBigNodeModules(ws);
    const env = cliEnv(path.join(base, 'state'));
    for (const target of [hostTarget!, 'universal']) {
      const dir = path.join(base, target);
      unzip(vsix(target), dir);
      const { text, pid, watch } = await startLine(path.join(dir, 'extension', 'dist', 'cli.js'), ws, env);
      try {
        if (target === 'universal') {
          assert.match(text, /folder-by-folder fs\.watch \(6 folders; the native watcher could not load/);
          if (process.platform === 'linux') {
            const watches = inotifyWatches(pid);
            process.stdout.write(`universal package on a 20k-file node_modules: ${watches} inotify watches for ${sourceFolders} folders\n`);
            assert.ok(watches <= sourceFolders + 10, `${watches} inotify watches`);
          }
        } else assert.match(text, /native \(@parcel\/watcher\)/);
      } finally {
        assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
      }
    }
  });

  it("npm i -g of the packed tarball installs the bundle and its platform's native watcher only, and nightshift runs", { skip: process.platform === 'win32' && 'the bin shim differs' }, async () => {
    assert.deepEqual(
      BUNDLED.filter((name) => name in (pkg.dependencies ?? {})),
      [],
      'bundled packages npm would install again',
    );
    const tarball = path.join(out, `${pkg.name}-${pkg.version}.tgz`);
    const size = fs.statSync(tarball).size;
    process.stdout.write(`npm tarball: ${(size / 1024).toFixed(0)} KB\n`);
    // The CLI's bundles and pyright (the Python checker, ~1.3 MB of it): small beside the 18.9 MB pyright package it replaces.
    assert.ok(size <= 3 * MB, `${(size / MB).toFixed(2)} MB`);
    const prefix = path.join(base, 'prefix');
    const npm = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'error' } });
    assert.equal(npm.status, 0, npm.stderr);
    const installed = path.join(prefix, 'lib', 'node_modules', pkg.name);
    assert.equal((JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node, '>=22', 'npm says which Node the command needs');
    const own = fs.existsSync(path.join(installed, 'node_modules'))
      ? fs
          .readdirSync(path.join(installed, 'node_modules'), { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile() && e.name === 'package.json' && !path.relative(path.join(installed, 'node_modules'), e.parentPath).split(path.sep).includes('node_modules'))
          .map((e) => path.relative(path.join(installed, 'node_modules'), e.parentPath).split(path.sep).join('/'))
      : [];
    const expected = [...(hostTarget ? [TARGETS[hostTarget]] : []), ...Object.keys(pkg.dependencies ?? {})];
    assert.deepEqual(
      own.filter((p) => !expected.some((e) => p === e || p.startsWith(`${e}/`))),
      [],
      'installed besides the native watcher',
    );
    const du = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? du(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
    process.stdout.write(`npm i -g installed ${(du(installed) / MB).toFixed(1)} MB: ${own.join(', ') || 'no dependency'}\n`);
    const bin = path.join(prefix, 'bin', 'nightshift');
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);
    const help = spawnSync(bin, ['--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /nightshift watch|watch \[folder\]/);
    if (hostTarget) {
      const ws = path.join(base, 'npm-ws');
      fs.mkdirSync(path.join(ws, 'src'), { recursive: true });
      const { text, watch } = await startLine(path.join(installed, 'dist', 'cli.js'), ws, cliEnv(path.join(base, 'npm-state')));
      assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
      assert.match(text, /native \(@parcel\/watcher\)/);
    }
  });
});
