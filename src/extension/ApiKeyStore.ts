/**
 * API keys in SecretStorage, one per backend profile: never in settings, logs or the panel. Each
 * remembers the base URL of the backend it was given for, so it is sent only there
 * (core/providers/keyScope.ts): pointing a profile at another server does not take its key along.
 */
import * as vscode from 'vscode';

import { profileTarget, type StoredKey } from '../core/providers/keyScope';
import { DEFAULT_PROFILE_NAME as DEFAULT_PROFILE } from '../shared/agentProtocol';

function secretName(profile: string): string {
  return profile === DEFAULT_PROFILE ? 'nightshift.apiKey' : `nightshift.apiKey.${profile}`;
}

/** Where the profile's key may be sent: the base URL it was stored for. */
function forName(profile: string): string {
  return `${secretName(profile)}.for`;
}

export class ApiKeyStore {
  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent>;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.onDidChange = secrets.onDidChange;
  }

  get(profile: string = DEFAULT_PROFILE): Thenable<string | undefined> {
    return this.secrets.get(secretName(profile));
  }

  /** The key with the base URL it was stored for (none for a key stored before keys remembered theirs). */
  async stored(profile: string = DEFAULT_PROFILE): Promise<StoredKey | undefined> {
    const key = await this.secrets.get(secretName(profile));
    if (!key) return undefined;
    const given = await this.secrets.get(forName(profile));
    return given ? { key, for: given } : { key };
  }

  /**
   * Asks which profile (when there are several) and for its key, then stores it. A caller such
   * as a test may pass the key, or `{ profile, key }`.
   */
  async promptAndStore(given?: unknown): Promise<boolean> {
    const arg = typeof given === 'string' ? { key: given } : (given as { profile?: unknown; key?: unknown } | undefined);
    const profile = typeof arg?.profile === 'string' ? arg.profile : await this.pickProfile();
    if (!profile) return false;
    const key =
      typeof arg?.key === 'string'
        ? arg.key
        : await vscode.window.showInputBox({
            title: `Nightshift: API Key${profile === DEFAULT_PROFILE ? '' : ` for "${profile}"`}`,
            prompt: "The backend's API key (MiniMax by default). It is kept in VS Code's secret storage.",
            password: true,
            ignoreFocusOut: true,
            validateInput: (v) => (v.trim() === '' ? 'Enter a key, or press Escape to cancel.' : /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
          });
    if (key === undefined || key.trim() === '') return false;
    // The backend the profile points at now is the one the key is for.
    const config = vscode.workspace.getConfiguration('nightshift');
    const target = profileTarget(profile, { baseUrl: config.get('baseUrl'), profiles: config.get('profiles') });
    if (target) await this.secrets.store(forName(profile), target.baseUrl);
    else await this.secrets.delete(forName(profile));
    await this.secrets.store(secretName(profile), key.trim());
    return true;
  }

  async clear(profile?: string): Promise<void> {
    const chosen = profile ?? (await this.pickProfile());
    if (!chosen) return;
    await this.secrets.delete(secretName(chosen));
    await this.secrets.delete(forName(chosen));
  }

  private async pickProfile(): Promise<string | undefined> {
    const config = vscode.workspace.getConfiguration('nightshift');
    const profiles = (config.get<unknown[]>('profiles') ?? []).map((p) => (p as { name?: unknown })?.name).filter((n): n is string => typeof n === 'string' && n.trim() !== '');
    if (profiles.length === 0) return DEFAULT_PROFILE;
    // The profiles in use first: the background one is the key a new user is asked for.
    const role = (name: string) => (name === config.get<string>('backgroundProfile') ? 'background' : name === config.get<string>('escalationProfile') ? 'escalation' : undefined);
    const items = [{ label: DEFAULT_PROFILE, description: config.get<string>('baseUrl') || 'MiniMax' }, ...profiles.map((label) => ({ label, description: role(label) }))];
    const rank = (i: { label: string }) => (role(i.label) === 'background' ? 0 : role(i.label) === 'escalation' ? 1 : 2);
    const picked = await vscode.window.showQuickPick(
      items.sort((a, b) => rank(a) - rank(b)),
      // Opened from the walkthrough too, whose page takes the focus back a moment later.
      { title: 'Nightshift: which backend profile is the key for?', ignoreFocusOut: true },
    );
    return picked?.label;
  }
}
