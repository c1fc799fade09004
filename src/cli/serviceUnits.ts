/**
 * What `nightshift service install` writes: a systemd user unit or a launchd agent that runs
 * `nightshift watch <folder> --service` with the right paths — the node that runs this CLI (by a
 * stable name on the PATH when there is one: Homebrew's versioned Cellar path breaks on upgrade),
 * this CLI's own file, the user's state folder. Pure text, no I/O: the command writes and loads it.
 *
 * Exit 4 ("a window holds this workspace") must not restart the service: systemd is told
 * `RestartPreventExitStatus=`; launchd cannot filter an exit code (its KeepAlive knows only
 * success or failure), so under `--service` the CLI exits 0 for it, and `KeepAlive` is
 * `{SuccessfulExit: false}`: restarted only after a failure.
 */
import * as path from 'node:path';
import { workspaceStateDir } from '../core/stateDirs';

export interface ServiceSpec {
  /** The workspace folder (absolute). */
  folder: string;
  /** The node executable to run the CLI with. */
  node: string;
  /** This CLI's file (dist/cli.js). */
  cli: string;
  /** The user's state folder (NIGHTSHIFT_STATE_DIR for the service). */
  stateDir: string;
  /** A file holding the API key (handed over as a systemd credential, or named in the environment). */
  keyFile?: string;
  /** The node is an Electron (VS Code's): it runs scripts as Node only with ELECTRON_RUN_AS_NODE. */
  electron?: boolean;
  /** Where launchd writes the log (launchd has no journal). */
  logFile?: string;
}

/** Exit codes a restart cannot fix: bad usage, another engine holds the workspace, an unusable state folder. */
export const NO_RESTART_EXITS = [2, 4, 5] as const;

/** The service's name for a workspace: the workspace state folder's (`<name>-<hash>`), unique per folder. */
export function serviceId(folder: string): string {
  return path.basename(workspaceStateDir('/', folder));
}

export const systemdUnitName = (folder: string) => `nightshift-${serviceId(folder)}.service`;
export const launchdLabel = (folder: string) => `dev.nightshift.${serviceId(folder)}`;

/**
 * A stable path for `node`: a directory on the PATH whose `node` is the same file as `execPath`
 * (Homebrew's /opt/homebrew/bin/node for /opt/homebrew/Cellar/node/22.x/bin/node), else execPath.
 */
export function stableNode(execPath: string, pathVar: string | undefined, realpath: (p: string) => string | undefined): string {
  const real = realpath(execPath) ?? execPath;
  for (const dir of (pathVar ?? '').split(path.delimiter).filter((d) => path.isAbsolute(d))) {
    const candidate = path.join(dir, 'node');
    if (candidate !== execPath && realpath(candidate) === real) return candidate;
  }
  return execPath;
}

/** A quoted systemd word (an Environment= assignment): specifiers (%) taken literally; `$` means nothing there. */
function sdWord(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;
}

/** One ExecStart= argument: also `$`, which ExecStart= would expand as a variable. */
const sdArg = (value: string) => sdWord(value).replace(/\$/g, '$$$$');

/** A path setting (WorkingDirectory=, a credential's file): the rest of the line, unquoted; only specifiers escaped. */
const sdPath = (value: string) => value.replace(/%/g, '%%');

export function systemdUnit(s: ServiceSpec): string {
  const env = [`NIGHTSHIFT_STATE_DIR=${s.stateDir}`, `PATH=${servicePath(s.node)}`, ...(s.electron ? ['ELECTRON_RUN_AS_NODE=1'] : [])];
  return [
    '# Written by `nightshift service install`; `nightshift service uninstall` removes it.',
    '[Unit]',
    `Description=Nightshift background agent for ${s.folder.replace(/%/g, '%%')}`,
    '',
    '[Service]',
    'Type=simple',
    `WorkingDirectory=${sdPath(s.folder)}`,
    ...env.map((e) => `Environment=${sdWord(e)}`),
    // The key as a credential: readable by this service only, never in the unit or the environment.
    ...(s.keyFile ? [`LoadCredential=nightshift-key:${sdPath(s.keyFile)}`, 'Environment="NIGHTSHIFT_API_KEY_FILE=%d/nightshift-key"'] : []),
    `ExecStart=${[s.node, s.cli, 'watch', s.folder, '--quiet', '--service'].map(sdArg).join(' ')}`,
    'KillSignal=SIGTERM',
    'TimeoutStopSec=60',
    'Restart=on-failure',
    'RestartSec=10',
    // A window holds the workspace (4), bad usage (2), an unusable state folder (5): a restart would only loop.
    `RestartPreventExitStatus=${NO_RESTART_EXITS.join(' ')}`,
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const str = (s: string) => `<string>${xml(s)}</string>`;

/**
 * The PATH a service runs with: a service manager's own is short (launchd's /usr/bin:/bin:…, a user
 * unit's without the shell's additions such as nvm's), so node's own folder comes first and what the
 * checks start (npm, npx) finds it.
 */
export function servicePath(node: string): string {
  return [path.dirname(node), '/opt/homebrew/bin', '/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'].filter((d, i, all) => all.indexOf(d) === i).join(':');
}

export function launchdPlist(s: ServiceSpec): string {
  const pathVar = servicePath(s.node);
  const env: Array<[string, string]> = [['NIGHTSHIFT_STATE_DIR', s.stateDir], ['PATH', pathVar], ...(s.keyFile ? [['NIGHTSHIFT_API_KEY_FILE', s.keyFile] as [string, string]] : []), ...(s.electron ? [['ELECTRON_RUN_AS_NODE', '1'] as [string, string]] : [])];
  const log = s.logFile ?? path.join(s.folder, 'nightshift.log');
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    `  <key>Label</key>${str(launchdLabel(s.folder))}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...[s.node, s.cli, 'watch', s.folder, '--quiet', '--service'].map((a) => `    ${str(a)}`),
    '  </array>',
    `  <key>WorkingDirectory</key>${str(s.folder)}`,
    '  <key>EnvironmentVariables</key>',
    '  <dict>',
    ...env.map(([k, v]) => `    <key>${xml(k)}</key>${str(v)}`),
    '  </dict>',
    '  <key>RunAtLoad</key><true/>',
    // Restarted only after a failure: under --service a window holding the workspace is a clean exit (0).
    '  <key>KeepAlive</key>',
    '  <dict><key>SuccessfulExit</key><false/></dict>',
    '  <key>ThrottleInterval</key><integer>30</integer>',
    '  <key>ExitTimeOut</key><integer>60</integer>',
    '  <key>ProcessType</key><string>Background</string>',
    `  <key>StandardOutPath</key>${str(log)}`,
    `  <key>StandardErrorPath</key>${str(log)}`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
