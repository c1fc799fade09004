/**
 * The team policy file, `.nightshift/policy.json`: one zod schema, the source of both the
 * validator and the published JSON Schema (schemas/policy.schema.json, made by `npm run schema`;
 * a unit test fails when they drift). Unknown fields are errors: a misspelt rule must not pass as
 * no rule.
 */
import { z } from 'zod';
import { parseQuietHours } from '../agent/quietHours';
import { isLoopbackUrl } from '../providers/backends';

const usd = z.number().min(0);
/** A daily window of local time that parses: "22:00-07:00", hours 0–23 (24:00 as an end), not empty. */
const window = (example: string) =>
  z
    .string()
    .regex(/^\d{1,2}:\d{2}-\d{1,2}:\d{2}$/, `a window like "${example}"`)
    .refine((s) => !/^\d{1,2}:\d{2}-\d{1,2}:\d{2}$/.test(s) || parseQuietHours(s) !== undefined, `a window of local time like "${example}" (hours 0–23, minutes 0–59, start and end different)`);
const globs = z.array(z.string().min(1)).describe('Glob patterns (gitignore style for paths; * and ? for model names).');

export const policySchema = z
  .strictObject({
    $schema: z.string().optional(),
    budget: z
      .strictObject({
        annualUsdPerDeveloper: usd.optional().describe('What one developer may spend in a budget year, in USD (background and escalation together).'),
        yearStartMonth: z.number().int().min(1).max(12).optional().describe('The month the budget year starts (1 = January).'),
        escalationShare: z.number().min(0).max(1).optional().describe('The most of the annual budget escalation may use, as a fraction (0.2 = 20%).'),
        dailyCapUsd: usd.optional().describe('The most spent in one UTC day, in USD.'),
        askAboveUsd: usd.optional().describe('A call that may cost more than this asks first.'),
      })
      .optional(),
    models: z
      .strictObject({
        allow: globs.optional().describe('The models that may be called, as "backend:model" globs ("minimax:MiniMax-M2.*", "openrouter:*") or model globs.'),
        backgroundProfile: z.string().min(1).optional().describe('The profile the background work must use.'),
        escalationProfile: z.string().min(1).optional().describe('The profile escalation must use.'),
        localModels: z.enum(['allowed', 'forbidden']).optional().describe('Whether local model servers may be used.'),
      })
      .optional(),
    escalation: z
      .strictObject({
        allowed: z.boolean().optional().describe('Whether tasks may be escalated to a frontier model at all.'),
        confirm: z.boolean().optional().describe('Every escalation asks first, whatever it costs.'),
        maxPerMonth: z.number().int().min(0).optional().describe('At most this many escalated calls per developer per calendar month.'),
        automaticAfterFailedChecks: z.boolean().optional().describe('Whether Nightshift may escalate by itself after failed checks.'),
      })
      .optional(),
    privacy: z
      .strictObject({
        neverRead: globs.optional().describe('Paths never read, sent or edited (gitignore syntax).'),
        localOnly: globs.optional().describe('Paths only ever sent to a local model server.'),
        redactForLocalModels: z.boolean().optional().describe('Redact secrets even in what goes to a local model server.'),
        checkCommands: z.boolean().optional().describe("Whether the check commands, and the project's own tests, may run."),
      })
      .optional(),
    checks: z
      .strictObject({
        requireTests: z.boolean().optional().describe('A proposal counts as checked (badge, preferred quick fix, Accept All Checked) only when the tests that reach it ran and passed; type-checked is not enough.'),
      })
      .optional(),
    schedule: z
      .strictObject({
        quietHours: window('22:00-07:00').optional().describe("No background work in this daily window (local time). Every layer's window holds, the user's too."),
        onlyWhenIdle: z.boolean().optional().describe('In the editor, background work starts only while the user is idle (no typing, cursor moves or editor switches for 2 minutes).'),
        headlessHours: window('01:00-06:00').optional().describe('The headless host (`nightshift watch`) works only inside this daily window (local time), a nightly window say. Where two layers set one, it works only where both allow.'),
      })
      .optional(),
    gateway: z
      .strictObject({
        kind: z.enum(['litellm', 'openrouter']).describe('What the gateway is: a LiteLLM proxy (budget read from /key/info and /team/info) or OpenRouter (/api/v1/key).'),
        baseUrl: z
          .string()
          .regex(/^https?:\/\//, 'an https URL')
          .refine((s) => !/^https?:\/\//.test(s) || gatewayUrl(s), 'an https URL (or http on this machine), like "https://litellm.example.com/v1"')
          .describe('The gateway\'s OpenAI-compatible base URL, as a profile names it ("https://openrouter.ai/api/v1").'),
        required: z.boolean().optional().describe("Every call to a remote model must go through this gateway, so its count is the team's whole spend (default true). False: its budget is read and respected, other remote backends stay allowed."),
      })
      .optional()
      .describe("The team's gateway, whose spend is the source of truth: no call starts that its remaining budget cannot cover."),
  })
  .describe('Nightshift team policy: budgets, models, escalation, privacy and schedule, enforced at every call. A user setting can tighten a rule, never loosen it.');

function gatewayUrl(s: string): boolean {
  try {
    const url = new URL(s);
    // No credentials in a URL a policy file shows to everyone.
    if (url.username || url.password) return false;
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackUrl(s));
  } catch {
    return false;
  }
}

export type Policy = z.infer<typeof policySchema>;

/** The published JSON Schema of the policy file. */
export function policyJsonSchema(): Record<string, unknown> {
  return { $id: 'https://nightshift.dev/schemas/policy.schema.json', ...(z.toJSONSchema(policySchema) as Record<string, unknown>) };
}
