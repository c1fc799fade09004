/** A privacy refusal caused by the team policy names the rule, its file and line; one the user's settings caused says so. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PrivacyGate } from '../../../../src/core/privacy/PrivacyGate';
import { backendFor } from '../../../../src/core/agent/runTask';

const POLICY_NEVER = '.nightshift/policy.json:5 (privacy.neverRead, repository policy)';
const POLICY_LOCAL = 'org.json:7 (privacy.localOnly, organisation policy)';
const gate = () =>
  new PrivacyGate({
    exclude: ['mine/**', 'customers/**'],
    localOnly: ['notes/**', 'hr/**'],
    setBy: { neverRead: [{ globs: ['customers/**'], setBy: POLICY_NEVER }], localOnly: [{ globs: ['hr/**'], setBy: POLICY_LOCAL }] },
  });

describe("the privacy gate names the team policy's rule", () => {
  it('for a path the policy never reads, and the setting for one the user excluded', () => {
    assert.deepEqual(gate().check('customers/acme.ts', true), { allowed: false, reason: `the team policy never reads it (${POLICY_NEVER})` });
    assert.deepEqual(gate().check('mine/x.ts', true), { allowed: false, reason: 'it is excluded by .gitignore, .nightshiftignore or nightshift.exclude' });
  });

  it('for a local-only path sent to a remote backend', () => {
    assert.deepEqual(gate().check('hr/pay.ts', false), { allowed: false, reason: `it is marked local-only (the team policy: ${POLICY_LOCAL}) and the backend is not local` });
    assert.deepEqual(gate().check('notes/a.ts', false), { allowed: false, reason: 'it is marked local-only (nightshift.localOnly) and the backend is not local' });
    assert.deepEqual(gate().check('hr/pay.ts', true), { allowed: true });
  });

  it('when a local-only file has no local backend to go to', async () => {
    const deps = {
      privacy: () => gate(),
      resolveBackend: async () => ({ setupNeeded: 'no local backend', action: 'openSettings' as const }),
      spend: { status: () => ({ step: 'normal' }) },
    } as unknown as Parameters<typeof backendFor>[1];
    const r = await backendFor({ input: { relativePath: 'hr/pay.ts' } } as Parameters<typeof backendFor>[0], deps);
    assert.deepEqual(r, { skipped: `hr/pay.ts is marked local-only (the team policy: ${POLICY_LOCAL}) and no local backend is configured` });
  });
});
