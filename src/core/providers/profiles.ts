/**
 * Backend profiles and the two roles they fill: `background` (the cheap model that runs all day;
 * by default MiniMax M2.7 from nightshift.baseUrl/model) and `escalation` (none until chosen).
 * Profile settings are outside input: they are validated here, and a broken one is reported
 * with its name and what is wrong, never silently used.
 */
import { z } from 'zod';
import { DEFAULT_PROFILE_NAME } from '../../shared/agentProtocol';
import { BACKENDS, backendDisplayName, inferBackendKind, type BackendKind } from './backends';
import { isLocalBackend } from './keyScope';
import { FREE, priceFor, withMarkup, type ModelPrice } from './pricing';

export type PriceSource = 'table' | 'override' | 'local' | 'unknown';

export interface BackendProfile {
  /** "default" for the one made from nightshift.baseUrl/model. */
  name: string;
  kind: BackendKind;
  baseUrl: string;
  model: string;
  displayName: string;
  /** On this machine: free, no key needed. */
  local: boolean;
  price: ModelPrice | undefined;
  priceSource: PriceSource;
}

const priceSchema = z.object({
  input: z.number().min(0),
  cachedInput: z.number().min(0).optional(),
  output: z.number().min(0),
});

const profileSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[\w .-]+$/, 'letters, digits, spaces, dots, dashes and underscores only'),
  backend: z.enum(Object.keys(BACKENDS) as [BackendKind, ...BackendKind[]]).optional(),
  baseUrl: z.string().url().optional(),
  model: z.string().trim().min(1),
  price: priceSchema.optional(),
  /** Overrides whether the server counts as on this machine (free, no key, no redaction). */
  local: z.boolean().optional(),
  /** What a gateway adds to the model's price, as a fraction (0.1 = 10%); reserved on every call. */
  markup: z.number().min(0).max(10).optional(),
});

export type ProfileSetting = z.infer<typeof profileSchema>;

export interface ProfileSettings {
  baseUrl: string;
  model: string;
  profiles: unknown;
  backgroundProfile: string;
  escalationProfile: string;
}

/** Validates nightshift.profiles; returns the good ones and one sentence per bad one. */
export function parseProfiles(raw: unknown): { profiles: ProfileSetting[]; problems: string[] } {
  if (raw === undefined || raw === null) return { profiles: [], problems: [] };
  if (!Array.isArray(raw)) return { profiles: [], problems: ['nightshift.profiles must be a list of profiles.'] };
  const profiles: ProfileSetting[] = [];
  const problems: string[] = [];
  raw.forEach((item, i) => {
    const parsed = profileSchema.safeParse(item);
    if (!parsed.success) {
      const label = typeof (item as { name?: unknown })?.name === 'string' ? `"${(item as { name: string }).name}"` : `number ${i + 1}`;
      const issue = parsed.error.issues[0];
      problems.push(`Profile ${label} in nightshift.profiles is invalid: ${issue.path.join('.') || 'profile'}: ${issue.message}.`);
    } else if (profiles.some((p) => p.name === parsed.data.name) || parsed.data.name === DEFAULT_PROFILE_NAME) {
      problems.push(`Profile name "${parsed.data.name}" is used twice (or is the reserved name "default").`);
    } else {
      profiles.push(parsed.data);
    }
  });
  return { profiles, problems };
}

export function toBackendProfile(setting: ProfileSetting): BackendProfile {
  const kind = setting.backend ?? (setting.baseUrl ? inferBackendKind(setting.baseUrl) : 'minimax');
  const baseUrl = setting.baseUrl ?? BACKENDS[kind].baseUrl;
  // A loopback URL of an unknown kind is taken as a local model server; a known remote kind on
  // loopback (a LiteLLM proxy on localhost) forwards to the cloud and is not local.
  const local = isLocalBackend(kind, baseUrl, setting.local);
  const table = priceFor(setting.model);
  let price: ModelPrice | undefined;
  let priceSource: PriceSource;
  if (setting.price) {
    price = { inputPerM: setting.price.input, cachedInputPerM: setting.price.cachedInput ?? setting.price.input, outputPerM: setting.price.output };
    priceSource = 'override';
  } else if (local) {
    price = FREE;
    priceSource = 'local';
  } else {
    price = table;
    priceSource = table ? 'table' : 'unknown';
  }
  if (price && !local) price = withMarkup(price, setting.markup ?? BACKENDS[kind].markup);
  return { name: setting.name, kind, baseUrl, model: setting.model, displayName: backendDisplayName(baseUrl), local, price, priceSource };
}

export type RoleResolution = { profile: BackendProfile } | { none: true } | { problem: string };

/** The profile for a role: a named profile, or for `background` the default one. */
export function resolveRole(settings: ProfileSettings, role: 'background' | 'escalation'): RoleResolution {
  const wanted = (role === 'background' ? settings.backgroundProfile : settings.escalationProfile).trim();
  if (!wanted || wanted === DEFAULT_PROFILE_NAME) {
    if (role === 'escalation') return { none: true };
    return { profile: toBackendProfile({ name: DEFAULT_PROFILE_NAME, baseUrl: settings.baseUrl, model: settings.model }) };
  }
  const { profiles, problems } = parseProfiles(settings.profiles);
  const found = profiles.find((p) => p.name === wanted);
  if (found) return { profile: toBackendProfile(found) };
  return { problem: problems.find((p) => p.includes(`"${wanted}"`)) ?? `The ${role} profile "${wanted}" is not in nightshift.profiles.` };
}
