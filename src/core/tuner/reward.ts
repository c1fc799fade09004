/**
 * What a task's work earned, in one formula (documented in docs/tuning.md): the share of the
 * proposal the developer accepted and kept, less the attention a proposal they did not want cost
 * them, less what the work cost in money, at a stated value of one accepted proposal. Staying
 * silent earns 0. The tuner maximises this per task kind.
 */

/** What one accepted-and-kept proposal is worth, in US dollars: the scale of the cost term. */
export const VALUE_OF_ACCEPTED_USD = 0.25;
/** What reading a proposal the developer did not want costs, as a share of one accepted proposal. */
export const ATTENTION_COST = 0.25;

/**
 * How a task's work ended for the developer. `kept`: the share of it accepted and kept (1 accepted,
 * k/n accepted in part, 0 rejected, ignored or reverted later); undefined with nothing shown.
 */
export interface WorkOutcome {
  shown: boolean;
  kept?: number;
  costUsd: number;
}

export function reward(o: WorkOutcome): number {
  const kept = o.shown ? (o.kept ?? 0) : 0;
  const attention = o.shown ? ATTENTION_COST * (1 - kept) : 0;
  return kept - attention - o.costUsd / VALUE_OF_ACCEPTED_USD;
}

/** The reward a kind's arm is expected to earn per task, from its rates: shown share, kept share of those shown, cost per task. */
export function expectedReward(showRate: number, keptRate: number, costPerTaskUsd: number): number {
  return showRate * (keptRate - ATTENTION_COST * (1 - keptRate)) - costPerTaskUsd / VALUE_OF_ACCEPTED_USD;
}
