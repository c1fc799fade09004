/**
 * "Use OpenRouter or LiteLLM" (the walkthrough's third way in): writes a profile for the gateway
 * — the template the raw settings list never showed — makes it the background profile, and asks
 * for its key. Nothing is written until every answer is given.
 */
import * as vscode from 'vscode';
import { BACKENDS } from '../core/providers/backends';

interface GatewayPick extends vscode.QuickPickItem {
  backend: 'openrouter' | 'litellm';
  model: string;
}

const PICKS: GatewayPick[] = [
  { backend: 'openrouter', label: 'OpenRouter', description: 'openrouter.ai · an OpenRouter key', detail: 'MiniMax M2.7 and hundreds of other models; its fee (5.5%) is counted in every cost.', model: 'minimax/minimax-m2.7' },
  { backend: 'litellm', label: "A team's LiteLLM proxy", description: 'the proxy your team runs · its key', detail: 'The team gateway keeps the shared budget; Nightshift reads it after every call.', model: 'MiniMax-M2.7' },
];

export async function useGatewayCommand(): Promise<void> {
  const picked = await vscode.window.showQuickPick(PICKS, { title: 'Nightshift: run background work through a gateway', ignoreFocusOut: true });
  if (!picked) return;
  const baseUrl =
    picked.backend === 'litellm'
      ? await vscode.window.showInputBox({
          title: "Nightshift: the LiteLLM proxy's base URL",
          value: BACKENDS.litellm.baseUrl,
          ignoreFocusOut: true,
          validateInput: (v) => (/^https?:\/\/\S+$/.test(v.trim()) ? undefined : 'A URL such as https://llm.example.com or http://localhost:4000'),
        })
      : BACKENDS.openrouter.baseUrl;
  if (baseUrl === undefined) return;
  const model = await vscode.window.showInputBox({
    title: `Nightshift: the model to run on ${picked.label}`,
    prompt: 'As the gateway names it. Prices of MiniMax, OpenAI, Anthropic, Gemini and DeepSeek models are known; for another, add a "price" to the profile.',
    value: picked.model,
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'A model name'),
  });
  if (model === undefined) return;
  const config = vscode.workspace.getConfiguration('nightshift');
  const name = picked.backend;
  const profile = { name, backend: picked.backend, ...(picked.backend === 'litellm' ? { baseUrl: baseUrl.trim() } : {}), model: model.trim() };
  const others = (config.get<unknown[]>('profiles') ?? []).filter((p) => (p as { name?: unknown })?.name !== name);
  await config.update('profiles', [...others, profile], vscode.ConfigurationTarget.Global);
  await config.update('backgroundProfile', name, vscode.ConfigurationTarget.Global);
  // Its key, stored for this profile (and so sent only to this gateway).
  await vscode.commands.executeCommand('nightshift.setApiKey', { profile: name });
  const edit = await vscode.window.showInformationMessage(`Nightshift now runs background work on ${profile.model} through ${picked.label} (profile "${name}").`, 'Edit the Profile');
  if (edit) await vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: 'nightshift.profiles' } });
}
