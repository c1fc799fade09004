/**
 * The headless host's engine: `createEngine` with the terminal's ports — settings from the user's
 * own config file, the repository's `.nightshift/config.json` (only to tighten: settingLayers.ts)
 * and flags, keys taken at start (core/keyHandover.ts), trust from the user only (trust.ts), no
 * editor to ask (a call above the ask-above amount is declined, and says so), status and
 * proposals printed as events.
 */
import * as path from 'node:path';
import { evidenceKey, evidenceOf } from '../shared/evidence';
import type { AgentStatus, Proposal } from '../shared/types';
import { createEngine, type Engine, type EnginePorts } from '../core/engine/engine';
import { userStateDir, workspaceStateDir } from '../core/stateDirs';
import { keyFromEnvironment, keyVariables, readConfigFile, readUserConfigFile, settingsFromEnvironment, userConfigFile, type LoadedSettings } from './cliSettings';
import type { EventLog } from './eventLog';
import { layerSettings } from './settingLayers';
import { isTrusted, trustName, untrustedNotice } from './trust';

export interface HeadlessOptions {
  folder: string;
  /** Settings given as flags (they win over the config file). */
  flags: LoadedSettings;
  log: EventLog;
  env: NodeJS.ProcessEnv;
  /** The keys taken at start (variable → key); never in `env`. */
  keys?: Readonly<Record<string, string>>;
  /** --trust: the user trusts this repository to run its own code (its tests, its check commands); else only a folder in the user's own `trustedFolders`. */
  trust?: boolean;
  /** A daemon (`watch`) or a one-shot run. */
  host?: 'daemon' | 'oneShot';
  /** Extra listeners (an attached editor). */
  extra?: Partial<Pick<EnginePorts, 'onStatus' | 'onProposals' | 'onEscalations' | 'onUserMessage' | 'log' | 'approveCost'>>;
}

export interface Headless {
  engine: Engine;
  folder: string;
  stateDir: string;
  workspaceStateDir: string;
  /** Whether the user trusts this repository (--trust or `nightshift trust`). */
  trusted: boolean;
  /** Says once, at the start of a run, what does not run in an untrusted repository and how to trust it. */
  announceTrust(): void;
  /** The settings in force (file, then flags). */
  settings(): Record<string, unknown>;
  /** The config file changed: read it again. */
  reloadSettings(): Promise<void>;
  status(): AgentStatus | undefined;
  proposals(): Proposal[];
}

export function openHeadless(options: HeadlessOptions): Headless {
  const folder = path.resolve(options.folder);
  const stateDir = userStateDir(options.env);
  const wsState = workspaceStateDir(stateDir, folder);
  const { log, flags, env, extra } = options;
  const keys = options.keys ?? {};
  // Trust is the user's word, never the repository's: the flag, or the user's own config file.
  const trusted = isTrusted(folder, env, options.trust === true);
  let current: Record<string, unknown> = {};
  const read = () => {
    const own = readUserConfigFile(env);
    const file = readConfigFile(folder);
    const handed = settingsFromEnvironment(env);
    const ownFile = userConfigFile(env);
    const layered = layerSettings(
      { settings: own.settings, source: () => `your config file (${ownFile})` },
      file.settings,
      [
        { settings: handed.settings, source: () => 'the settings the editor handed over (NIGHTSHIFT_SETTINGS)' },
        { settings: flags.settings, source: (name) => `the flag --${name}` },
      ],
      trusted,
    );
    for (const p of [...own.problems, ...file.problems, ...layered.refused, ...handed.problems, ...flags.problems]) log.emit('message', p, {}, 'warning');
    current = layered.settings;
    if (!current.organizationPolicy && env.NIGHTSHIFT_ORG_POLICY) current.organizationPolicy = env.NIGHTSHIFT_ORG_POLICY;
    return current;
  };
  read();
  let lastStatus: AgentStatus | undefined;
  let lastProposals: Proposal[] = [];
  const known = new Set<string>();
  let firstList = true;
  const engine = createEngine(
    { stateDir, workspace: path.basename(folder), workspaceFolders: [folder], workspaceStateDir: wsState, host: options.host ?? 'oneShot', trusted },
    {
      settings: async () => current,
      // The Python the user named for the headless host (the editor's python.defaultInterpreterPath has no terminal twin).
      pythonInterpreter: async () => (typeof current.pythonInterpreter === 'string' && current.pythonInterpreter.trim() ? current.pythonInterpreter : undefined),
      pythonInterpreterFrom: 'pythonInterpreter',
      apiKey: async (profile) => keyFromEnvironment(profile, current, keys),
      noKeyHint: (profile) => `Set ${keyVariables(profile.name, current).join(' or ')} in the environment (or ${keyVariables(profile.name, current)[0]}_FILE naming a file that holds the key), or point --baseUrl at a local server.`,
      approveCost: async (message) => {
        if (extra?.approveCost) return extra.approveCost(message);
        log.emit('message', `${message} Declined: nobody is at the terminal to approve it (raise budget.askAboveUsd to allow such calls).`, {}, 'warning');
        return false;
      },
      onStatus: (status) => {
        const changed = status.state !== lastStatus?.state || status.detail !== lastStatus?.detail;
        lastStatus = status;
        if (changed) log.emit('status', `${status.state}: ${status.detail}`, { state: status.state, queued: status.queued, spendTodayUsd: status.spendTodayUsd }, status.state === 'error' || status.state === 'needsSetup' ? 'warning' : 'info');
        extra?.onStatus?.(status);
      },
      onProposals: (proposals) => {
        lastProposals = proposals;
        for (const p of proposals) {
          if (known.has(p.id) || p.snoozedUntil) continue;
          known.add(p.id);
          if (firstList) continue;
          const where = p.files.map((f) => f.relativePath).join(', ');
          log.emit('proposal', `${p.id.slice(0, 8)} ${where}: ${p.title} (${evidenceOf(p.check)})`, { id: p.id, kind: p.kind, files: p.files.map((f) => f.relativePath), evidence: evidenceKey(p.check), costUsd: p.costUsd });
        }
        firstList = false;
        extra?.onProposals?.(proposals);
      },
      onEscalations: (items) => extra?.onEscalations?.(items),
      onUserMessage: (level, message, action) => {
        log.emit('message', message, {}, level);
        extra?.onUserMessage?.(level, message, action);
      },
      log: (level, message) => {
        log.emit('log', message, {}, level === 'warn' ? 'warning' : level);
        extra?.log?.(level, message);
      },
    },
  );
  return {
    engine,
    folder,
    stateDir,
    workspaceStateDir: wsState,
    trusted,
    announceTrust: () => {
      if (!trusted) log.emit('message', untrustedNotice(trustName(folder)), { trusted: false }, 'warning');
    },
    settings: () => current,
    async reloadSettings() {
      read();
      await engine.settingsChanged();
    },
    status: () => lastStatus,
    proposals: () => lastProposals,
  };
}
