/**
 * The tuner against simulated developers: per task kind and arm, how often a task gives a
 * proposal, how often the developer accepts it, and what a task costs (MiniMax M2.7 prices),
 * with fixed seeds. The real Tuner is replayed over a stream of signals and compared with
 * Nightshift's behaviour before it (always the standard recipe, a low-yield kind one signal in three).
 */
import { RECIPES, type ActingArm, type Arm } from '../src/core/tuner/arms';
import { Random } from '../src/core/tuner/sampling';
import { newTunerState, Tuner } from '../src/core/tuner/Tuner';
import { FixedRule } from './fixedRule';
import type { Measured } from './providerBench';

interface ArmTruth {
  show: number;
  accept: number;
  costUsd: number;
}
type Developer = Record<string, { share: number; arms: Record<ActingArm, ArmTruth> }>;

/** A task's cost on MiniMax M2.7 ($0.30/M in, $1.20/M out) from its tokens. */
const m27 = (input: number, output: number) => (input * 0.3 + output * 1.2) / 1e6;
/** Tokens per task by recipe: the lean one sees less and writes less; the wide one reads more. */
const COST = { standard: m27(4000, 700), lean: m27(1800, 350), wide: m27(6500, 800) };
const arms = (rates: Record<ActingArm, [show: number, accept: number]>): Record<ActingArm, ArmTruth> => ({
  standard: { show: rates.standard[0], accept: rates.standard[1], costUsd: COST.standard },
  lean: { show: rates.lean[0], accept: rates.lean[1], costUsd: COST.lean },
  wide: { show: rates.wide[0], accept: rates.wide[1], costUsd: COST.wide },
});

/** A developer who takes fixes (best with the wide recipe), todos done lean, few reviews, no refactors. */
export const DEVELOPER: Developer = {
  fix: { share: 0.5, arms: arms({ standard: [0.8, 0.45], lean: [0.7, 0.4], wide: [0.85, 0.62] }) },
  todo: { share: 0.15, arms: arms({ standard: [0.7, 0.5], lean: [0.65, 0.62], wide: [0.75, 0.5] }) },
  review: { share: 0.25, arms: arms({ standard: [0.4, 0.12], lean: [0.3, 0.1], wide: [0.45, 0.15] }) },
  refactor: { share: 0.1, arms: arms({ standard: [0.6, 0], lean: [0.5, 0], wide: [0.7, 0] }) },
};

export interface SimResult {
  spentUsd: number;
  shown: number;
  accepted: number;
  acceptedFixes: number;
  fixSpentUsd: number;
  /** Per kind: the task count of that kind after which the setting was the best arm to the end (undefined: never). */
  settledAfter: Record<string, number | undefined>;
  /** Refactor proposals shown after the first 50 refactor signals, per 100 such signals. */
  lateRefactorShownPer100: number;
}

function bestArm(truth: Developer[string]): Arm {
  let best: Arm = 'silent';
  let value = 0;
  for (const [arm, t] of Object.entries(truth.arms) as Array<[ActingArm, ArmTruth]>) {
    const v = t.show * (t.accept - 0.25 * (1 - t.accept)) - t.costUsd / 0.25;
    if (v > value) [best, value] = [arm, v];
  }
  return best;
}

/** One developer's `signals` signals, decided as they come, through the tuner ('tuner') or the fixed rule ('fixed'). */
export function simulate(mode: 'tuner' | 'fixed', seed: number, signals = 3000, developer = DEVELOPER): SimResult {
  const world = new Random(seed * 7919 + 1);
  const tuner = new Tuner(newTunerState(seed), undefined, () => new Date('2026-12-02T12:00:00Z'));
  const yields = new FixedRule();
  const kinds = Object.keys(developer);
  const seen: Record<string, number> = {};
  const lastWrong: Record<string, number> = {};
  const r: SimResult = { spentUsd: 0, shown: 0, accepted: 0, acceptedFixes: 0, fixSpentUsd: 0, settledAfter: {}, lateRefactorShownPer100: 0 };
  let lateRefactor = 0;
  let lateRefactorShown = 0;
  for (let i = 0; i < signals; i++) {
    let u = world.next();
    const kind = kinds.find((k) => (u -= developer[k].share) < 0) ?? kinds[kinds.length - 1];
    const n = (seen[kind] = (seen[kind] ?? 0) + 1);
    let arm: Arm;
    let exploring = false;
    if (mode === 'tuner') {
      const choice = tuner.choose(kind);
      arm = choice.arm;
      exploring = choice.exploring;
      if (tuner.view([kind], false)[0].setting !== bestArm(developer[kind])) lastWrong[kind] = n;
    } else {
      arm = yields.admit(kind) ? 'standard' : 'silent';
    }
    if (arm === 'silent') continue;
    const t = developer[kind].arms[arm];
    r.spentUsd += t.costUsd;
    if (kind === 'fix') r.fixSpentUsd += t.costUsd;
    const shown = world.next() < t.show;
    const key = `${kind}-${i}`;
    if (mode === 'tuner') tuner.recordRun(kind, key, arm, t.costUsd, shown, exploring);
    if (kind === 'refactor' && n > 50) lateRefactor++;
    if (!shown) continue;
    r.shown++;
    if (kind === 'refactor' && n > 50) lateRefactorShown++;
    const accepted = world.next() < t.accept;
    if (accepted) r.accepted++;
    if (accepted && kind === 'fix') r.acceptedFixes++;
    if (mode === 'tuner') tuner.recordFate(key, accepted ? 'accepted' : 'rejected', accepted ? 1 : 0);
    else yields.record(kind, accepted);
  }
  for (const k of kinds) r.settledAfter[k] = lastWrong[k] === seen[k] ? undefined : (lastWrong[k] ?? 0);
  r.lateRefactorShownPer100 = lateRefactor === 0 ? 0 : (100 * lateRefactorShown) / Math.max(1, seen.refactor - 50);
  return r;
}

const SEEDS = Array.from({ length: 16 }, (_, i) => i + 1);

export function tunerRows(): Measured[] {
  const tuned = SEEDS.map((s) => simulate('tuner', s));
  const fixed = SEEDS.map((s) => simulate('fixed', s));
  const sum = (rs: SimResult[], f: (r: SimResult) => number) => rs.reduce((a, r) => a + f(r), 0);
  const perDollar = (rs: SimResult[]) => sum(rs, (r) => r.accepted) / sum(rs, (r) => r.spentUsd);
  const margin = (perDollar(tuned) / perDollar(fixed) - 1) * 100;
  const settled = (kind: string) => tuned.map((r) => r.settledAfter[kind] ?? Infinity).sort((a, b) => a - b);
  const onBest = (kind: string) => tuned.filter((r) => r.settledAfter[kind] !== undefined).length;
  return [
    { metric: `tuner: accepted proposals per dollar over the fixed rule (${SEEDS.length} seeds × 3,000 signals)`, measured: margin, unit: '% more', target: 15, kind: 'min' },
    { metric: 'tuner: accepted proposals in all, over the fixed rule', measured: (sum(tuned, (r) => r.accepted) / sum(fixed, (r) => r.accepted) - 1) * 100, unit: '% more', target: 0, kind: 'min' },
    { metric: 'tuner: acceptance rate of shown proposals', measured: (100 * sum(tuned, (r) => r.accepted)) / sum(tuned, (r) => r.shown), unit: '%', target: 35, kind: 'min' },
    { metric: 'fixed rule: acceptance rate of shown proposals (for comparison)', measured: (100 * sum(fixed, (r) => r.accepted)) / sum(fixed, (r) => r.shown), unit: '%', target: 0, kind: 'min' },
    { metric: 'tuner: cost per accepted fix (M2.7 prices)', measured: sum(tuned, (r) => r.fixSpentUsd) / sum(tuned, (r) => r.acceptedFixes), unit: 'USD', target: 0.01, kind: 'max' },
    ...Object.keys(DEVELOPER).flatMap((kind) => [
      { metric: `tuner: ${kind} tasks until the best arm (${bestArm(DEVELOPER[kind])}) is the setting for good, median seed`, measured: settled(kind)[SEEDS.length / 2], unit: 'tasks', target: 300, kind: 'max' as const },
      { metric: `tuner: ${kind}: seeds ending on the best arm`, measured: onBest(kind), unit: `of ${SEEDS.length}`, target: Math.ceil(SEEDS.length * 0.75), kind: 'min' as const },
    ]),
    { metric: 'tuner: refactor proposals shown per 100 signals after the first 50 (always rejected)', measured: sum(tuned, (r) => r.lateRefactorShownPer100) / SEEDS.length, unit: '', target: 5, kind: 'max' },
    { metric: `recipes: ${Object.keys(RECIPES).join(', ')} + silent`, measured: Object.keys(RECIPES).length + 1, unit: 'arms', target: 4, kind: 'min' },
  ];
}

if (require.main === module) {
  for (const row of tunerRows()) console.log(`${row.metric}: ${row.measured.toFixed(3)} ${row.unit} (target ${row.kind === 'max' ? '≤' : '≥'} ${row.target})`);
}
