/** API keys in SecretStorage, one per backend profile: never in settings, logs or the panel. */
import * as vscode from 'vscode';

import { DEFAULT_PROFILE_NAME as DEFAULT_PROFILE } from '../shared/agentProtocol';

function secretName(profile: string): string {
  return profile === DEFAULT_PROFILE ? 'nightshift.apiKey' : `nightshift.apiKey.${profile}`;
}

export class ApiKeyStore {
  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent>;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.onDidChange = secrets.onDidChange;
  }

  get(profile: string = DEFAULT_PROFILE): Thenable<string | undefined> {
    return this.secrets.get(secretName(profile));
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
    await this.secrets.store(secretName(profile), key.trim());
    return true;
  }

  async clear(profile?: string): Promise<void> {
    const chosen = profile ?? (await this.pickProfile());
    if (chosen) await this.secrets.delete(secretName(chosen));
  }

  private async pickProfile(): Promise<string | undefined> {
    const config = vscode.workspace.getConfiguration('nightshift');
    const profiles = (config.get<unknown[]>('profiles') ?? [])
      .map((p) => (p as { name?: unknown })?.name)
      .filter((n): n is string => typeof n === 'string' && n.trim() !== '');
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
