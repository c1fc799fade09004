/**
 * Reads the backend settings (pulled from the client per the LSP `workspace/configuration`
 * request, cached until they change) and the API key (asked of the client, which keeps it in
 * SecretStorage), and builds the model backend from them.
 */
import { ApiKeyRequest, type typedEndpoint } from '../shared/agentProtocol';
import type { BackendResolution } from '../core/agent/BackgroundAgent';
import { backendDisplayName, isLoopbackUrl } from '../core/providers/backendName';
import { OpenAIBackend } from '../core/providers/openaiBackend';

export interface NightshiftSettings {
  baseUrl: string;
  model: string;
  maxCompletionTokens: number;
}

const DEFAULTS: NightshiftSettings = {
  baseUrl: 'https://api.minimax.io/v1',
  model: 'MiniMax-M2.7',
  maxCompletionTokens: 4096,
};

/** Local servers ignore the key but the SDK needs a non-empty one. */
const LOCAL_PLACEHOLDER_KEY = 'local';

export class BackendConfig {
  private settings: NightshiftSettings | undefined;
  private apiKey: { value: string | null } | undefined;

  constructor(
    private readonly workspace: { getConfiguration(section: string): Promise<unknown> },
    private readonly rpc: ReturnType<typeof typedEndpoint>,
  ) {}

  invalidateSettings(): void {
    this.settings = undefined;
  }

  invalidateKey(): void {
    this.apiKey = undefined;
  }

  async current(): Promise<NightshiftSettings> {
    if (!this.settings) {
      const raw = ((await this.workspace.getConfiguration('nightshift')) ?? {}) as Partial<NightshiftSettings>;
      this.settings = {
        baseUrl: typeof raw.baseUrl === 'string' && raw.baseUrl.trim() ? raw.baseUrl.trim() : DEFAULTS.baseUrl,
        model: typeof raw.model === 'string' && raw.model.trim() ? raw.model.trim() : DEFAULTS.model,
        maxCompletionTokens:
          typeof raw.maxCompletionTokens === 'number' && raw.maxCompletionTokens >= 1024
            ? Math.floor(raw.maxCompletionTokens)
            : DEFAULTS.maxCompletionTokens,
      };
    }
    return this.settings;
  }

  async resolve(): Promise<BackendResolution> {
    const { baseUrl, model } = await this.current();
    const displayName = backendDisplayName(baseUrl);
    try {
      new URL(baseUrl);
    } catch {
      return { missingKey: `The base URL setting "${baseUrl}" is not a URL. Fix nightshift.baseUrl in Settings.` };
    }
    if (!this.apiKey) {
      const { apiKey } = await this.rpc.request(ApiKeyRequest, { baseUrl });
      this.apiKey = { value: apiKey };
    }
    let key = this.apiKey.value;
    if (!key) {
      if (!isLoopbackUrl(baseUrl)) {
        return { missingKey: `No API key for ${displayName}. Run 'Nightshift: Set API Key', or point nightshift.baseUrl at a local server.` };
      }
      key = LOCAL_PLACEHOLDER_KEY;
    }
    return { backend: new OpenAIBackend({ baseURL: baseUrl, apiKey: key, model, displayName }) };
  }
}
