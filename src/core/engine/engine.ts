/**
 * The engine assembly both hosts share: the agent, its money, privacy, checks, proposals, git
 * watchers and settings, wired once. The editor's server and the terminal's `nightshift` each
 * give it their ports (where settings and keys come from, where status and proposals go) and
 * translate their own signals into its calls; neither composes the engine itself.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { BudgetReport, ConnectionTest, LocalModelServer } from '../../shared/types';
import { testConnection } from './connectionTest';
import { BackgroundAgent } from '../agent/BackgroundAgent';
import type { AgentHost } from '../agent/agentHost';
import type { DiskEvent } from '../agent/diskEvents';
import { Escalations } from '../agent/escalations';
import { createSpend, type Spend } from '../budget/spendSetup';
import { WorkspaceContext, type LanguageFeatures } from '../context/WorkspaceContext';
import { WorkspaceFiles } from '../context/WorkspaceFiles';
import { FolderPrivacy } from '../privacy/folderPrivacy';
import type { PrivacyGate } from '../privacy/PrivacyGate';
import { ProposalStore } from '../proposals/ProposalStore';
import { openTuner } from '../tuner/tunerStore';
import { detectLocalServers } from '../providers/localDetection';
import type { BackendProfile } from '../providers/profiles';
import type { StoredKey } from '../providers/keyScope';
import { GitWatcher } from '../signals/gitWatcher';
import { CommandVerifier } from '../verify/CommandVerifier';
import { TypeScriptProcess } from '../verify/TypeScriptProcess';
import { EslintProcess } from '../verify/eslint/EslintProcess';
import { PyrightVerifier } from '../verify/python/PyrightVerifier';
import { detectPytest } from '../verify/python/detectPytest';
import { RuffChecker } from '../verify/ruff/RuffChecker';
import { fixerBySource, folderFixer, type CompilerFixer } from '../verify/compilerFixes';
import { byFolder, innermostFolder, weakestOf, type Verifier } from '../verify/Verifier';
import { silencingCheck } from '../verify/silencingCheck';
import { TestVerifier } from '../verify/tests/TestVerifier';
import { BackendConfig } from './backendConfig';
import { GatewayWatch } from '../budget/gatewayWatch';
import { afterEachCall } from '../budget/SpendAccountant';
import { describePolicy, type EffectivePolicy } from '../policy/effectivePolicy';
import { gatewayView } from '../budget/gatewayView';
import { PolicyWatch } from '../policy/policyWatch';
import * as path from 'node:path';
import { SettingsInForce } from './settingsInForce';
import { securePrivateStateDir } from '../stateDirs';

/** Where the engine's state lives and what it works on. */
export interface EngineInit {
  /** The user's state folder: the spend ledger (shared by every host of this user) lives here. */
  stateDir: string;
  /** A name for the workspace in the ledger. */
  workspace: string;
  /** The workspace folders' paths, first folder first. */
  workspaceFolders: string[];
  /** This workspace's state folder: proposals and escalations live here. None: kept in memory. */
  workspaceStateDir?: string;
  /**
   * Who runs it: the editor's server (a user is at the keyboard), the headless daemon (`watch`: the
   * policy's headless hours apply) or a one-shot run (`scan` and the like). Default: the editor.
   */
  host?: 'editor' | 'daemon' | 'oneShot';
  /**
   * The user trusts the workspace to run its own code (its tests; the headless host also leaves out
   * the check commands a repository names until then). The editor's agent runs only in a trusted
   * workspace (default true there); the headless host only where the user said so.
   */
  trusted?: boolean;
}

/** What the host gives the engine and takes from it (the outside-world half of the agent's host). */
export interface EnginePorts extends Pick<AgentHost, 'approveCost' | 'onStatus' | 'onProposals' | 'onEscalations' | 'onUserMessage' | 'log'> {
  /** The `nightshift.*` settings as one object, read again after `settingsChanged`. */
  settings(): Promise<unknown>;
  /** A profile's key, with the base URL it was given for when the host knows it (a key goes only there: providers/keyScope.ts). */
  apiKey(profile: string): Promise<string | StoredKey | null>;
  /** Where this host reads keys from, for the "no key" message. */
  noKeyHint?(profile: BackendProfile): string;
  /** The editor's language features; a headless host has none. */
  languageFeatures?: LanguageFeatures;
  /** The configured Python for a folder, read with the settings: the editor's `python.defaultInterpreterPath`, the headless host's `pythonInterpreter`. */
  pythonInterpreter?(folder: string): Promise<string | undefined>;
  /** The setting `pythonInterpreter` reads, for people (default: python.defaultInterpreterPath). */
  pythonInterpreterFrom?: string;
  /** A ruff of the user's tools (the Ruff extension's own), used where none is beside the folder's Python or on PATH. */
  ruffBundled?: string;
  /** A folder's TypeScript checker. None given: its own process (TypeScriptProcess); a unit test gives one that starts no process. */
  typescript?(root: string, trusted: boolean): FolderTypeScript;
  /** A folder's files as the agent reads them. None given: git's view, else a walk (WorkspaceFiles); a unit test gives one that runs no git. */
  workspaceFiles?(root: string): WorkspaceFiles;
}

/** What the engine asks of a folder's TypeScript: the checks, the compiler's fixes, and its idle spell. */
export type FolderTypeScript = Verifier & CompilerFixer & { touch(): void; dispose(): Promise<void> };

export interface Engine {
  readonly agent: BackgroundAgent;
  readonly config: BackendConfig;
  readonly spend: Spend;
  /** Reads the settings and the ledger, publishes the state, starts the git watchers. */
  start(): Promise<void>;
  /** The settings changed: read again, re-read the ledger, try calls again. */
  settingsChanged(): Promise<void>;
  /** Reads the settings and the policy and applies them, and nothing more: a report (budget, policy, status) needs the limits in force, not a backend. */
  readSettings(): Promise<void>;
  /** A key was set or cleared. */
  credentialsChanged(): void;
  /** Files changed on disk (outside the editor): read each and tell the agent. Also `workedOn`. */
  diskChanges(events: readonly DiskEvent[]): Promise<void>;
  /** The workspace is being worked on (a save, a change): the warm checkers stay warm another idle spell. */
  workedOn(): void;
  /** The team policy in force, each rule with who set it. */
  policy(): EffectivePolicy;
  /** The privacy rules for a file (by URI): what a host may watch and read. */
  privacy(uri: string): PrivacyGate;
  /** The budget report: the ledger's sums, the team gateway's last reading and the policy in force. */
  budgetReport(): Promise<BudgetReport>;
  /** One single-token call to the background profile, booked in the ledger. */
  testConnection(): Promise<ConnectionTest>;
  /** Reads the team gateway's budget now (it is also read after every call and every few minutes). */
  refreshGateway(): Promise<void>;
  exportLedger(format: 'csv' | 'json', file: string): { calls: number; decisions: number };
  detectLocalModels(): Promise<LocalModelServer[]>;
  /** The workspace's ESLint for a folder (checks, fixes, a headless host's lint problems); undefined for a folder not in the workspace. */
  eslint(folder: string): EslintProcess | undefined;
  /** pyright for a folder's Python files (checks, a headless host's Python problems); undefined for a folder not in the workspace. */
  python(folder: string): PyrightVerifier | undefined;
  /** The folder's ruff (Ruff problems: checks, free fixes, a headless host's signals); undefined for a folder not in the workspace. */
  ruff(folder: string): RuffChecker | undefined;
  /** A Python problem arrived for this file: its folder's pyright starts now, to be warm when the answer is checked. */
  warmPython(filePath: string): void;
  /** Stops the agent (a running call is cancelled and booked) and closes the ledger. */
  dispose(): Promise<void>;
}

async function readText(uri: string): Promise<string | undefined> {
  try {
    return await readFile(fileURLToPath(uri), 'utf8');
  } catch {
    return undefined;
  }
}

export function createEngine(init: EngineInit, ports: EnginePorts): Engine {
  const warn = (message: string) => {
    ports.log('warn', message);
    ports.onUserMessage('warning', message, 'showLog');
  };
  // Before anything is written there: the state folder holds file contents and the ledger, for the user alone.
  securePrivateStateDir(init.stateDir, warn);
  const config = new BackendConfig(ports.settings, ports.apiKey, ports.noKeyHint);
  const folders = init.workspaceFolders;
  const spend = createSpend(init.stateDir, init.workspace, () => config.hasLocalProfile());
  const privacy = new FolderPrivacy(folders);
  const trusted = init.trusted ?? (init.host ?? 'editor') === 'editor';
  const stateFile = (name: string) => (init.workspaceStateDir ? path.join(init.workspaceStateDir, name) : undefined);
  // The team's gateway budget: read after every call, every few minutes, and before refusing a call its last reading does not cover.
  const gatewayWatch = new GatewayWatch(
    spend.governor,
    () => config.gateway(),
    (message) => ports.log('warn', message),
  );
  const refreshGateway = () => gatewayWatch.refresh();
  gatewayWatch.start();
  const spendGate = gatewayWatch.gate(afterEachCall(spend.accountant, () => void refreshGateway()));
  // The settings and the policy as applied (settingsInForce.ts); the parts below read what each reaches from it.
  const inForce: SettingsInForce = new SettingsInForce({
    site: { trusted, host: init.host ?? 'editor' },
    folders,
    stateDir: init.stateDir,
    config,
    rawSettings: ports.settings,
    policyFiles: { read: (organisation) => policyWatch.read(organisation), enforce: (p) => policyWatch.enforce(p) },
    privacy,
    spend,
    agent: { pauseFor: (reason, detail, action) => agent.pauseFor(reason, detail, action), onBudgetChanged: () => agent.onBudgetChanged() },
    refreshGateway,
    ...(ports.pythonInterpreter ? { pythonInterpreter: ports.pythonInterpreter } : {}),
    log: ports.log,
    onUserMessage: ports.onUserMessage,
  });

  // One TypeScript per folder, warm for both the checks and the compiler's own fixes (rung 0).
  // In a process of its own that ends when idle: a host that runs all day gives the project's memory back.
  // The workspace's own `typescript` only where trusted (its node_modules is its code), else Nightshift's.
  const typescriptIn = new Map(folders.map((root): [string, FolderTypeScript] => [root, ports.typescript?.(root, trusted) ?? new TypeScriptProcess(root, undefined, trusted)]));
  const typescriptOf = innermostFolder(folders, (root) => typescriptIn.get(root)!);
  // The workspace's ESLint per folder, likewise: lint checks and ESLint's own fixes. Its config is the repository's code: only where trusted.
  const eslintIn = new Map(folders.map((root) => [root, new EslintProcess(root, { trusted: () => trusted })]));
  // pyright per folder for Python files, warm in its own process; it runs none of the repository's code (an interpreter inside it only where trusted).
  const pythonIn = new Map(folders.map((root) => [root, new PyrightVerifier(root, { trusted: () => trusted, configuredInterpreter: () => inForce.pythonInterpreter(root), ...(ports.pythonInterpreterFrom ? { configuredFrom: ports.pythonInterpreterFrom } : {}) })]));
  // The folder's ruff (beside its Python, or on PATH; one inside the folder only where trusted): Ruff's problems proved gone, its safe fixes.
  const ruffIn = new Map(folders.map((root) => [root, new RuffChecker(root, { trusted: () => trusted, interpreter: () => pythonIn.get(root)!.interpreter(), ...(ports.ruffBundled ? { bundled: ports.ruffBundled } : {}) })]));
  // The project's own tests that reach a change, in a warm shadow worktree per folder.
  const testsIn = new Map(folders.map((root) => [root, new TestVerifier(root, () => inForce.tests, { pytest: () => detectPytest(root, pythonIn.get(root)!.interpreter()) })]));
  const agent = new BackgroundAgent(
    {
      resolveBackend: (o) => config.resolve(o.role, o),
      maxCompletionTokens: async () => (await config.current()).maxCompletionTokens,
      spend: spendGate,
      privacy: (uri) => privacy.forFile(uri),
      verifier: byFolder(folders, (root) => weakestOf([silencingCheck, typescriptIn.get(root)!, eslintIn.get(root)!, pythonIn.get(root)!, ruffIn.get(root)!, new CommandVerifier(root, () => inForce.checks), testsIn.get(root)!], { testsRequired: () => inForce.testsRequired })),
      // Each problem to the tool that reports it: ESLint's to ESLint, Ruff's to ruff, the rest to TypeScript.
      compilerFixes: fixerBySource({ eslint: folderFixer(innermostFolder(folders, (root) => eslintIn.get(root)!)), ruff: folderFixer(innermostFolder(folders, (root) => ruffIn.get(root)!)) }, folderFixer(typescriptOf)),
      readFile: readText,
      approveCost: ports.approveCost,
      onStatus: ports.onStatus,
      onProposals: ports.onProposals,
      onEscalations: ports.onEscalations,
      onUserMessage: ports.onUserMessage,
      log: ports.log,
      now: () => new Date(),
      newId: () => randomUUID(),
      setTimer: (ms, fn) => {
        const timer = setTimeout(fn, ms);
        return () => clearTimeout(timer);
      },
      health: () => config.healthSummary(Date.now()),
      settings: () => inForce.agentSettings,
      workspaces: folders.map((root) => new WorkspaceContext(ports.workspaceFiles?.(root) ?? new WorkspaceFiles(root), ports.languageFeatures)),
    },
    new ProposalStore(stateFile('proposals.json'), warn),
    new Escalations(stateFile('escalations.json'), warn),
    openTuner(init.workspaceStateDir, warn),
  );
  // At the editor a user is present until it says otherwise; a headless host has nobody at it.
  agent.setUserActive((init.host ?? 'editor') === 'editor');
  const gitWatchers = folders.map(
    (root) =>
      new GitWatcher(
        root,
        (commit) => agent.onCommit(commit, root),
        (m) => ports.log('info', m),
      ),
  );

  // The policy's layers as applied, the organisation's read again now and then, and the pause a broken one brings.
  const policyWatch = new PolicyWatch({
    folders,
    stateDir: init.stateDir,
    organisation: async () => (await config.current()).organizationPolicy,
    reapply: () => inForce.apply(),
    pause: (message) => agent.pauseFor('policy', message),
    fixed: () => agent.policyFixed(),
    log: ports.log,
    tell: (message) => ports.onUserMessage('error', message, 'showLog'),
  });

  policyWatch.start();

  /** A save or a change: the warm checkers' idle spell starts again (idleChild.ts). */
  const workedOn = () => {
    for (const checker of [...typescriptIn.values(), ...eslintIn.values()]) checker.touch();
  };

  return {
    agent,
    config,
    spend,
    async start() {
      try {
        await inForce.apply();
      } finally {
        await agent.publishAll();
      }
      await agent.checkSetup();
      for (const w of gitWatchers) void w.start();
    },
    async readSettings() {
      config.invalidateSettings();
      await inForce.apply();
    },
    async settingsChanged() {
      config.invalidateSettings();
      await inForce.apply();
      agent.onCredentialsChanged();
      await agent.checkSetup();
    },
    credentialsChanged() {
      config.invalidateKeys();
      agent.onCredentialsChanged();
      void agent.checkSetup();
    },
    workedOn,
    async diskChanges(events) {
      workedOn();
      // The repository's policy changed (an edit, a pull): it applies at once.
      if (events.some((e) => policyWatch.isPolicyFile(e.uri))) {
        config.invalidateSettings();
        await inForce.apply();
      }
      await agent.onDiskChanges(events, readText);
    },
    policy: () => inForce.policy,
    testConnection: () => testConnection(() => config.resolve('background'), spendGate),
    refreshGateway: async () => {
      await refreshGateway();
    },
    privacy: (uri) => privacy.forFile(uri),
    async budgetReport() {
      const report = await spend.report(await config.frontier());
      const policy = inForce.policy;
      return {
        ...report,
        ...(gatewayWatch.reading ? { gateway: gatewayView(gatewayWatch.reading, report.spentYearUsd) } : {}),
        policy: describePolicy(policy),
        ...(policy.problems.length ? { policyProblems: policy.problems } : {}),
        ...(policy.refused.length ? { policyRefused: policy.refused } : {}),
        tuning: agent.tuningView(),
      };
    },
    exportLedger: (format, file) => spend.exportTo(format, file),
    detectLocalModels: () => detectLocalServers(),
    eslint: (folder) => [...eslintIn].find(([root]) => path.resolve(root) === path.resolve(folder))?.[1],
    python: (folder) => [...pythonIn].find(([root]) => path.resolve(root) === path.resolve(folder))?.[1],
    ruff: (folder) => [...ruffIn].find(([root]) => path.resolve(root) === path.resolve(folder))?.[1],
    warmPython: (filePath) => innermostFolder(folders, (root) => pythonIn.get(root)!)(filePath)?.prepare(),
    async dispose() {
      gatewayWatch.dispose();
      policyWatch.dispose();
      // A settings read under way (a policy that changed) finishes first: it holds the ledger's lock.
      await inForce.settled();
      await agent.dispose();
      await Promise.all([...typescriptIn.values(), ...eslintIn.values(), ...pythonIn.values(), ...testsIn.values()].map((t) => t.dispose()));
      for (const w of gitWatchers) w.dispose();
      await spend.ledger.close();
    },
  };
}
