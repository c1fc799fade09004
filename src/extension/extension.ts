/**
 * Entry point. activate() only wires things up and returns: the agent server starts right after,
 * so that activation stays cheap for the window.
 */
import * as vscode from 'vscode';
import { Nightshift, type NightshiftApi } from './Nightshift';

let nightshift: Nightshift | undefined;

export function activate(context: vscode.ExtensionContext): NightshiftApi {
  const started = performance.now();
  nightshift = new Nightshift(context);
  const instance = nightshift;
  setImmediate(() => instance.startWhenTrusted());
  return instance.api(performance.now() - started);
}

export async function deactivate(): Promise<void> {
  await nightshift?.dispose();
  nightshift = undefined;
}
