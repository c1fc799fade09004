/**
 * The team policy as a running engine keeps it: the layers it last applied, the organisation's
 * policy read again every few minutes (a URL, or a file outside the workspace that no watcher
 * sees) and applied again only when it changed, which files on disk are policy files, and the one
 * owner of "a policy that cannot be used pauses background work until it is fixed" (the agent's
 * state, `agent/agentState.ts`, keeps Resume from lifting that pause). Never applies a policy
 * itself: the engine's settings read does, through `reapply`.
 */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import type { EffectivePolicy, PolicyLayer } from './effectivePolicy';
import { loadPolicyLayers, REPO_POLICY } from './policyLayers';

/** How often an organisation policy (a URL, or a file outside the workspace no watcher sees) is read again. */
export const ORG_POLICY_REFRESH_MS = 10 * 60_000;

export interface PolicyWatchPorts {
  /** The workspace folders: each one's `.nightshift/policy.json` is a layer. */
  folders: readonly string[];
  /** Where the organisation policy's last good copy is kept. */
  stateDir: string;
  /** Where the organisation policy is, as the user's settings say now (empty: none). */
  organisation(): Promise<string | undefined>;
  /** Reads the settings and applies them with the policy again (the engine's settings read). */
  reapply(): Promise<unknown>;
  /** The policy cannot be used: pause background work, saying why. */
  pause(message: string): void;
  /** The policy can be used (again): lift its pause; any other stays. */
  fixed(): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Shows the user an error, with a way to the log. */
  tell(message: string): void;
  /** Reads the layers (tests give their own). */
  load?: typeof loadPolicyLayers;
}

/** What the layers say, to tell a changed policy from the same one read again. */
const layersKey = (layers: readonly PolicyLayer[]) => JSON.stringify(layers.map((l) => [l.layer, l.parsed.file, l.parsed.policy, l.parsed.problems]));

export class PolicyWatch {
  private applied = '';
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly policyPaths: string[];

  constructor(private readonly ports: PolicyWatchPorts) {
    // A policy file, or its folder, in any workspace folder (a watcher may report only the new folder a file was written into).
    this.policyPaths = ports.folders.flatMap((root) => {
      const file = path.resolve(root, REPO_POLICY);
      return [file, path.dirname(file)];
    });
  }

  /** Reads every layer for the engine to apply, and remembers them as the ones applied. */
  async read(organisation: string | undefined): Promise<{ layers: PolicyLayer[]; notes: string[] }> {
    const read = await this.load(organisation);
    this.applied = layersKey(read.layers);
    return read;
  }

  /**
   * The rule a policy brings before any of its own: one that cannot be used (a file that does not
   * parse, a rule it does not know, an organisation policy that cannot be fetched and has no copy)
   * is the most restrictive state, so nothing runs until it is fixed.
   */
  enforce(policy: Pick<EffectivePolicy, 'broken' | 'problems'>): void {
    if (!policy.broken) return this.ports.fixed();
    const message = `The team policy cannot be used, so background work is paused until it is fixed: ${policy.problems.join('; ')}`;
    this.ports.log('error', message);
    this.ports.tell(message);
    this.ports.pause(message);
  }

  /** Reads the organisation policy again and applies everything again if it changed. True when it did. */
  async poll(): Promise<boolean> {
    const organisation = await this.ports.organisation();
    if (!organisation) return false;
    const { layers } = await this.load(organisation);
    if (layersKey(layers) === this.applied) return false;
    this.ports.log('info', 'The organisation policy changed; applying it.');
    await this.ports.reapply();
    return true;
  }

  /** Polls every `everyMs` until disposed; a failed read is logged and the policy in force stays. */
  start(everyMs = ORG_POLICY_REFRESH_MS): void {
    this.dispose();
    this.timer = setInterval(() => {
      this.poll().catch((err: unknown) => this.ports.log('warn', `The organisation policy could not be read again: ${err instanceof Error ? err.message : String(err)}`));
    }, everyMs);
    this.timer.unref?.();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Whether a changed file (by URI) is a workspace folder's policy file or its folder: the policy applies again at once. */
  isPolicyFile(uri: string): boolean {
    try {
      return this.policyPaths.includes(path.resolve(fileURLToPath(uri)));
    } catch {
      return false;
    }
  }

  private load(organisation: string | undefined) {
    return (this.ports.load ?? loadPolicyLayers)({ folders: this.ports.folders, organisation, stateDir: this.ports.stateDir });
  }
}
