/**
 * `nightshift service install|uninstall|status [folder]`: `watch` on a workspace as a service of
 * the user's own session — a systemd user unit (Linux) or a launchd agent (macOS) — written with
 * the paths of this very install (serviceUnits.ts) and loaded with the service manager
 * (`systemctl --user`, `launchctl bootstrap gui/<uid>`). `--dry-run` prints what it would write
 * and run, and touches nothing. The service manager is started through `run` (a seam for tests).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { userStateDir } from '../core/stateDirs';
import { EXIT } from './help';
import { launchdLabel, launchdPlist, serviceId, stableNode, systemdUnit, systemdUnitName, type ServiceSpec } from './serviceUnits';

/** Why a key file cannot be a service's credential: missing, not a file, or readable by others. */
function unusableKeyFile(file: string): string | undefined {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return `The key file ${file} does not exist: the service would fail at every start. Write the key there first (chmod 600).`;
  }
  if (!stat.isFile()) return `The key file ${file} is not a file.`;
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) return `The key file ${file} can be read by other users (mode ${(stat.mode & 0o777).toString(8)}): chmod 600 ${JSON.stringify(file)}, then install again.`;
  return undefined;
}

/** The key file an installed unit or plist names, if any. */
function keyFileIn(text: string): string | undefined {
  const unit = /^LoadCredential=nightshift-key:(.+)$/m.exec(text)?.[1];
  if (unit) return unit.replace(/%%/g, '%');
  const plist = /<key>NIGHTSHIFT_API_KEY_FILE<\/key>\s*<string>([^<]*)<\/string>/.exec(text)?.[1];
  return plist
    ?.replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export interface ServiceOptions {
  action: string;
  folder: string;
  dryRun: boolean;
  keyFile?: string;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
  platform?: NodeJS.Platform;
  /** Runs a service manager command; returns its exit code and output (undefined code: not found). */
  run?: (cmd: string, args: string[]) => { code: number | undefined; output: string };
  /** This CLI's file (default: the running script). */
  cli?: string;
}

function defaultRun(cmd: string, args: string[]): { code: number | undefined; output: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return { code: undefined, output: r.error.message };
  return { code: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

const realpath = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
};

interface Plan {
  file: string;
  text: string;
  /** Service manager commands, in order: each with whether its failure stops the rest. */
  load: Array<{ cmd: string; args: string[]; mayFail?: boolean }>;
  unload: Array<{ cmd: string; args: string[]; mayFail?: boolean }>;
  status: { cmd: string; args: string[] };
}

function plan(o: ServiceOptions, platform: NodeJS.Platform): Plan | string {
  const home = o.env.HOME ?? os.homedir();
  const folder = realpath(path.resolve(o.folder)) ?? path.resolve(o.folder);
  const cli = realpath(o.cli ?? process.argv[1] ?? path.join(__dirname, 'cli.js')) ?? path.resolve(o.cli ?? 'cli.js');
  const spec: ServiceSpec = {
    folder,
    node: stableNode(process.execPath, o.env.PATH, realpath),
    cli,
    stateDir: userStateDir(o.env, platform, home),
    ...(o.keyFile ? { keyFile: path.resolve(o.keyFile) } : {}),
    ...(process.versions.electron ? { electron: true } : {}),
  };
  if (platform === 'linux') {
    const name = systemdUnitName(folder);
    const sd = (...args: string[]) => ({ cmd: 'systemctl', args: ['--user', ...args] });
    return {
      file: path.join(o.env.XDG_CONFIG_HOME || path.join(home, '.config'), 'systemd', 'user', name),
      text: systemdUnit(spec),
      load: [sd('daemon-reload'), sd('enable', '--now', name)],
      unload: [{ ...sd('disable', '--now', name), mayFail: true }],
      status: sd('status', '--no-pager', '--lines=5', name),
    };
  }
  if (platform === 'darwin') {
    const label = launchdLabel(folder);
    const file = path.join(home, 'Library', 'LaunchAgents', `${label}.plist`);
    const domain = `gui/${process.getuid?.() ?? 501}`;
    return {
      file,
      text: launchdPlist({ ...spec, logFile: path.join(home, 'Library', 'Logs', 'Nightshift', `${serviceId(folder)}.log`) }),
      // A reinstall: the loaded one goes first (bootstrap refuses a label that is loaded).
      load: [
        { cmd: 'launchctl', args: ['bootout', `${domain}/${label}`], mayFail: true },
        { cmd: 'launchctl', args: ['bootstrap', domain, file] },
      ],
      unload: [{ cmd: 'launchctl', args: ['bootout', `${domain}/${label}`], mayFail: true }],
      status: { cmd: 'launchctl', args: ['print', `${domain}/${label}`] },
    };
  }
  return `nightshift service knows systemd (Linux) and launchd (macOS); on ${platform} run "nightshift watch ${folder}" from the system's own scheduler (on Windows: Task Scheduler, at log on).`;
}

export function serviceCommand(o: ServiceOptions): number {
  if (!['install', 'uninstall', 'status'].includes(o.action)) {
    o.err(`nightshift service install|uninstall|status [folder], not "${o.action}".`);
    return EXIT.usage;
  }
  const keyProblem = o.action === 'install' && o.keyFile ? unusableKeyFile(path.resolve(o.keyFile)) : undefined;
  if (keyProblem) {
    o.err(keyProblem);
    return EXIT.usage;
  }
  const platform = o.platform ?? process.platform;
  const p = plan(o, platform);
  if (typeof p === 'string') {
    o.err(p);
    return EXIT.usage;
  }
  const run = o.run ?? defaultRun;
  const shown = (c: { cmd: string; args: string[] }) => [c.cmd, ...c.args].map((a) => (/[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ');
  if (o.dryRun) {
    const steps = o.action === 'install' ? p.load : o.action === 'uninstall' ? p.unload : [p.status];
    if (o.action === 'install') o.out(`Would write ${p.file}:\n\n${p.text}`);
    if (o.action === 'uninstall') o.out(`Would remove ${p.file}.`);
    o.out(`Would run:\n${steps.map((s) => `  ${shown(s)}`).join('\n')}`);
    return EXIT.none;
  }
  const steps = (list: Plan['load']): boolean => {
    for (const step of list) {
      const r = run(step.cmd, step.args);
      if (r.code === 0 || step.mayFail) continue;
      o.err(r.code === undefined ? `${step.cmd} was not found: ${p.file} is written; load it when ${step.cmd} is there (${shown(step)}).` : `${shown(step)} failed (exit ${r.code}): ${r.output}`);
      return false;
    }
    return true;
  };
  if (o.action === 'install') {
    mkdirSync(path.dirname(p.file), { recursive: true });
    writeFileSync(p.file, p.text, { mode: 0o644 });
    o.out(`Wrote ${p.file}.`);
    if (!steps(p.load)) return EXIT.incomplete;
    o.out(`Started: nightshift watch on ${o.folder} runs as a service now and at each log in. "nightshift service status" says how it is.`);
    return EXIT.none;
  }
  if (o.action === 'uninstall') {
    if (!existsSync(p.file)) {
      o.out(`No service is installed for ${o.folder} (${p.file} is not there).`);
      return EXIT.none;
    }
    steps(p.unload);
    rmSync(p.file, { force: true });
    if (platform === 'linux') run('systemctl', ['--user', 'daemon-reload']);
    o.out(`Stopped and removed ${p.file}.`);
    return EXIT.none;
  }
  const installed = existsSync(p.file);
  if (installed) {
    const current = readFileSync(p.file, 'utf8');
    // Asked without --key-file: the unit's own key file is not a difference.
    const keyFile = o.keyFile ?? keyFileIn(current);
    const same = current === (keyFile && !o.keyFile ? (plan({ ...o, keyFile }, platform) as Plan).text : p.text);
    o.out(`Installed: ${p.file}${same ? '' : ` (written by another install or version: "nightshift service install${keyFile ? ` --key-file ${JSON.stringify(keyFile)}` : ''}" writes it anew)`}`);
  } else o.out(`Not installed (${p.file} is not there).`);
  const r = run(p.status.cmd, p.status.args);
  if (r.code === undefined) o.out(`${p.status.cmd} was not found, so whether it runs is unknown.`);
  else if (r.output) o.out(r.output);
  return EXIT.none;
}
