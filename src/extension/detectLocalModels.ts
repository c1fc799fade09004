/**
 * "Nightshift: Detect Local Models": asks the agent server to probe the local model servers'
 * default ports, offers the models it found, and makes the chosen one the background profile.
 */
import * as vscode from 'vscode';
import type { LocalModelServer } from '../shared/types';

interface ModelPick extends vscode.QuickPickItem {
  server: LocalModelServer;
  model: string;
}

export async function detectLocalModels(detect: () => Promise<LocalModelServer[]>): Promise<void> {
  const servers = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Nightshift: looking for local model servers…' }, detect);
  if (servers.length === 0) {
    // A next step: start a server and look again, point Nightshift at one on another port, or use MiniMax.
    const pick = await vscode.window.showInformationMessage(
      'Nightshift found no local model server on the default ports (Ollama 11434, LM Studio 1234, llama.cpp 8080, vLLM 8000, SGLang 30000). Start one (for example `ollama serve`) and look again, or give the address of one on another port.',
      'Look Again',
      'Set Base URL…',
      'Use MiniMax Instead',
    );
    if (pick === 'Look Again') await vscode.commands.executeCommand('nightshift.detectLocalModels');
    else if (pick === 'Set Base URL…') await vscode.commands.executeCommand('workbench.action.openSettings', 'nightshift.baseUrl');
    else if (pick === 'Use MiniMax Instead') await vscode.commands.executeCommand('nightshift.setApiKey');
    return;
  }
  const picks: ModelPick[] = servers.flatMap((server) => server.models.map((model) => ({ label: model, description: `${server.label} · ${server.baseUrl}`, server, model })));
  const picked = await vscode.window.showQuickPick(picks, {
    title: 'Nightshift: use a local model for background work (free)',
    placeHolder: 'Pick a model',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return;
  const name = `${picked.server.kind}-${picked.model}`.replace(/[^\w .-]+/g, '-').slice(0, 60);
  const config = vscode.workspace.getConfiguration('nightshift');
  const others = (config.get<unknown[]>('profiles') ?? []).filter((p) => (p as { name?: unknown })?.name !== name);
  await config.update('profiles', [...others, { name, backend: picked.server.kind, baseUrl: picked.server.baseUrl, model: picked.model }], vscode.ConfigurationTarget.Global);
  await config.update('backgroundProfile', name, vscode.ConfigurationTarget.Global);
  const license = /minimax/i.test(picked.model) ? " Note: MiniMax M2.7's weights require attribution and prior authorization for commercial use." : '';
  void vscode.window.showInformationMessage(`Nightshift now runs background work on ${picked.model} (${picked.server.label}), at no cost.${license}`);
}
