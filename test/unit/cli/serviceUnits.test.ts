/**
 * The systemd unit and launchd agent `nightshift service install` writes, and what it runs: the
 * paths of this install, exit 4 never restarting, the key as a credential, odd folder names quoted,
 * Homebrew's node by its stable name; the service manager called in order through a recording seam.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { serviceCommand } from '../../../src/cli/serviceCommand';
import { launchdLabel, launchdPlist, stableNode, systemdUnit, systemdUnitName, type ServiceSpec } from '../../../src/cli/serviceUnits';

const SPEC: ServiceSpec = { folder: '/home/me/code/app', node: '/usr/bin/node', cli: '/home/me/.local/lib/nightshift/dist/cli.js', stateDir: '/home/me/.local/state/nightshift' };

describe('service units', () => {
  it('systemd: runs watch --service with this node, CLI and state folder; exit 2, 4 and 5 are never restarted', () => {
    const unit = systemdUnit({ ...SPEC, keyFile: '/home/me/.config/nightshift/minimax.key' });
    assert.match(unit, /^ExecStart="\/usr\/bin\/node" "\/home\/me\/\.local\/lib\/nightshift\/dist\/cli\.js" "watch" "\/home\/me\/code\/app" "--quiet" "--service"$/m);
    assert.match(unit, /^Environment="NIGHTSHIFT_STATE_DIR=\/home\/me\/\.local\/state\/nightshift"$/m);
    assert.match(unit, /^Restart=on-failure$/m);
    assert.match(unit, /^RestartPreventExitStatus=2 4 5$/m);
    assert.match(unit, /^LoadCredential=nightshift-key:\/home\/me\/\.config\/nightshift\/minimax\.key$/m);
    assert.match(unit, /^Environment="NIGHTSHIFT_API_KEY_FILE=%d\/nightshift-key"$/m);
    assert.match(unit, /^WantedBy=default\.target$/m);
    assert.doesNotMatch(unit, /ELECTRON_RUN_AS_NODE/);
  });

  it('systemd: a folder with spaces, %, $ and quotes is one literal argument; each setting escaped its own way', () => {
    const unit = systemdUnit({ ...SPEC, folder: '/home/me/my "app" 100%$HOME', stateDir: '/home/me/state $X%' });
    // ExecStart= expands $VARIABLES and %specifiers: both doubled, inside quotes.
    assert.match(unit, /^ExecStart=.* "\/home\/me\/my \\"app\\" 100%%\$\$HOME" "--quiet"/m);
    // WorkingDirectory= takes the rest of the line as the path: no quotes, only specifiers escaped.
    assert.match(unit, /^WorkingDirectory=\/home\/me\/my "app" 100%%\$HOME$/m);
    // Environment= expands specifiers but no variables: `$` stays single.
    assert.match(unit, /^Environment="NIGHTSHIFT_STATE_DIR=\/home\/me\/state \$X%%"$/m);
    assert.match(unit, /^Description=Nightshift background agent for \/home\/me\/my "app" 100%%\$HOME$/m);
  });

  it('launchd: KeepAlive only after a failure (exit 4 is 0 under --service), the paths, PATH with node first, XML escaped', () => {
    const plist = launchdPlist({ ...SPEC, node: '/opt/homebrew/bin/node', folder: '/Users/me/R&D <x>', keyFile: '/Users/me/.config/nightshift/minimax.key', logFile: '/Users/me/Library/Logs/Nightshift/app.log' });
    const args = [...plist.slice(plist.indexOf('<key>ProgramArguments</key>'), plist.indexOf('</array>')).matchAll(/<string>([^<]*)<\/string>/g)].map((m) => m[1]);
    assert.deepEqual(args, ['/opt/homebrew/bin/node', SPEC.cli, 'watch', '/Users/me/R&amp;D &lt;x&gt;', '--quiet', '--service']);
    assert.match(plist, /<key>KeepAlive<\/key>\s*<dict><key>SuccessfulExit<\/key><false\/><\/dict>/);
    assert.match(plist, /<key>NIGHTSHIFT_STATE_DIR<\/key><string>\/home\/me\/\.local\/state\/nightshift<\/string>/);
    assert.match(plist, /<key>PATH<\/key><string>\/opt\/homebrew\/bin:\/usr\/local\/bin:\/usr\/bin:/);
    assert.match(plist, /<key>NIGHTSHIFT_API_KEY_FILE<\/key><string>\/Users\/me\/\.config\/nightshift\/minimax\.key<\/string>/);
    assert.match(plist, /<key>Label<\/key><string>dev\.nightshift\.R_D__x_-[0-9a-f]{16}<\/string>/);
    assert.match(plist, /<key>StandardErrorPath<\/key><string>\/Users\/me\/Library\/Logs\/Nightshift\/app\.log<\/string>/);
    // Well-formed enough for plutil: every element closed in order.
    const stack: string[] = [];
    for (const m of plist.matchAll(/<(\/?)(\w+)[^>]*?(\/?)>/g)) {
      if (m[3] === '/' || m[2] === 'xml') continue;
      if (m[1]) assert.equal(stack.pop(), m[2]);
      else stack.push(m[2]);
    }
    assert.deepEqual(stack, []);
  });

  it("Homebrew's node by its stable name on the PATH, not the versioned Cellar path an upgrade removes", () => {
    const cellar = '/opt/homebrew/Cellar/node/22.11.0/bin/node';
    const links: Record<string, string> = { [cellar]: cellar, '/opt/homebrew/bin/node': cellar, '/usr/local/bin/node': '/usr/local/Cellar/node/20.0.0/bin/node' };
    const real = (p: string) => links[p];
    assert.equal(stableNode(cellar, '/usr/local/bin:/opt/homebrew/bin:/usr/bin', real), '/opt/homebrew/bin/node');
    assert.equal(stableNode(cellar, '/usr/bin', real), cellar, 'no stable name: the path itself');
    assert.equal(
      stableNode('/usr/bin/node', 'relative/bin:/usr/bin', (p) => (p === '/usr/bin/node' ? p : undefined)),
      '/usr/bin/node',
    );
  });

  it('install writes the unit and loads it with systemctl --user; uninstall stops and removes it; --dry-run touches nothing', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-service-'));
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-svc-ws-'));
    const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), NIGHTSHIFT_STATE_DIR: path.join(home, 'state'), PATH: process.env.PATH };
    const ran: string[] = [];
    const out: string[] = [];
    const base = { folder, env, out: (t: string) => out.push(t), err: (t: string) => out.push(`ERR ${t}`), platform: 'linux' as const, cli: '/opt/nightshift/dist/cli.js', run: (cmd: string, args: string[]) => (ran.push([cmd, ...args].join(' ')), { code: 0, output: 'active' }) };
    const unitFile = path.join(home, '.config', 'systemd', 'user', systemdUnitName(fs.realpathSync(folder)));

    assert.equal(serviceCommand({ ...base, action: 'install', dryRun: true }), 0);
    assert.equal(fs.existsSync(unitFile), false, 'a dry run writes nothing');
    assert.deepEqual(ran, []);
    assert.match(out.join('\n'), new RegExp(`Would write ${unitFile.replace(/[.]/g, '\\.')}`));
    assert.match(out.join('\n'), /systemctl --user enable --now nightshift-/);

    assert.equal(serviceCommand({ ...base, action: 'install', dryRun: false }), 0);
    assert.match(fs.readFileSync(unitFile, 'utf8'), /"\/opt\/nightshift\/dist\/cli\.js" "watch"/);
    assert.deepEqual(ran, ['systemctl --user daemon-reload', `systemctl --user enable --now ${path.basename(unitFile)}`]);

    ran.length = 0;
    assert.equal(serviceCommand({ ...base, action: 'uninstall', dryRun: false }), 0);
    assert.equal(fs.existsSync(unitFile), false);
    assert.deepEqual(ran, [`systemctl --user disable --now ${path.basename(unitFile)}`, 'systemctl --user daemon-reload']);
  });

  it("a key file must exist and be readable by you alone; status without --key-file knows the unit's own; the unit's PATH puts node first", () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-service-'));
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-svc-ws-'));
    const env = { HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), NIGHTSHIFT_STATE_DIR: path.join(home, 'state'), PATH: process.env.PATH };
    const out: string[] = [];
    const base = { folder, env, dryRun: false, out: (t: string) => out.push(t), err: (t: string) => out.push(`ERR ${t}`), platform: 'linux' as const, cli: '/opt/nightshift/dist/cli.js', run: () => ({ code: 0, output: 'active' }) };
    const key = path.join(home, 'minimax.key');
    assert.equal(serviceCommand({ ...base, action: 'install', keyFile: key }), 2);
    assert.match(out.pop()!, /^ERR The key file .*minimax\.key does not exist: the service would fail at every start/);
    fs.writeFileSync(key, 'sk-test', { mode: 0o644 });
    fs.chmodSync(key, 0o644);
    assert.equal(serviceCommand({ ...base, action: 'install', keyFile: key }), 2);
    assert.match(out.pop()!, /^ERR The key file .* can be read by other users \(mode 644\): chmod 600/);
    fs.chmodSync(key, 0o600);
    assert.equal(serviceCommand({ ...base, action: 'install', keyFile: key }), 0);
    const unit = fs.readFileSync(path.join(home, '.config', 'systemd', 'user', systemdUnitName(fs.realpathSync(folder))), 'utf8');
    assert.match(unit, new RegExp(`^Environment="PATH=${path.dirname(stableNode(process.execPath, process.env.PATH, (p) => (fs.existsSync(p) ? fs.realpathSync(p) : undefined))).replace(/[.]/g, '\\.')}:`, 'm'));
    out.length = 0;
    assert.equal(serviceCommand({ ...base, action: 'status' }), 0);
    assert.match(out[0], /^Installed: \S+\.service$/, 'asked without --key-file, the unit is still the one this install writes');
    fs.appendFileSync(path.join(home, '.config', 'systemd', 'user', systemdUnitName(fs.realpathSync(folder))), '# edited\n');
    out.length = 0;
    serviceCommand({ ...base, action: 'status' });
    assert.ok(out[0].endsWith(`(written by another install or version: "nightshift service install --key-file ${JSON.stringify(key)}" writes it anew)`), out[0]);
  });

  it('without systemctl the unit is still written, and it says what to run (exit 3)', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-service-'));
    const out: string[] = [];
    const code = serviceCommand({ action: 'install', folder: home, dryRun: false, env: { HOME: home, PATH: '' }, out: (t) => out.push(t), err: (t) => out.push(t), platform: 'linux', cli: '/x/cli.js', run: () => ({ code: undefined, output: 'spawnSync systemctl ENOENT' }) });
    assert.equal(code, 3);
    assert.match(out.join('\n'), /systemctl was not found: .*\.service is written; load it when systemctl is there \(systemctl --user daemon-reload\)/);
  });

  it('launchd: bootout of an older copy (may fail), then bootstrap into gui/<uid>', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-service-'));
    const ran: string[] = [];
    const code = serviceCommand({ action: 'install', folder: home, dryRun: false, env: { HOME: home }, out: () => undefined, err: () => undefined, platform: 'darwin', cli: '/x/cli.js', run: (cmd, args) => (ran.push([cmd, ...args].join(' ')), { code: args[0] === 'bootout' ? 3 : 0, output: '' }) });
    assert.equal(code, 0);
    const label = launchdLabel(fs.realpathSync(home));
    const uid = process.getuid?.() ?? 501;
    assert.deepEqual(ran, [`launchctl bootout gui/${uid}/${label}`, `launchctl bootstrap gui/${uid} ${path.join(home, 'Library', 'LaunchAgents', `${label}.plist`)}`]);
  });
});
