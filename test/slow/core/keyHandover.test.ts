/**
 * Keys taken out of reach at a process's start: from the environment, key files and a parent's
 * pipe; gone from process.env, from /proc/<pid>/environ (Linux) and from what its children inherit.
 * The real-process tests first show the same child *without* holdKeys leaks the key, so they can fail.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { holdKeys, isKeyVariable, spawnWithKeys, type KeyIntake } from '../../../src/core/keyHandover';

const MODULE = path.join(__dirname, '..', '..', '..', 'src', 'core', 'keyHandover.js');
const CANARY = ['sk', 'handover', 'canary', '77'].join('-');

/** A child that (maybe) holds its keys, then reports what it and a grandchild can see. */
const CHILD = (hold: boolean) => `
  const { execSync } = require('node:child_process');
  const fs = require('node:fs');
  const held = ${hold ? `require(${JSON.stringify(MODULE)}).holdKeys(process.env)` : '{ keys: {}, notes: [] }'};
  const needle = process.argv[1];
  const own = fs.readFileSync('/proc/self/environ', 'latin1').includes(needle);
  const parentSeenByChild = execSync('cat /proc/$PPID/environ', { encoding: 'latin1' }).includes(needle);
  const childEnv = execSync('env', { encoding: 'latin1' }).includes(needle);
  process.stdout.write(JSON.stringify({ own, parentSeenByChild, childEnv, keys: Object.keys(held.keys), holds: Object.values(held.keys).includes(needle), notes: held.notes }));
`;

function runChild(hold: boolean, env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, ['-e', CHILD(hold), CANARY], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { own: boolean; parentSeenByChild: boolean; childEnv: boolean; keys: string[]; holds: boolean; notes: string[] };
}

describe('keys taken out of reach at start', () => {
  it('knows the key variables: its own, each profile’s, each backend’s; not their _FILE names, not others', () => {
    for (const v of ['NIGHTSHIFT_API_KEY', 'NIGHTSHIFT_API_KEY_WORK', 'MINIMAX_API_KEY', 'OPENROUTER_API_KEY', 'ANTHROPIC_API_KEY', 'LITELLM_API_KEY']) assert.ok(isKeyVariable(v), v);
    for (const v of ['NIGHTSHIFT_API_KEY_FILE', 'PATH', 'NIGHTSHIFT_SETTINGS', 'MY_API_KEY']) assert.ok(!isKeyVariable(v), v);
  });

  it('takes keys from variables, _FILE files and the parent’s pipe (which wins), and leaves none in the environment', () => {
    const wiped: string[][] = [];
    const intake: KeyIntake = {
      readFile: (file) => {
        if (file === '/run/secrets/or') return 'or-from-file\n';
        throw Object.assign(new Error('no'), { code: 'ENOENT' });
      },
      readFd: (fd) => (fd === 7 ? JSON.stringify({ NIGHTSHIFT_API_KEY_WORK: 'from-editor', PATH: '/evil', MINIMAX_API_KEY: 'mm-editor' }) : ''),
      wipe: (names) => (wiped.push([...names]), undefined),
    };
    const env: NodeJS.ProcessEnv = {
      PATH: '/bin',
      NIGHTSHIFT_SETTINGS: '{}',
      NIGHTSHIFT_API_KEY: ' general ',
      MINIMAX_API_KEY: 'mm-env',
      MINIMAX_API_KEY_FILE: '/run/secrets/mm',
      OPENROUTER_API_KEY_FILE: '/run/secrets/or',
      NIGHTSHIFT_API_KEY_CI_FILE: '/missing',
      NIGHTSHIFT_KEYS_FD: '7',
    };
    const held = holdKeys(env, intake);
    assert.deepEqual(held.keys, { NIGHTSHIFT_API_KEY: 'general', MINIMAX_API_KEY: 'mm-editor', OPENROUTER_API_KEY: 'or-from-file', NIGHTSHIFT_API_KEY_WORK: 'from-editor' });
    assert.deepEqual(env, { PATH: '/bin', NIGHTSHIFT_SETTINGS: '{}' });
    assert.deepEqual(wiped, [['NIGHTSHIFT_API_KEY', 'MINIMAX_API_KEY']]);
    assert.deepEqual(held.notes, ['NIGHTSHIFT_API_KEY_CI_FILE names /missing, which cannot be read (ENOENT); no key is read from it.']);
    assert.ok(!held.notes.join(' ').includes('general'));
  });

  it('wipes nothing when no key came in the environment', () => {
    let called = false;
    holdKeys({ PATH: '/bin' }, { readFile: () => '', readFd: () => '{}', wipe: () => ((called = true), undefined) });
    assert.equal(called, false);
  });

  describe('in real processes (Linux: /proc)', { skip: process.platform !== 'linux' }, () => {
    it('without holdKeys, the key is in the process’s environ and its children’s: the check can fail', () => {
      const r = runChild(false, { MINIMAX_API_KEY: CANARY });
      assert.deepEqual([r.own, r.parentSeenByChild, r.childEnv], [true, true, true]);
    });

    it('with it, no /proc/<pid>/environ and no child’s environment holds the key, and the process still has it', () => {
      const r = runChild(true, { MINIMAX_API_KEY: CANARY, NIGHTSHIFT_API_KEY_OTHER: 'x' });
      assert.deepEqual({ own: r.own, parentSeenByChild: r.parentSeenByChild, childEnv: r.childEnv, holds: r.holds, notes: r.notes }, { own: false, parentSeenByChild: false, childEnv: false, holds: true, notes: [] });
      assert.deepEqual(r.keys.sort(), ['MINIMAX_API_KEY', 'NIGHTSHIFT_API_KEY_OTHER']);
    });

    it('hands keys to a child through a pipe, never its environment, even one given a key variable by mistake', async () => {
      const child = spawnWithKeys(process.execPath, ['-e', CHILD(true), CANARY], { env: { PATH: process.env.PATH, OPENAI_API_KEY: 'stray' }, stdio: ['ignore', 'pipe', 'pipe'] }, { NIGHTSHIFT_API_KEY_DEFAULT: CANARY });
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      assert.equal(code, 0);
      const r = JSON.parse(out) as { own: boolean; childEnv: boolean; keys: string[]; holds: boolean };
      assert.deepEqual(r, { ...r, own: false, childEnv: false, holds: true, keys: ['NIGHTSHIFT_API_KEY_DEFAULT'] });
    });
  });
});
