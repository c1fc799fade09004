/**
 * The settings and the team policy as the running engine applies them: read the settings and the
 * policy's layers, merge them, and hand each part of the engine what it reaches (the backends, the
 * privacy gate, the checks and tests, the agent's schedule, the budget). The engine's parts read
 * the result from here; what this module talks to comes in as plain ports, so a test can drive it.
 * It never reads a file or the network itself, and it applies one reading at a time, in order.
 */
import { DEFAULT_AGENT_SETTINGS, type AgentHost, type AgentSettings } from '../agent/agentHost';
import { parseQuietHours } from '../agent/quietHours';
import type { BudgetSettings } from '../budget/BudgetGovernor';
import { describeSource, effectivePolicy, type EffectivePolicy, type PolicyLayer } from '../policy/effectivePolicy';
import type { PrivacySettings } from '../privacy/folderPrivacy';
import { asStateFolderError } from '../stateFolderError';
import type { CommandSettings } from '../verify/CommandVerifier';
import type { TestSettings } from '../verify/tests/TestVerifier';
import { settingDefault } from '../../shared/settingsSchema';
import type { UserAction } from '../../shared/types';
import type { ServerSettings } from './backendConfig';
import { budgetUnder, reachOf, sourcesIn, userValues, type EngineSite } from './policyApplied';

/** What applying the settings reads from and hands to: the engine's parts, narrowed to what is used. */
export interface SettingsInForcePorts extends Pick<AgentHost, 'log' | 'onUserMessage'> {
  site: EngineSite;
  folders: readonly string[];
  /** The user's state folder, named when it cannot be used. */
  stateDir: string;
  /** The settings as the backends read them, and the policy in force handed back. */
  config: { current(): Promise<ServerSettings>; setPolicy(policy: EffectivePolicy): void };
  /** The host's raw settings (for who set each: `$sources`). */
  rawSettings(): Promise<unknown>;
  /** The policy's layers as read now, and the pause a broken one brings. */
  policyFiles: { read(organisation: string | undefined): Promise<{ layers: PolicyLayer[]; notes: string[] }>; enforce(policy: EffectivePolicy): void };
  privacy: { update(settings: PrivacySettings): void };
  spend: { reload(budget: BudgetSettings): Promise<{ problems: string[] }>; ledger: { checkWritable(): Promise<void> } };
  agent: { pauseFor(reason: 'ledger', detail: string, action?: UserAction): void; onBudgetChanged(): void };
  refreshGateway(): Promise<unknown>;
  pythonInterpreter?(folder: string): Promise<string | undefined>;
}

export class SettingsInForce {
  // What each part reads (its getter in the engine's assembly); written only by `applyOnce`.
  policy: EffectivePolicy = effectivePolicy([], userValues(undefined));
  checks: CommandSettings = { commands: [], timeoutMs: settingDefault('checkTimeoutSeconds') * 1000 };
  tests: TestSettings = { mode: settingDefault('tests'), timeoutMs: settingDefault('testTimeoutSeconds') * 1000 };
  testsRequired = false;
  agentSettings: AgentSettings = DEFAULT_AGENT_SETTINGS;
  private readonly pythonIn = new Map<string, string | undefined>();
  // Said once each: settings are read again on every change.
  private toldTestsBlocked: string | undefined;
  private readonly toldRefused = new Set<string>();
  private applying: Promise<unknown> = Promise.resolve();

  constructor(private readonly ports: SettingsInForcePorts) {}

  /** The editor's Python interpreter for a folder, as last read with the settings. */
  pythonInterpreter(folder: string): string | undefined {
    return this.pythonIn.get(folder);
  }

  /**
   * Reads and applies the settings and the policy. One at a time, in order: two changes close
   * together (a watcher reporting a new folder, then the file in it) must not finish out of order,
   * or the older reading of the policy would win.
   */
  apply(): Promise<ServerSettings> {
    const once = () => this.applyOnce();
    const next = this.applying.then(once, once);
    this.applying = next.catch(() => undefined);
    return next;
  }

  /** Resolves once the reading under way (if any) is done; it holds the ledger's lock. */
  async settled(): Promise<void> {
    await this.applying;
  }

  /** What the last reading warned of, and this one so far: a problem is told when it appears, not again at every reading while it stays. */
  private warnedLast = new Set<string>();
  private warnedNow = new Set<string>();

  private warn(message: string): void {
    this.warnedNow.add(message);
    if (this.warnedLast.has(message)) return;
    this.ports.log('warn', message);
    this.ports.onUserMessage('warning', message, 'showLog');
  }

  /** Settings or policy changed (or first read): budget, profiles, privacy; the ledger is re-read for this year. */
  private async applyOnce(): Promise<ServerSettings> {
    const { ports } = this;
    const { site } = ports;
    this.warnedNow = new Set();
    const settings = await ports.config.current();
    settings.problems.forEach((p) => this.warn(p));
    const { layers, notes } = await ports.policyFiles.read(settings.organizationPolicy);
    notes.forEach((n) => this.warn(n));
    const policy = (this.policy = effectivePolicy(layers, userValues(settings, sourcesIn(await ports.rawSettings()))));
    // A repository's rule it may not set is ignored, nothing pauses.
    for (const r of policy.refused.filter((r) => !this.toldRefused.has(r))) {
      this.toldRefused.add(r);
      ports.log('warn', r);
    }
    ports.config.setPolicy(policy);
    const reach = reachOf(settings, policy, site);
    ports.privacy.update(reach.privacy);
    if (!policy.checkCommands.value && settings.checkCommands.length > 0) ports.log('info', `The check commands do not run: ${describeSource(policy.checkCommands.source)} forbids them.`);
    this.checks = reach.checks;
    this.tests = reach.tests;
    if (reach.tests.blocked && reach.tests.mode === 'auto' && reach.tests.blocked !== this.toldTestsBlocked) ports.log('info', `The project's own tests do not check proposals here: ${reach.tests.blocked}.`);
    this.toldTestsBlocked = reach.tests.blocked;
    this.testsRequired = reach.testsRequired;
    for (const root of ports.folders) this.pythonIn.set(root, await ports.pythonInterpreter?.(root).catch(() => undefined));
    this.agentSettings = reach.agent;
    const own = settings.agent.quietHours;
    if (typeof own === 'string' && own && !parseQuietHours(own)) this.warn(`nightshift.quietHours "${own}" is not a window like "22:00-07:00"; it is ignored.`);
    for (const w of site.host === 'daemon' ? policy.headlessHours : []) ports.log('info', `The headless host works only from ${w.value} (${describeSource(w.source)}).`);
    const ledger = await ports.spend.reload(budgetUnder(settings.budget, policy)).catch((err: unknown) => {
      // The headless host ends on a state folder it cannot use (exit 5: the path and the fix); the editor's agent pauses, saying the same.
      const failed = asStateFolderError(err, ports.stateDir);
      if (!failed || site.host === 'daemon' || site.host === 'oneShot') throw err;
      ports.log('error', failed.message);
      ports.onUserMessage('error', failed.message, 'showLog');
      ports.agent.pauseFor('ledger', failed.message, 'showLog');
      return { problems: [] as string[] };
    });
    ledger.problems.forEach((p) => this.warn(p));
    this.warnedLast = this.warnedNow;
    try {
      await ports.spend.ledger.checkWritable();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ports.log('error', message);
      ports.onUserMessage('error', message, 'showLog');
      ports.agent.pauseFor('ledger', message, 'showLog');
    }
    ports.policyFiles.enforce(policy);
    // Not awaited: an unreachable gateway must not hold up the start (its read has a timeout of its own).
    void ports.refreshGateway();
    ports.agent.onBudgetChanged();
    return settings;
  }
}
