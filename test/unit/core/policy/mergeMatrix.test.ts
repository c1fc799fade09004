/**
 * Every rule, every pair of layers (organisation, repository, user): the stricter value wins
 * whichever layer holds it, and the rules that are choices (a profile, the year's start, the
 * gateway) go to the organisation, then the repository, then the user.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectivePolicy, type EffectivePolicy, type PolicyLayer, type UserValues } from '../../../../src/core/policy/effectivePolicy';
import { parsePolicy } from '../../../../src/core/policy/policyFile';

/** A user who asks nothing of the policy: the loosest values of every setting. */
const LOOSE_USER: UserValues = { annualUsd: 1e9, yearStartMonth: 1, escalationShare: 1, dailyCapUsd: null, askAboveUsd: null, exclude: [], localOnly: [], quietHours: '', autoEscalate: true };
const layerOf = (which: 'organisation' | 'repository', policy: object): PolicyLayer => ({ layer: which, parsed: parsePolicy({ file: which, text: JSON.stringify(policy) }) });

type Who = 'organisation' | 'repository' | 'user';
interface Rule {
  name: string;
  /** The rule in a policy file, for a value. */
  policy: (v: never) => object;
  /** The same rule in the user's settings; none where a user has no setting for it. */
  user?: (v: never) => Partial<UserValues>;
  get: (p: EffectivePolicy) => unknown;
  strict: unknown;
  loose: unknown;
  /** What wins when both are set (default: the strict one). */
  both?: unknown;
}

const RULES: Rule[] = [
  { name: 'annual budget', policy: (v: number) => ({ budget: { annualUsdPerDeveloper: v } }), user: (v: number) => ({ annualUsd: v }), get: (p) => p.annualUsd.value, strict: 900, loose: 1200 },
  { name: 'escalation share', policy: (v: number) => ({ budget: { escalationShare: v } }), user: (v: number) => ({ escalationShare: v }), get: (p) => p.escalationShare.value, strict: 0.1, loose: 0.3 },
  { name: 'daily cap', policy: (v: number) => ({ budget: { dailyCapUsd: v } }), user: (v: number) => ({ dailyCapUsd: v }), get: (p) => p.dailyCapUsd.value, strict: 3, loose: 5 },
  { name: 'ask above', policy: (v: number) => ({ budget: { askAboveUsd: v } }), user: (v: number) => ({ askAboveUsd: v }), get: (p) => p.askAboveUsd.value, strict: 0.5, loose: 2 },
  { name: 'escalations per month', policy: (v: number) => ({ escalation: { maxPerMonth: v } }), get: (p) => p.escalationMaxPerMonth.value, strict: 4, loose: 40 },
  { name: 'escalation allowed', policy: (v: boolean) => ({ escalation: { allowed: v } }), get: (p) => p.escalationAllowed.value, strict: false, loose: true },
  { name: 'escalation confirmed', policy: (v: boolean) => ({ escalation: { confirm: v } }), get: (p) => p.escalationConfirm.value, strict: true, loose: false },
  {
    name: 'automatic escalation',
    policy: (v: boolean) => ({ escalation: { automaticAfterFailedChecks: v } }),
    user: (v: boolean) => ({ autoEscalate: v }),
    get: (p) => p.automaticEscalation.value,
    strict: false,
    loose: true,
  },
  { name: 'local models', policy: (v: string) => ({ models: { localModels: v } }), get: (p) => p.localModels.value, strict: 'forbidden', loose: 'allowed' },
  { name: 'redaction for local models', policy: (v: boolean) => ({ privacy: { redactForLocalModels: v } }), get: (p) => p.redactForLocalModels.value, strict: true, loose: false },
  { name: 'check commands', policy: (v: boolean) => ({ privacy: { checkCommands: v } }), get: (p) => p.checkCommands.value, strict: false, loose: true },
  { name: 'tests required', policy: (v: boolean) => ({ checks: { requireTests: v } }), get: (p) => p.requireTests.value, strict: true, loose: false },
  { name: 'only when idle', policy: (v: boolean) => ({ schedule: { onlyWhenIdle: v } }), get: (p) => p.onlyWhenIdle.value, strict: true, loose: false },
  {
    name: 'never read (every layer adds)',
    policy: (v: string[]) => ({ privacy: { neverRead: v } }),
    user: (v: string[]) => ({ exclude: v }),
    get: (p) => [...p.neverRead.value].sort(),
    strict: ['secrets/**'],
    loose: ['*.sql'],
    both: ['*.sql', 'secrets/**'],
  },
  {
    name: 'local only (every layer adds)',
    policy: (v: string[]) => ({ privacy: { localOnly: v } }),
    user: (v: string[]) => ({ localOnly: v }),
    get: (p) => [...p.localOnly.value].sort(),
    strict: ['hr/**'],
    loose: ['legal/**'],
    both: ['hr/**', 'legal/**'],
  },
  {
    name: 'quiet hours (every window holds)',
    policy: (v: string) => ({ schedule: { quietHours: v } }),
    user: (v: string) => ({ quietHours: v }),
    get: (p) => p.quietHours.map((w) => w.value).sort(),
    strict: '12:00-13:00',
    loose: '22:00-07:00',
    both: ['12:00-13:00', '22:00-07:00'],
  },
  {
    name: 'headless hours (every window holds)',
    policy: (v: string) => ({ schedule: { headlessHours: v } }),
    get: (p) => p.headlessHours.map((w) => w.value).sort(),
    strict: '02:00-04:00',
    loose: '00:00-06:00',
    both: ['00:00-06:00', '02:00-04:00'],
  },
  {
    name: 'model allow lists (each applies)',
    policy: (v: string[]) => ({ models: { allow: v } }),
    get: (p) => p.modelAllow.map((r) => r.value.join()).sort(),
    strict: ['minimax:*'],
    loose: ['*'],
    both: ['*', 'minimax:*'],
  },
];

/** `notRepository`: a choice a repository's own policy may not make (REPOSITORY_MAY_NOT): it is the organisation's, else the user's. */
const CHOICES: Array<Omit<Rule, 'strict' | 'loose'> & { values: [unknown, unknown, unknown]; notRepository?: boolean }> = [
  { name: 'year start month', policy: (v: number) => ({ budget: { yearStartMonth: v } }), user: (v: number) => ({ yearStartMonth: v }), get: (p) => p.yearStartMonth.value, values: [4, 7, 10], notRepository: true },
  { name: 'background profile', policy: (v: string) => ({ models: { backgroundProfile: v } }), get: (p) => p.backgroundProfile?.value, values: ['org', 'repo', undefined], notRepository: true },
  { name: 'escalation profile', policy: (v: string) => ({ models: { escalationProfile: v } }), get: (p) => p.escalationProfile?.value, values: ['org', 'repo', undefined], notRepository: true },
  {
    name: 'gateway',
    policy: (v: string) => ({ gateway: { kind: 'litellm', baseUrl: v } }),
    get: (p) => p.gateway?.value.baseUrl,
    values: ['https://org.example/v1', 'https://repo.example/v1', undefined],
  },
];

function merged(set: Partial<Record<Who, unknown>>, rule: Pick<Rule, 'policy' | 'user'>): EffectivePolicy {
  const layers: PolicyLayer[] = [];
  if (set.organisation !== undefined) layers.push(layerOf('organisation', rule.policy(set.organisation as never)));
  if (set.repository !== undefined) layers.push(layerOf('repository', rule.policy(set.repository as never)));
  const user = set.user !== undefined && rule.user ? { ...LOOSE_USER, ...rule.user(set.user as never) } : LOOSE_USER;
  for (const l of layers) assert.deepEqual(l.parsed.problems, [], 'the test policy itself is valid');
  return effectivePolicy(layers, user);
}

const PAIRS: Array<[Who, Who]> = [
  ['organisation', 'repository'],
  ['organisation', 'user'],
  ['repository', 'user'],
];

describe('every rule, every pair of layers', () => {
  for (const rule of RULES) {
    for (const [a, b] of PAIRS) {
      if ((a === 'user' || b === 'user') && !rule.user) continue;
      it(`${rule.name}: ${a} and ${b}, the stricter wins whichever holds it`, () => {
        const want = rule.both ?? rule.strict;
        assert.deepEqual(rule.get(merged({ [a]: rule.strict, [b]: rule.loose }, rule)), want);
        assert.deepEqual(rule.get(merged({ [a]: rule.loose, [b]: rule.strict }, rule)), want);
      });
    }
    it(`${rule.name}: the loose value alone is what that layer says (the test can tell the two apart)`, () => {
      const alone = rule.get(merged({ repository: rule.loose }, rule));
      assert.notDeepEqual(alone, rule.get(merged({ repository: rule.strict }, rule)));
    });
  }

  for (const rule of CHOICES) {
    it(`${rule.name}: a choice, taken from the organisation, then ${rule.notRepository ? 'the user (never the repository: it is refused, saying where)' : 'the repository, then the user'}`, () => {
      const [org, repo, user] = rule.values;
      assert.deepEqual(rule.get(merged({ organisation: org, repository: repo, user }, rule)), org);
      const repoOnly = merged({ repository: repo, user }, rule);
      assert.deepEqual(rule.get(repoOnly), rule.notRepository ? (rule.user ? user : undefined) : repo);
      assert.equal(repoOnly.refused.length, rule.notRepository ? 1 : 0, repoOnly.refused.join('\n'));
      assert.equal(repoOnly.broken, false, 'a refused rule is ignored, nothing pauses');
      if (rule.user) assert.deepEqual(rule.get(merged({ user }, rule)), user);
    });
  }

  it("a user's switch that is off keeps automatic escalation off, whatever the policy allows", () => {
    const p = effectivePolicy([layerOf('repository', { escalation: { automaticAfterFailedChecks: true } })], { ...LOOSE_USER, autoEscalate: false });
    assert.deepEqual(p.automaticEscalation, { value: false, source: { layer: 'user' } });
  });

  it('several repository layers (a multi-root workspace): each one binds', () => {
    const p = effectivePolicy([layerOf('repository', { budget: { dailyCapUsd: 5 } }), layerOf('repository', { budget: { dailyCapUsd: 2 }, escalation: { allowed: false } })], LOOSE_USER);
    assert.deepEqual([p.dailyCapUsd.value, p.escalationAllowed.value], [2, false]);
  });
});
