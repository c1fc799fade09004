// Packages the extension for each platform @parcel/watcher ships a prebuilt binary for, each VSIX
// carrying only its own binary (dist/node_modules/@parcel/watcher-<platform>, found by dist/cli.js's
// require), plus a universal one without (its daemon watches folder by folder), and the npm package
// of the `nightshift` command. Each is built in its own staging folder from production bundles built
// there (the repository's dist/ is left alone), the packages in parallel.
//
//   node scripts/package.mjs              every target, the universal package and the npm tarball into dist-vsix/
//                                         (and this machine's own package as dist-vsix/nightshift.vsix, which e2e installs)
//   node scripts/package.mjs --host       only this machine's target (+ universal, npm)
//   node scripts/package.mjs --target linux-arm64 [--target …]
//   --pre-release                         marks the packages as pre-release (vsce --pre-release)
//   --ref <git ref>                       README links rewritten against this ref of the repository (default HEAD)
//   --out <dir>                           instead of dist-vsix/
//
// The binaries come from the npm registry (`npm pack @parcel/watcher-<platform>@<the version we
// bundle>`), cached under $XDG_CACHE_HOME/nightshift/prebuilds; this platform's from node_modules.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** vsce's target → the @parcel/watcher package holding its binary. */
export const TARGETS = {
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

/** The VSIX target of this machine, or undefined where there is none (then the universal package is the one to install). */
export function hostTarget(platform = process.platform, arch = process.arch, musl = platform === 'linux' && !process.report?.getReport().header.glibcVersionRuntime) {
  const cpu = { x64: 'x64', arm64: 'arm64', arm: 'armhf' }[arch];
  if (!cpu) return undefined;
  const os_ = platform === 'linux' ? (musl ? 'alpine' : 'linux') : platform;
  const target = `${os_}-${cpu}`;
  return target in TARGETS ? target : undefined;
}

const MAX_BYTES = 3 * 1024 * 1024;

const npmCmd = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' && cmd === npmCmd, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function cacheDir() {
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local') : path.join(os.homedir(), '.cache'));
  return path.join(base, 'nightshift', 'prebuilds');
}

/** Puts the package's files (package.json, watcher.node, LICENSE) in `dest`: from node_modules when it is this version, else from the registry (cached). */
function fetchNative(name, version, dest) {
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const local = path.join(root, 'node_modules', name);
  if (fs.existsSync(path.join(local, 'package.json')) && JSON.parse(fs.readFileSync(path.join(local, 'package.json'), 'utf8')).version === version) {
    fs.cpSync(local, dest, { recursive: true });
    return;
  }
  const cache = cacheDir();
  const tgz = path.join(cache, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  if (!fs.existsSync(tgz)) {
    fs.mkdirSync(cache, { recursive: true });
    run(npmCmd, ['pack', `${name}@${version}`, '--pack-destination', cache, '--silent']);
    if (!fs.existsSync(tgz)) throw new Error(`npm pack ${name}@${version} did not leave ${tgz}`);
  }
  run('tar', ['-xzf', tgz, '--strip-components=1', '-C', dest]);
}

function parseArgs(argv) {
  const o = { all: true, targets: [], preRelease: false, ref: 'HEAD', out: path.join(root, 'dist-vsix') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--all') o.all = true;
    else if (argv[i] === '--host') o.all = false;
    else if (argv[i] === '--pre-release') o.preRelease = true;
    else if (argv[i] === '--target') o.targets.push(argv[++i]);
    else if (argv[i] === '--ref') o.ref = argv[++i];
    else if (argv[i] === '--out') o.out = path.resolve(argv[++i]);
    else throw new Error(`Unknown argument ${argv[i]}`);
  }
  for (const t of o.targets) if (!(t in TARGETS)) throw new Error(`Unknown target ${t}; one of ${Object.keys(TARGETS).join(', ')}`);
  return o;
}

/**
 * What a package holds besides the bundles (the .vscodeignore in the stage picks from them, as in the repository).
 * Not the README's images: its links are rewritten to the repository's (--baseImagesUrl), where the
 * Marketplace, Open VSX and the editor's extension page read them.
 */
const SHIPPED = ['package.json', 'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE', '.vscodeignore', 'media', 'schemas'];

function runAsync(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' && cmd === npmCmd });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${output}`))));
  });
}

/** Runs the jobs, `limit` at a time. */
async function pool(jobs, limit) {
  const results = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]();
      }
    }),
  );
  return results;
}

export async function packageAll(argv) {
  const o = parseArgs(argv);
  const started = Date.now();
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const watcherVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', '@parcel', 'watcher', 'package.json'), 'utf8')).version;
  const host = hostTarget();
  const targets = o.targets.length > 0 ? o.targets : o.all ? Object.keys(TARGETS) : host ? [host] : [];
  fs.rmSync(o.out, { recursive: true, force: true });
  fs.mkdirSync(o.out, { recursive: true });
  const repo = String(pkg.repository?.url ?? pkg.repository)
    .replace(/^git\+/, '')
    .replace(/\.git$/, '');
  const common = ['--no-dependencies', '--baseContentUrl', `${repo}/blob/${o.ref}`, '--baseImagesUrl', `${repo}/raw/${o.ref}`, ...(o.preRelease ? ['--pre-release'] : [])];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-package-'));
  try {
    // The production bundles, once, into the staging folder (the repository's dist/ is left as it is).
    const bundles = path.join(scratch, 'dist');
    run(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--production', '--outdir', bundles]);
    for (const f of fs.readdirSync(bundles)) if (f.endsWith('.map')) fs.rmSync(path.join(bundles, f));
    // Whatever .vscodeignore says ships from dist/ must have been built into the staging folder (build.mjs writes to --outdir).
    const missing = fs
      .readFileSync(path.join(root, '.vscodeignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('!dist/'))
      .map((l) => l.slice('!dist/'.length).replace(/\/\*\*$/, ''))
      .filter((f) => !fs.existsSync(path.join(bundles, f)));
    if (missing.length > 0) throw new Error(`.vscodeignore ships dist/${missing.join(', dist/')}, but scripts/build.mjs --outdir did not write it there`);
    const stage = (name, native) => {
      const dir = path.join(scratch, name);
      for (const f of SHIPPED) fs.cpSync(path.join(root, f), path.join(dir, f), { recursive: true });
      fs.cpSync(bundles, path.join(dir, 'dist'), { recursive: true });
      if (native) {
        fetchNative(native, watcherVersion, path.join(dir, 'dist', 'node_modules', native));
        fs.appendFileSync(path.join(dir, '.vscodeignore'), `\n!dist/node_modules/${native}/package.json\n!dist/node_modules/${native}/watcher.node\n!dist/node_modules/${native}/LICENSE\n`);
      }
      return dir;
    };
    const vsceBin = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    const jobs = [...targets, 'universal'].map((target) => {
      const dir = stage(target, TARGETS[target]);
      const file = path.join(o.out, `${pkg.name}-${pkg.version}-${target}.vsix`);
      const args = target === 'universal' ? [] : ['--target', target];
      return async () => (await runAsync(process.execPath, [vsceBin, 'package', ...args, '--out', file, ...common], dir), { target, file });
    });
    // The npm package of the `nightshift` command: the CLI bundle and what it reads beside it; npm installs the native watcher.
    jobs.push(async () => {
      const dir = path.join(scratch, 'npm');
      for (const f of ['package.json', '.npmignore', 'README.md', 'CHANGELOG.md', 'LICENSE']) fs.cpSync(path.join(root, f), path.join(dir, f));
      // The command needs Node 22 or newer (Node 20 has reached its end of life): npm says so on an older one.
      const npmPkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      npmPkg.engines = { ...npmPkg.engines, node: '>=22' };
      fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(npmPkg, null, 2)}\n`);
      fs.cpSync(bundles, path.join(dir, 'dist'), { recursive: true });
      const out = await runAsync(npmCmd, ['pack', '--json', '--ignore-scripts', '--pack-destination', o.out], dir);
      const [{ filename }] = JSON.parse(out.slice(out.indexOf('[')));
      return { target: 'npm', file: path.join(o.out, filename) };
    });
    const built = await pool(jobs, Math.max(2, os.availableParallelism?.() ?? os.cpus().length));
    // What the e2e tier and `npm start` install: this machine's own package.
    const mine = built.find((b) => b.target === host) ?? built.find((b) => b.target === 'universal');
    fs.copyFileSync(mine.file, path.join(o.out, `${pkg.name}.vsix`));
    let tooBig = 0;
    for (const b of built) {
      const size = fs.statSync(b.file).size;
      console.log(`${path.relative(root, b.file)}  ${(size / 1024 / 1024).toFixed(2)} MB`);
      if (size > MAX_BYTES) {
        console.error(`  larger than ${MAX_BYTES / 1024 / 1024} MB`);
        tooBig++;
      }
    }
    console.log(`${built.length} packages in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (tooBig > 0) throw new Error(`${tooBig} package(s) over the size limit`);
    return built;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  packageAll(process.argv.slice(2)).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}
