/**
 * The check commands as the engine wires them (engine.ts hands CommandVerifier the settings in
 * force): a command from nightshift.checkCommands runs on a proposal, in a git repository's
 * temporary worktree, and none runs where the team policy lets no command run. Slow: git and a
 * shell run; the unit tier sees only what reachOf hands on (policyApplied.test.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, it } from 'node:test';
import { build, disposeBuilt, fakeTypeScript, freeFix } from '../../../unit/core/engine/engineHarness';

afterEach(disposeBuilt);

/** An engine on a git repository with one commit, its check command set; the policy's checkCommands as given. */
async function checkedFix(policy?: object) {
  const b = build({ checkCommands: ['test -f a.ts && grep -q "console.log(count)" a.ts'], tests: 'off' }, {}, { typescript: () => fakeTypeScript });
  b.write('README.md', 'a repository\n');
  if (policy) b.policy(JSON.stringify(policy));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: b.root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-qm', 'init');
  await b.engine.settingsChanged();
  return (await freeFix(b)).check;
}

describe('the check commands the engine runs', () => {
  it('a check command runs on the proposal', async () => {
    const check = await checkedFix();
    assert.equal(check?.status, 'passed', JSON.stringify(check));
    assert.match(check?.detail ?? '', /`test -f a\.ts && grep -q "console\.log\(count\)" a\.ts` passed with this change\./);
  });

  it("none runs where the team's policy lets no command run", async () => {
    const check = await checkedFix({ privacy: { checkCommands: false } });
    assert.equal(check?.status, 'passed', JSON.stringify(check));
    assert.doesNotMatch(check?.detail ?? '', /passed with this change/);
  });
});
