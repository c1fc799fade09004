/**
 * The tuner's arms for a task kind: stay silent, or act with one of a few named recipes — how
 * much of the file the model sees, whether signatures and lookups are offered, how much output
 * it may write, and which short instruction it gets. `standard` is Nightshift's behaviour before
 * the tuner (and the first arm tried).
 */

export interface Recipe {
  /** Lines shown either side of the lines in focus, in a long file. */
  windowRadius: number;
  /** Whether the language server's signatures of names on the problem lines are included. */
  signatures: boolean;
  /** Rounds of read-only lookups the model may make. */
  lookups: number;
  /** Share of nightshift.maxCompletionTokens the model may use. */
  outputShare: number;
  /** An extra line of instruction ("" for none), after the task: the prompt variant. */
  instruction: string;
}

export const RECIPES = {
  standard: { windowRadius: 20, signatures: true, lookups: 3, outputShare: 1, instruction: '' },
  lean: { windowRadius: 8, signatures: true, lookups: 0, outputShare: 0.5, instruction: 'Keep the answer short: the smallest edit that does it, no lookups.' },
  wide: { windowRadius: 60, signatures: true, lookups: 3, outputShare: 1, instruction: 'Find the cause first (read around it if needed), then make the smallest change that removes it.' },
} as const satisfies Record<string, Recipe>;

export type ActingArm = keyof typeof RECIPES;
export type Arm = 'silent' | ActingArm;
export const ARMS: readonly Arm[] = ['standard', 'lean', 'wide', 'silent'];
export const DEFAULT_ARM: ActingArm = 'standard';

export function recipeFor(arm: Arm | undefined): Recipe {
  return RECIPES[arm && arm !== 'silent' ? arm : DEFAULT_ARM];
}
