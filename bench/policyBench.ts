/** The team policy's cost: reading and merging the layers, and the check each call makes. */
import { effectivePolicy, gatewayRefusal, modelRefusal, type PolicyLayer } from '../src/core/policy/effectivePolicy';
import { parsePolicy } from '../src/core/policy/policyFile';
import type { Measured } from './providerBench';

const ORG = JSON.stringify(
  {
    budget: { annualUsdPerDeveloper: 1500, dailyCapUsd: 10, askAboveUsd: 1, escalationShare: 0.25 },
    models: { allow: ['minimax:*', 'openrouter:*', 'litellm:*'], localModels: 'allowed' },
    escalation: { allowed: true, maxPerMonth: 40 },
    privacy: { neverRead: Array.from({ length: 30 }, (_, i) => `secret-${i}/**`), redactForLocalModels: true },
    gateway: { kind: 'litellm', baseUrl: 'https://llm.example.com/v1' },
  },
  null,
  2,
);
const REPO = JSON.stringify({ budget: { dailyCapUsd: 5 }, privacy: { localOnly: ['hr/**', 'legal/**'] }, schedule: { quietHours: '22:00-07:00' } }, null, 2);
const USER = { annualUsd: 2000, yearStartMonth: 1, escalationShare: 0.2, dailyCapUsd: null, askAboveUsd: null, exclude: [], localOnly: [], quietHours: '', autoEscalate: false };

export function policyCost(): Measured[] {
  const compute = () => {
    const layers: PolicyLayer[] = [
      { layer: 'organisation', parsed: parsePolicy({ file: 'org.json', text: ORG }) },
      { layer: 'repository', parsed: parsePolicy({ file: '.nightshift/policy.json', text: REPO }) },
    ];
    return effectivePolicy(layers, USER);
  };
  for (let i = 0; i < 50; i++) compute();
  const runs = 500;
  let t = performance.now();
  for (let i = 0; i < runs; i++) compute();
  const merge = (performance.now() - t) / runs;
  const policy = compute();
  t = performance.now();
  const profile = { name: 'team', baseUrl: 'https://llm.example.com/v1', displayName: 'LiteLLM', local: false };
  let refused: string | undefined;
  for (let i = 0; i < 10_000; i++) refused = modelRefusal(policy, 'litellm', 'MiniMax-M2.7', false) ?? gatewayRefusal(policy, profile);
  if (refused) throw new Error(`policy bench: the call was refused: ${refused}`);
  const check = (performance.now() - t) / 10_000;
  return [
    { metric: 'policy: read and merge two layers (parse, validate, merge)', measured: merge, unit: 'ms', target: 5, kind: 'max' },
    { metric: 'policy: the check a call makes (model allow lists, the gateway)', measured: check, unit: 'ms', target: 1, kind: 'max' },
  ];
}
