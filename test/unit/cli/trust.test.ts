/** `nightshift trust` / `untrust`: the user's own config file, written atomically, every other key kept; only the user's word counts. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isTrusted, trustCommand } from '../../../src/cli/trust';

function setup() {
  const home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ns-trust-')));
  const env = { XDG_CONFIG_HOME: path.join(home, 'cfg') };
  const file = path.join(home, 'cfg', 'nightshift', 'config.json');
  const repo = path.join(home, 'repo');
  fs.mkdirSync(repo);
  const said: string[] = [];
  const run = (folder: string, trust: boolean) => trustCommand({ folder, trust, env, out: (t) => said.push(t), err: (t) => said.push(`err: ${t}`) });
  return { home, env, file, repo, said, run };
}

describe('trust, headless', () => {
  it('makes the config file when there is none, then keeps its other keys and mode', () => {
    const { env, file, repo, said, run } = setup();
    assert.equal(isTrusted(repo, env), false);
    assert.equal(run(repo, true), 0);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { trustedFolders: [repo] });
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(isTrusted(repo, env), true);
    fs.writeFileSync(file, JSON.stringify({ budget: { annualUsd: 300 }, trustedFolders: ['/elsewhere', repo] }));
    fs.chmodSync(file, 0o640);
    assert.equal(run(repo, true), 0);
    assert.match(said.at(-1)!, /is already trusted/);
    assert.equal(run(repo, false), 0);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { budget: { annualUsd: 300 }, trustedFolders: ['/elsewhere'] });
    assert.equal(fs.statSync(file).mode & 0o777, 0o640);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['config.json'], 'no temporary file left');
    assert.equal(isTrusted(repo, env), false);
  });

  it('names a folder by its real path: a link to it is the same folder, in both directions', () => {
    const { home, env, file, repo, run } = setup();
    const link = path.join(home, 'link');
    fs.symlinkSync(repo, link);
    run(link, true);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).trustedFolders, [repo]);
    assert.equal(isTrusted(link, env), true);
    run(link, false);
    assert.equal(isTrusted(repo, env), false);
  });

  it('keeps trust with the real folder granted: a link put later where it stood trusts nothing new', () => {
    const { home, env, file, run } = setup();
    const parent = path.join(home, 'parent');
    const other = path.join(home, 'other');
    fs.mkdirSync(parent);
    fs.mkdirSync(other);
    run(parent, true);
    assert.equal(isTrusted(parent, env), true);
    // The attack: the trusted folder moves away and a link to another folder takes its place.
    fs.renameSync(parent, `${parent}.real`);
    fs.symlinkSync(other, parent);
    assert.equal(isTrusted(other, env), false, 'the link’s target is not the folder the user trusted');
    assert.equal(isTrusted(parent, env), false, 'nor is the link itself, which leads there');
    assert.equal(run(other, true), 0);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).trustedFolders, [parent, other], 'trusting it is a new grant, not "already trusted"');
    assert.equal(isTrusted(other, env), true);
  });

  it('untrusts a hand-written link entry too (taking trust away may follow a link)', () => {
    const { home, env, file, repo, run } = setup();
    const link = path.join(home, 'link');
    fs.symlinkSync(repo, link);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ trustedFolders: [link, repo] }));
    assert.equal(isTrusted(repo, env), true);
    assert.equal(run(repo, false), 0);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')).trustedFolders, []);
  });

  it('writes through a linked config file (dotfiles) rather than replacing the link', () => {
    const { home, env, file, repo, run } = setup();
    const real = path.join(home, 'dotfiles', 'nightshift.json');
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, '{ "model": "m" }');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.symlinkSync(real, file);
    run(repo, true);
    assert.ok(fs.lstatSync(file).isSymbolicLink());
    assert.deepEqual(JSON.parse(fs.readFileSync(real, 'utf8')), { model: 'm', trustedFolders: [repo] });
    assert.equal(isTrusted(repo, env), true);
  });

  it('changes nothing in a config file it cannot read as JSON, and trusts no folder that is not there', () => {
    const { file, repo, said, run, home } = setup();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{ "model": "m", oops }');
    assert.equal(run(repo, true), 3);
    assert.match(said.at(-1)!, /cannot be read as a JSON object .* nothing was changed/);
    assert.equal(fs.readFileSync(file, 'utf8'), '{ "model": "m", oops }');
    assert.equal(run(path.join(home, 'missing'), true), 2);
  });

  it('takes trust from the user’s file and the flag only: a relative path or a repository’s own file counts for nothing', () => {
    const { env, file, repo } = setup();
    fs.mkdirSync(path.join(repo, '.nightshift'));
    fs.writeFileSync(path.join(repo, '.nightshift', 'config.json'), JSON.stringify({ trustedFolders: [repo, '/'] }));
    assert.equal(isTrusted(repo, env), false);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ trustedFolders: ['repo', path.dirname(repo)] }));
    assert.equal(isTrusted(repo, env), false, 'neither a relative name nor the parent folder trusts it');
    assert.equal(isTrusted(repo, env, true), true);
  });
});
