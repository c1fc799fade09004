/**
 * Tunes Nightshift from what the developer does with its work: per task kind, a Thompson-sampling
 * bandit over the arms (stay silent, or act with a named recipe), rewarded by `reward` — accepted
 * and kept, less attention and cost. The arm with the best expected reward is the kind's current
 * setting; others are tried within an exploration budget (a share of what the tuned work spent).
 * A change that earns less over the next tasks than the setting it replaced is rolled back by
 * itself. Escalating a kind's failed tasks by itself is judged the same way, from the escalated
 * tasks' results. Every choice and result goes to the log, with what it was based on, so a
 * period can be replayed (`replayTuner`). Pure: no clock, file or network of its own.
 */
import { ARMS, DEFAULT_ARM, type ActingArm, type Arm } from './arms';
import { expectedReward, reward } from './reward';
import { Random } from './sampling';
import { isReverted, type RevertWatch } from './reverts';
import type { TuningArmView, TuningKindView } from '../../shared/types';

/** Share of a kind's tuned spend that trying arms other than its setting may use. */
export const EXPLORATION_SHARE = 0.05;
/** Exploration may always spend this much per kind, so a new workspace can learn at all. */
const EXPLORATION_FLOOR_USD = 0.02;
/** A task's cost assumed before an arm has run (a fix on MiniMax M2.7 costs about this). */
const PRIOR_COST_USD = 0.002;
/** Decisions an arm needs before it can become the setting. */
const MIN_DECIDED = 8;
/** About the spread of one task's reward (it runs from about -0.3 to 1): for the standard error of a mean. */
const REWARD_SD = 0.6;
/** Tasks after a change over which it is judged; the margin it may fall short by (at least two standard errors). */
const TRIAL_WINDOW = 20;
const TRIAL_MARGIN = 0.05;
/** How much better per task an arm must look to replace the setting (no flapping between near equals). */
const CHANGE_MARGIN = 0.02;
/** Decisions a rolled-back arm sits out before it may become the setting again. */
const HOLD_DECISIONS = 20;
/** Escalated tasks decided before escalating by itself is considered. */
const MIN_ESCALATIONS = 3;
const HISTORY_KEPT = 20;

export interface ArmStats {
  /** Tasks run on this arm; shown: those that gave a proposal; decided: those the developer decided on. */
  pulls: number;
  shown: number;
  decided: number;
  /** Sum of the kept shares of the decided ones. */
  kept: number;
  costUsd: number;
  rewardSum: number;
}

interface KindState {
  arms: Record<ActingArm, ArmStats>;
  current: Arm;
  frozen: boolean;
  history: Array<{ at: string; from: Arm; to: Arm; why: string }>;
  /** After a change: what the old setting earned, on how many decisions (-1: silence, known exactly), and the rewards since. */
  trial?: { from: Arm; fromMean: number; fromDecided: number; rewards: number[] };
  /** Arm → its decided count until which it may not become the setting (rolled back). */
  held: Partial<Record<ActingArm, number>>;
  escalation: ArmStats;
  /** What this kind's tuned tasks spent, and how much of it went on trying arms other than the setting. */
  spentUsd: number;
  explorationUsd: number;
}

/** A proposal shown and not yet decided, or decided and watched for a revert. */
interface Pending {
  kind: string;
  arm: ActingArm | 'escalation';
  costUsd: number;
  kept?: number;
  /** Once accepted: what shows it undone, until when. */
  watch?: RevertWatch[];
  watchUntil?: string;
}

export interface TunerState {
  version: 1;
  seed: number;
  kinds: Record<string, KindState>;
  pending: Record<string, Pending>;
}

export type TunerLogEntry =
  | { event: 'load'; at: string; state: TunerState }
  | { event: 'choose'; at: string; kind: string; alwaysAct: boolean; arm: Arm; current: Arm; exploring: boolean; samples: Partial<Record<Arm, number>>; why: string }
  | { event: 'run'; at: string; kind: string; key: string; arm: ActingArm | 'escalation'; costUsd: number; shown: boolean; exploring: boolean }
  | { event: 'fate'; at: string; key: string; kept: number; fate: Fate; reward: number }
  | { event: 'change'; at: string; kind: string; from: Arm; to: Arm; why: string }
  | { event: 'control'; at: string; kind: string; action: 'freeze' | 'unfreeze' | 'reset' };

export type Fate = 'accepted' | 'partial' | 'rejected' | 'ignored' | 'reverted';

export interface Choice {
  arm: Arm;
  exploring: boolean;
  why: string;
}

const emptyStats = (): ArmStats => ({ pulls: 0, shown: 0, decided: 0, kept: 0, costUsd: 0, rewardSum: 0 });
const ACTING = ARMS.filter((a): a is ActingArm => a !== 'silent');
const usd = (n: number) => `$${n < 0.01 ? n.toFixed(4) : n.toFixed(2)}`;

export function newTunerState(seed: number): TunerState {
  return { version: 1, seed: seed >>> 0, kinds: {}, pending: {} };
}

function costPerTask(s: ArmStats): number {
  return s.pulls > 0 ? s.costUsd / s.pulls : PRIOR_COST_USD;
}

/** An arm's expected reward per task from its posterior means (a new arm: even odds, the prior cost). */
export function meanValue(s: ArmStats): number {
  return expectedReward((1 + s.shown) / (2 + s.pulls), (1 + s.kept) / (2 + s.decided), costPerTask(s));
}

export class Tuner {
  private readonly random: Random;

  constructor(
    private readonly state: TunerState,
    private readonly log: (entry: TunerLogEntry) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.random = new Random(state.seed);
  }

  snapshot(): TunerState {
    return structuredClone({ ...this.state, seed: this.random.seed });
  }

  /**
   * Which arm a new task of `kind` gets. `alwaysAct`: the user asked for this kind always
   * (silence is no arm then).
   */
  choose(kind: string, alwaysAct = false): Choice {
    const k = this.kind(kind);
    const at = this.now().toISOString();
    const current: Arm = alwaysAct && k.current === 'silent' ? DEFAULT_ARM : k.current;
    if (k.frozen) {
      const why = `frozen at ${current}`;
      this.log({ event: 'choose', at, kind, alwaysAct, arm: current, current, exploring: false, samples: {}, why });
      return { arm: current, exploring: false, why };
    }
    if (current !== 'silent' && k.arms[current].decided < MIN_DECIDED) {
      // A new kind first learns how its setting does: no other arm is tried until it has.
      const why = `${current}: learning how it does first (${k.arms[current].decided} of ${MIN_DECIDED} decisions)`;
      this.log({ event: 'choose', at, kind, alwaysAct, arm: current, current, exploring: false, samples: {}, why });
      return { arm: current, exploring: false, why };
    }
    const samples: Partial<Record<Arm, number>> = {};
    for (const arm of ACTING) {
      const s = k.arms[arm];
      samples[arm] = expectedReward(this.random.beta(1 + s.shown, 1 + s.pulls - s.shown), this.random.beta(1 + s.kept, 1 + s.decided - s.kept), costPerTask(s));
    }
    // Silence is earned: a kind goes quiet only once an arm has shown what it earns.
    if (!alwaysAct && ACTING.some((a) => k.arms[a].decided >= MIN_DECIDED)) samples.silent = 0;
    let arm = (Object.entries(samples) as Array<[Arm, number]>).reduce((best, next) => (next[1] > best[1] ? next : best))[0];
    let exploring = arm !== current;
    let why = exploring ? `trying ${arm} (its sampled value ${samples[arm]!.toFixed(2)} beat ${current})` : `${current}, the setting`;
    const allowance = EXPLORATION_SHARE * Math.max(k.spentUsd, EXPLORATION_FLOOR_USD / EXPLORATION_SHARE);
    if (exploring && arm !== 'silent' && k.explorationUsd >= allowance) {
      why = `${current}: trying ${arm} would pass the exploration budget (${usd(k.explorationUsd)} of ${usd(allowance)})`;
      arm = current;
      exploring = false;
    }
    if (arm === 'silent') k.trial?.rewards.push(0);
    if (arm === 'silent' && k.trial) this.judgeTrial(kind, k);
    this.log({ event: 'choose', at, kind, alwaysAct, arm, current, exploring, samples, why });
    return { arm, exploring, why };
  }

  /** A task ran on `arm` and cost `costUsd`; `shown`: it gave a proposal, known by `key` until its fate. */
  recordRun(kind: string, key: string, arm: ActingArm | 'escalation', costUsd: number, shown: boolean, exploring = false): void {
    const k = this.kind(kind);
    const s = arm === 'escalation' ? k.escalation : k.arms[arm];
    s.pulls++;
    s.costUsd += costUsd;
    k.spentUsd += costUsd;
    // Trying an arm costs what it spends beyond what the setting would have (all of it when the setting is silence).
    if (exploring) k.explorationUsd += Math.max(0, costUsd - (k.current === 'silent' ? 0 : costPerTask(k.arms[k.current])));
    this.log({ event: 'run', at: this.now().toISOString(), kind, key, arm, costUsd, shown, exploring });
    if (shown) {
      s.shown++;
      this.state.pending[key] = { kind, arm, costUsd };
      return;
    }
    const r = reward({ shown: false, costUsd });
    s.rewardSum += r;
    if (arm !== 'escalation') this.afterResult(kind, k, r);
  }

  /** The developer decided on a shown proposal (kept: the share accepted), or it was ignored or reverted later. */
  recordFate(key: string, fate: Fate, kept: number): void {
    const p = this.state.pending[key];
    if (!p) return;
    const k = this.kind(p.kind);
    const s = p.arm === 'escalation' ? k.escalation : k.arms[p.arm];
    let r: number;
    if (fate === 'reverted') {
      if (p.kept === undefined) return;
      // Counted as accepted before; now as if it had been rejected.
      r = reward({ shown: true, kept: 0, costUsd: p.costUsd }) - reward({ shown: true, kept: p.kept, costUsd: p.costUsd });
      s.kept -= p.kept;
      delete this.state.pending[key];
    } else {
      if (p.kept !== undefined) return;
      r = reward({ shown: true, kept, costUsd: p.costUsd });
      s.decided++;
      s.kept += kept;
      // An accepted one is watched for a revert; the rest are done with.
      if (kept > 0) p.kept = kept;
      else delete this.state.pending[key];
    }
    s.rewardSum += r;
    this.log({ event: 'fate', at: this.now().toISOString(), key, kept, fate, reward: r });
    if (p.arm !== 'escalation') this.afterResult(p.kind, k, r);
  }

  /** Forgets shown proposals that are no longer open and were never decided (dismissed as stale, their file gone). */
  prune(openKeys: ReadonlySet<string>): void {
    for (const [key, p] of Object.entries(this.state.pending)) if (p.kept === undefined && !openKeys.has(key)) delete this.state.pending[key];
  }

  /** Watches an accepted proposal's files until `until`: undone before then, it counts as reverted. */
  watchForRevert(key: string, watch: RevertWatch[], until: Date): void {
    const p = this.state.pending[key];
    if (p?.kept === undefined) return;
    p.watch = watch;
    p.watchUntil = until.toISOString();
  }

  /** A file now holds `text`: accepted proposals it undid count as reverted; watches past their time end. Returns the keys reverted. */
  checkReverts(uri: string, text: string | undefined): string[] {
    const now = this.now().toISOString();
    const reverted: string[] = [];
    for (const [key, p] of Object.entries(this.state.pending)) {
      if (p.kept === undefined) continue;
      if (!p.watchUntil || p.watchUntil < now) {
        delete this.state.pending[key];
        continue;
      }
      const w = p.watch?.find((x) => x.uri === uri);
      if (w && text !== undefined && isReverted(w, text)) {
        this.recordFate(key, 'reverted', 0);
        reverted.push(key);
      }
    }
    return reverted;
  }

  /** Whether a kind's failed task should go to the escalation profile by itself: escalated ones paid for themselves. */
  autoEscalation(kind: string): { on: boolean; why: string } {
    const s = this.kind(kind).escalation;
    if (s.decided < MIN_ESCALATIONS) return { on: false, why: `${s.decided} of ${MIN_ESCALATIONS} escalated ${kind} proposals decided so far` };
    const value = meanValue(s);
    const rate = `${Math.round(s.kept)} of ${s.decided} kept at ${usd(s.costUsd / Math.max(1, s.pulls))} each`;
    return value > 0 ? { on: true, why: `escalated ${kind} tasks pay: ${rate}` } : { on: false, why: `escalated ${kind} tasks do not pay: ${rate}` };
  }

  control(kind: string, action: 'freeze' | 'unfreeze' | 'reset'): void {
    const k = this.kind(kind);
    if (action === 'reset') this.state.kinds[kind] = newKind();
    else k.frozen = action === 'freeze';
    this.log({ event: 'control', at: this.now().toISOString(), kind, action });
  }

  view(kinds: readonly string[], autoEscalateAllowed: boolean): TuningKindView[] {
    return [...new Set([...kinds, ...Object.keys(this.state.kinds)])].map((kind) => {
      const k = this.kind(kind);
      const arms: TuningArmView[] = ACTING.map((arm) => {
        const s = k.arms[arm];
        return { arm, tasks: s.pulls, shown: s.shown, decided: s.decided, keptRate: s.decided ? s.kept / s.decided : null, costPerTaskUsd: s.pulls ? s.costUsd / s.pulls : null, value: meanValue(s) };
      });
      const esc = this.autoEscalation(kind);
      return {
        kind,
        setting: k.current,
        frozen: k.frozen,
        why: describeSetting(k),
        arms,
        history: k.history.slice(-5),
        autoEscalate: { on: autoEscalateAllowed && esc.on, why: autoEscalateAllowed ? esc.why : 'not allowed by your settings or the team policy' },
      };
    });
  }

  private kind(kind: string): KindState {
    return (this.state.kinds[kind] ??= newKind());
  }

  /** After each result: a trial under way is judged; otherwise the best arm by its means may become the setting. */
  private afterResult(kind: string, k: KindState, r: number): void {
    if (k.trial) {
      k.trial.rewards.push(r);
      this.judgeTrial(kind, k);
      return;
    }
    if (k.frozen) return;
    const candidates = ACTING.filter((a) => k.arms[a].decided >= MIN_DECIDED && (k.held[a] ?? 0) <= k.arms[a].decided);
    const values = new Map<Arm, number>(candidates.map((a) => [a, meanValue(k.arms[a])]));
    // Silence can win only over arms that have shown what they earn.
    if (candidates.length > 0) values.set('silent', 0);
    if (!values.has(k.current) && k.current !== 'silent') values.set(k.current, meanValue(k.arms[k.current]));
    const best = [...values].reduce((a, b) => (b[1] > a[1] ? b : a));
    if (best[0] === k.current || best[1] <= (values.get(k.current) ?? -Infinity) + CHANGE_MARGIN) return;
    const from = k.current;
    const fromMean = values.get(from) ?? 0;
    const why = `${describeArm(k, best[0])} against ${describeArm(k, from)}`;
    this.change(kind, k, from, best[0], why);
    k.trial = { from, fromMean, fromDecided: from === 'silent' ? -1 : k.arms[from].decided, rewards: [] };
  }

  private judgeTrial(kind: string, k: KindState): void {
    const t = k.trial!;
    if (t.rewards.length < TRIAL_WINDOW) return;
    k.trial = undefined;
    const n = t.rewards.length;
    const mean = t.rewards.reduce((a, b) => a + b, 0) / n;
    // Worse by more than chance: the margin plus two standard errors of the difference (the trial's and the old setting's).
    const se = Math.sqrt(t.rewards.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) / n);
    const seFrom = t.fromDecided < 0 ? 0 : REWARD_SD / Math.sqrt(Math.max(1, t.fromDecided));
    if (t.fromMean - mean <= TRIAL_MARGIN + 2 * Math.hypot(se, seFrom)) return;
    const to = k.current;
    if (to !== 'silent') k.held[to] = k.arms[to].decided + HOLD_DECISIONS;
    this.change(kind, k, to, t.from, `rolled back: the ${t.rewards.length} tasks since the change earned ${mean.toFixed(2)} each against ${t.fromMean.toFixed(2)} before`);
  }

  private change(kind: string, k: KindState, from: Arm, to: Arm, why: string): void {
    k.current = to;
    const at = this.now().toISOString();
    k.history.push({ at, from, to, why });
    if (k.history.length > HISTORY_KEPT) k.history.shift();
    this.log({ event: 'change', at, kind, from, to, why });
  }
}

function newKind(): KindState {
  return { arms: { standard: emptyStats(), lean: emptyStats(), wide: emptyStats() }, current: DEFAULT_ARM, frozen: false, history: [], held: {}, escalation: emptyStats(), spentUsd: 0, explorationUsd: 0 };
}

function describeArm(k: KindState, arm: Arm): string {
  if (arm === 'silent') return 'silent: 0 per task';
  const s = k.arms[arm];
  return `${arm}: ${meanValue(s).toFixed(2)} per task (${Math.round(s.kept)} of ${s.decided} kept, ${usd(s.pulls ? s.costUsd / s.pulls : 0)} a task)`;
}

function describeSetting(k: KindState): string {
  if (k.frozen) return `Frozen at ${k.current}.`;
  const last = k.history[k.history.length - 1];
  if (!last) {
    const n = k.current === 'silent' ? MIN_DECIDED : k.arms[k.current].decided;
    return n < MIN_DECIDED ? `${k.current}: the starting setting, used alone until it has ${MIN_DECIDED} decisions (${n} so far); then other recipes are tried now and then.` : `${k.current}: the starting setting; no other recipe has done better yet.`;
  }
  return `${last.to} since ${last.at.slice(0, 10)}: ${last.why}.${k.trial ? ' On trial: it is rolled back if the next tasks earn less than before.' : ''}`;
}

/**
 * Replays a tuner log: starts from its first `load` snapshot and feeds every run, fate and
 * control to a fresh tuner; each choice must come out as logged. Returns the choices that did not.
 */
export function replayTuner(entries: readonly TunerLogEntry[]): { state: TunerState | undefined; mismatches: number; choices: number } {
  let tuner: Tuner | undefined;
  let mismatches = 0;
  let choices = 0;
  let clock = new Date(0);
  for (const e of entries) {
    clock = new Date(e.at);
    if (e.event === 'load') {
      tuner = new Tuner(structuredClone(e.state), undefined, () => clock);
      continue;
    }
    if (!tuner) continue;
    if (e.event === 'choose') {
      choices++;
      if (tuner.choose(e.kind, e.alwaysAct).arm !== e.arm) mismatches++;
    } else if (e.event === 'run') tuner.recordRun(e.kind, e.key, e.arm, e.costUsd, e.shown, e.exploring);
    else if (e.event === 'fate') tuner.recordFate(e.key, e.fate, e.kept);
    else if (e.event === 'control') tuner.control(e.kind, e.action);
  }
  return { state: tuner?.snapshot(), mismatches, choices };
}
