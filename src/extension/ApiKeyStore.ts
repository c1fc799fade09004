/** The backend's API key in SecretStorage: never in settings, logs or the panel. */
import * as vscode from 'vscode';

const SECRET_KEY = 'nightshift.apiKey';

export class ApiKeyStore {
  readonly onDidChange: vscode.Event<vscode.SecretStorageChangeEvent>;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.onDidChange = secrets.onDidChange;
  }

  get(): Thenable<string | undefined> {
    return this.secrets.get(SECRET_KEY);
  }

  /** Asks for the key (or takes one from a caller such as a test) and stores it. */
  async promptAndStore(given?: unknown): Promise<boolean> {
    const key =
      typeof given === 'string'
        ? given
        : await vscode.window.showInputBox({
            title: 'Nightshift: API Key',
            prompt: 'The API key of your model backend (MiniMax by default). It is kept in VS Code\'s secret storage.',
            password: true,
            ignoreFocusOut: true,
            validateInput: (v) => (v.trim() === '' ? 'Enter a key, or press Escape to cancel.' : /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
          });
    if (key === undefined || key.trim() === '') return false;
    await this.secrets.store(SECRET_KEY, key.trim());
    return true;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
  }
}
