/**
 * The nightshift.* settings the engine gets in the editor: the user's, with only what a workspace
 * may set over them (src/shared/settingRules.ts) — a `.vscode/settings.json` that came with a
 * cloned repository may lower the budget, never raise it, nor pick a profile or a model (those are
 * `application` settings, which VS Code already keeps to the user). Served to the agent server in
 * place of VS Code's own merge (the `workspace/configuration` middleware), and handed to a daemon.
 */
import * as vscode from 'vscode';
import type { ConfigurationMiddleware } from 'vscode-languageclient/node';
import { flattenSettings, settingsOverUser, SETTING_SOURCES, type SettingLevels } from '../shared/settingRules';

/** The settings in force for a resource (none: the workspace), nested, with `$sources`; and the sentences about what the workspace may not set. */
export function settingsInForce(scope?: vscode.Uri): { settings: Record<string, unknown>; refused: string[] } {
  const config = vscode.workspace.getConfiguration('nightshift', scope);
  const levels: Record<string, SettingLevels> = {};
  for (const name of Object.keys(flattenSettings(JSON.parse(JSON.stringify(config)) as Record<string, unknown>))) {
    const seen = config.inspect(name);
    levels[name] = { default: seen?.defaultValue, user: seen?.globalValue, workspace: seen?.workspaceFolderValue ?? seen?.workspaceValue };
  }
  const { values, sources, refused } = settingsOverUser(levels, { where: "this workspace's settings", trusted: vscode.workspace.isTrusted, howToTrust: 'Workspace Trust', ownSettings: 'your user settings' });
  const settings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const parts = name.split('.');
    let node = settings;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = value;
  }
  return { settings: { ...settings, [SETTING_SOURCES]: sources }, refused };
}

/** Answers the agent server's `workspace/configuration` for `nightshift` with the settings in force; each refusal is logged once. */
export function configurationMiddleware(log: vscode.LogOutputChannel): ConfigurationMiddleware {
  const said = new Set<string>();
  return {
    configuration: async (params, token, next) => {
      const answers = await next(params, token);
      if (!Array.isArray(answers)) return answers;
      return params.items.map((item, i) => {
        if (item.section !== 'nightshift') return answers[i] as unknown;
        const { settings, refused } = settingsInForce(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined);
        for (const r of refused.filter((r) => !said.has(r))) {
          said.add(r);
          log.warn(r);
        }
        return settings;
      });
    },
  };
}
