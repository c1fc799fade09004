/**
 * Turns the settings (the editor's, pulled with `workspace/configuration`, or the headless host's
 * config file and flags; cached until they change) and the keys (from the editor's SecretStorage,
 * or the environment) into a model backend for a role. Holds one circuit breaker per backend URL and the health of all of them,
 * so both outlive the single call.
 */
import type { BackendHealthSummary } from '../../shared/types';
import { DEFAULT_AGENT_SETTINGS, type AgentSettings } from '../agent/agentHost';
import type { BackendResolution } from '../agent/runTask';
import { BackendHealth } from '../providers/backendHealth';
import { CircuitBreaker } from '../providers/circuitBreaker';
import { OpenAIBackend } from '../providers/openaiBackend';
import { parseBudgetSettings } from '../budget/budgetSettings';
import { priceFor, type ModelPrice } from '../providers/pricing';
import type { BudgetSettings } from '../budget/BudgetGovernor';
import { parseProfiles, resolveRole, toBackendProfile, type BackendProfile, type ProfileSettings } from '../providers/profiles';
import { ResilientBackend } from '../providers/ResilientBackend';
import { backendDisplayName } from '../providers/backends';
import { keyForBackend, type StoredKey } from '../providers/keyScope';
import { settingDefault } from '../../shared/settingsSchema';
import { numberSetting } from '../settingValues';
import { describeSource, gatewayRefusal, modelRefusal, throughGateway, type EffectivePolicy } from '../policy/effectivePolicy';

export interface ServerSettings extends ProfileSettings {
  maxCompletionTokens: number;
  budget: BudgetSettings;
  exclude: string[];
  localOnly: string[];
  checkCommands: string[];
  checkTimeoutMs: number;
  /** nightshift.tests: check proposals with the project's own tests that reach the change. */
  tests: 'auto' | 'off';
  testTimeoutMs: number;
  /** A reply that sends nothing for this long mid-stream is given up. */
  streamIdleMs: number;
  /** A call not finished this long after it was sent is given up (nightshift.callTimeoutSeconds). */
  callTimeoutMs: number;
  agent: AgentSettings;
  /** nightshift.organizationPolicy: the organisation's policy, a path or an https URL. */
  organizationPolicy: string;
  /** Sentences about settings that could not be used. */
  problems: string[];
}

/** The defaults of the settings (shared/settingsSchema.ts) whose own values may be unusable. */
const DEFAULTS = { baseUrl: settingDefault('baseUrl'), model: settingDefault('model') };

/** Local servers ignore the key but the SDK needs a non-empty one. */
const LOCAL_PLACEHOLDER_KEY = 'local';

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s.trim() !== '') : []);
const str = (v: unknown, fallback: string) => (typeof v === 'string' && v.trim() ? v.trim() : fallback);

export class BackendConfig {
  private settings: ServerSettings | undefined;
  private readonly keys = new Map<string, string | StoredKey | null>();
  private readonly breakers = new Map<string, { displayName: string; breaker: CircuitBreaker }>();
  private readonly health = new BackendHealth();
  private policy: EffectivePolicy | undefined;

  constructor(
    /** The `nightshift.*` settings as one object (the VS Code settings' names without the prefix). */
    private readonly readSettings: () => Promise<unknown>,
    /** A profile's key, or null when none is set. */
    private readonly readKey: (profile: string) => Promise<string | StoredKey | null>,
    /** What to tell the user when a profile has no key: where this host reads keys from. */
    private readonly noKeyHint: (profile: BackendProfile) => string = () => "Run 'Nightshift: Set API Key', or point nightshift.baseUrl at a local server.",
  ) {}

  /** The team policy in force: which profiles and models may run, whether escalation may. */
  setPolicy(policy: EffectivePolicy): void {
    this.policy = policy;
  }

  invalidateSettings(): void {
    this.settings = undefined;
  }

  invalidateKeys(): void {
    this.keys.clear();
  }

  async current(): Promise<ServerSettings> {
    if (!this.settings) {
      const raw = ((await this.readSettings()) ?? {}) as Record<string, unknown>;
      const max = raw.maxCompletionTokens;
      const budget = parseBudgetSettings(raw.budget);
      this.settings = {
        budget: budget.settings,
        exclude: strings(raw.exclude),
        localOnly: strings(raw.localOnly),
        checkCommands: strings(raw.checkCommands),
        agent: {
          quietHours: str(raw.quietHours, ''),
          alwaysTrigger: strings(raw.alwaysTrigger),
          autoEscalate: raw.autoEscalate === true,
          concurrency: numberSetting('concurrency', raw.concurrency),
          reviewSavedChanges: typeof raw.reviewSavedChanges === 'boolean' ? raw.reviewSavedChanges : DEFAULT_AGENT_SETTINGS.reviewSavedChanges,
          reviewCommits: typeof raw.reviewCommits === 'boolean' ? raw.reviewCommits : DEFAULT_AGENT_SETTINGS.reviewCommits,
          todoComments: typeof raw.todoComments === 'boolean' ? raw.todoComments : DEFAULT_AGENT_SETTINGS.todoComments,
        },
        checkTimeoutMs: numberSetting('checkTimeoutSeconds', raw.checkTimeoutSeconds) * 1000,
        tests: raw.tests === 'off' || raw.tests === 'auto' ? raw.tests : settingDefault('tests'),
        testTimeoutMs: numberSetting('testTimeoutSeconds', raw.testTimeoutSeconds) * 1000,
        streamIdleMs: numberSetting('streamIdleSeconds', raw.streamIdleSeconds) * 1000,
        callTimeoutMs: numberSetting('callTimeoutSeconds', raw.callTimeoutSeconds) * 1000,
        problems: [...budget.problems, ...parseProfiles(raw.profiles).problems],
        baseUrl: str(raw.baseUrl, DEFAULTS.baseUrl),
        model: str(raw.model, DEFAULTS.model),
        profiles: raw.profiles,
        backgroundProfile: str(raw.backgroundProfile, ''),
        escalationProfile: str(raw.escalationProfile, ''),
        maxCompletionTokens: numberSetting('maxCompletionTokens', max),
        organizationPolicy: str(raw.organizationPolicy, ''),
      };
    }
    return this.settings;
  }

  healthSummary(now: number): BackendHealthSummary[] {
    const pausedUntil = (backend: string) => {
      for (const [, b] of this.breakers) if (b.displayName === backend) return b.breaker.pausedUntil();
      return undefined;
    };
    return this.health.summary(now, pausedUntil);
  }

  /** The model "saved vs frontier" compares with: the escalation profile's, else GPT-5.4. */
  async frontier(): Promise<{ model: string; price: ModelPrice }> {
    const esc = resolveRole(await this.current(), 'escalation');
    if ('profile' in esc && esc.profile.price && !esc.profile.local) return { model: esc.profile.model, price: esc.profile.price };
    return { model: 'gpt-5.4', price: priceFor('gpt-5.4')! };
  }

  /**
   * The gateway whose budget is the team's real counter, and a key to read it with: the one the
   * policy names (read with the key of a profile behind it: background first, then escalation, then
   * any), else the background profile's own LiteLLM proxy or OpenRouter.
   */
  async gateway(): Promise<{ kind: 'litellm' | 'openrouter'; baseUrl: string; key: string; displayName: string } | undefined> {
    const own = await this.current();
    const settings = { ...own, backgroundProfile: this.policy?.backgroundProfile?.value ?? own.backgroundProfile, escalationProfile: this.policy?.escalationProfile?.value ?? own.escalationProfile };
    const named = this.policy?.gateway?.value;
    const [background, escalation] = (['background', 'escalation'] as const).map((role) => resolveRole(settings, role)).map((r) => ('profile' in r ? r.profile : undefined));
    const candidates = [background, escalation, ...parseProfiles(own.profiles).profiles.map(toBackendProfile)];
    const profile = named ? candidates.find((p) => p && !p.local && throughGateway(p.baseUrl, named.baseUrl)) : background;
    const kind = named?.kind ?? profile?.kind;
    if (!profile || (kind !== 'litellm' && kind !== 'openrouter')) return undefined;
    const key = keyForBackend(await this.keyOf(profile.name), profile);
    return key ? { kind, baseUrl: named?.baseUrl ?? profile.baseUrl, key, displayName: backendDisplayName(named?.baseUrl ?? profile.baseUrl) } : undefined;
  }

  private async keyOf(profile: string): Promise<string | StoredKey | null> {
    if (!this.keys.has(profile)) this.keys.set(profile, await this.readKey(profile));
    return this.keys.get(profile) ?? null;
  }

  /** Whether any configured profile runs on this machine (for the budget's local-only step). */
  hasLocalProfile(): boolean {
    return this.localProfile() !== undefined;
  }

  private localProfile(): BackendProfile | undefined {
    const s = this.settings;
    if (!s) return undefined;
    const bg = resolveRole(s, 'background');
    if ('profile' in bg && bg.profile.local) return bg.profile;
    return parseProfiles(s.profiles)
      .profiles.map(toBackendProfile)
      .find((p) => p.local);
  }

  async resolve(role: 'background' | 'escalation' = 'background', options: { localOnly?: boolean } = {}): Promise<BackendResolution> {
    const own = await this.current();
    const policy = this.policy;
    if (role === 'escalation' && policy && !policy.escalationAllowed.value) {
      return { setupNeeded: `The team policy does not allow escalation (${describeSource(policy.escalationAllowed.source)}).`, action: 'showLog' };
    }
    // A profile the policy names is the one used, whatever the user's setting says.
    const settings = { ...own, backgroundProfile: policy?.backgroundProfile?.value ?? own.backgroundProfile, escalationProfile: policy?.escalationProfile?.value ?? own.escalationProfile };
    if (options.localOnly) {
      const local = this.localProfile();
      if (!local) return { setupNeeded: 'The background allowance is used up and no local backend is configured.', action: 'openSettings' };
      return this.checked(local, settings);
    }
    const resolved = resolveRole(settings, role);
    if ('problem' in resolved) return { setupNeeded: resolved.problem, action: 'openSettings' };
    if ('none' in resolved) return { setupNeeded: `No ${role} profile is chosen. Set nightshift.${role}Profile.`, action: 'openSettings' };
    return this.checked(resolved.profile, settings);
  }

  /** The backend for a profile the policy allows; a refusal naming the rule otherwise. */
  private checked(profile: BackendProfile, timing: Pick<ServerSettings, 'streamIdleMs' | 'callTimeoutMs'>): Promise<BackendResolution> {
    const refusal = this.policy && (modelRefusal(this.policy, profile.kind, profile.model, profile.local) ?? gatewayRefusal(this.policy, profile));
    if (refusal) return Promise.resolve({ setupNeeded: refusal, action: 'showLog' });
    return this.backendFor(profile, timing);
  }

  private async backendFor(profile: BackendProfile, timing: Pick<ServerSettings, 'streamIdleMs' | 'callTimeoutMs'>): Promise<BackendResolution> {
    try {
      new URL(profile.baseUrl);
    } catch {
      return { setupNeeded: `The base URL "${profile.baseUrl}" is not a URL. Fix it in Settings.`, action: 'openSettings' };
    }
    if (!profile.price) {
      return {
        setupNeeded: `Nightshift does not know what ${profile.model} costs on ${profile.displayName}, so it will not run it in the background. Add a "price" to its profile in nightshift.profiles.`,
        action: 'openSettings',
      };
    }
    const stored = await this.keyOf(profile.name);
    let key = keyForBackend(stored, profile);
    if (!key) {
      if (!profile.local) {
        const elsewhere = stored !== null && typeof stored !== 'string' && stored.for !== undefined ? ` The key stored for this profile was given for ${backendDisplayName(stored.for)}, so it is not sent here.` : '';
        return {
          setupNeeded: `No API key for ${profile.displayName}.${elsewhere} ${this.noKeyHint(profile)}`,
          action: 'setApiKey',
        };
      }
      key = LOCAL_PLACEHOLDER_KEY;
    }
    const inner = new OpenAIBackend({
      baseURL: profile.baseUrl,
      apiKey: key,
      model: profile.model,
      displayName: profile.displayName,
      price: profile.price,
      local: profile.local,
      streamIdleMs: timing.streamIdleMs,
      callTimeoutMs: timing.callTimeoutMs,
    });
    return { backend: new ResilientBackend(inner, this.breakerFor(profile.baseUrl, profile.displayName), this.health) };
  }

  private breakerFor(baseUrl: string, displayName: string): CircuitBreaker {
    let entry = this.breakers.get(baseUrl);
    if (!entry) {
      entry = { displayName, breaker: new CircuitBreaker() };
      this.breakers.set(baseUrl, entry);
    }
    return entry.breaker;
  }
}
