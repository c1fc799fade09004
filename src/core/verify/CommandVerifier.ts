/**
 * Runs the user's check commands (nightshift.checkCommands, e.g. `npm run -s typecheck`) against a
 * proposal without touching the working tree: a shadow worktree (shadowTree.ts) holds HEAD plus the
 * user's current changes plus the proposal, made for the check and removed after it. Commands run
 * with a time limit and a clean environment (no API keys or tokens, processRun.ts), their output
 * capped and stripped of terminal colours (it reaches a card and a model's prompt). Only for
 * trusted workspaces: the agent does not run in untrusted ones at all.
 */
import { stripVTControlCharacters } from 'node:util';
import type { CheckResult } from '../../shared/types';
import { run } from './processRun';
import { ShadowTree } from './shadowTree';
import type { Verifier, VerifyRequest } from './Verifier';

export interface CommandSettings {
  commands: string[];
  timeoutMs: number;
  /** Whether the repository is trusted: untrusted, the shadow's git runs none of its filters (your commands still run: your choice). */
  trusted?: boolean;
}

export class CommandVerifier implements Verifier {
  constructor(
    private readonly root: string,
    private readonly settings: () => CommandSettings,
  ) {}

  async verify(request: VerifyRequest): Promise<CheckResult> {
    const { commands, timeoutMs, trusted } = this.settings();
    if (commands.length === 0) return { status: 'unchecked', detail: 'No check commands are set (nightshift.checkCommands).' };
    // A shadow for this check alone: made, used and removed (commands may leave anything behind in it).
    const shadow = new ShadowTree(this.root, { trusted: trusted !== false });
    try {
      const files = [request, ...(request.also ?? [])].map((f) => ({ filePath: f.filePath, text: f.after }));
      const r = await shadow.use(files, async ({ dir }): Promise<CheckResult> => {
        for (const command of commands) {
          const r = await run(command, [], dir, timeoutMs, true);
          if (r.timedOut) return { status: 'failed', detail: `\`${command}\` did not finish in ${Math.round(timeoutMs / 1000)} s.`, errors: tail(r.output) };
          if (r.code !== 0) return { status: 'failed', detail: `\`${command}\` failed (exit ${r.code}).`, errors: tail(r.output) };
        }
        return { status: 'passed', detail: `${commands.map((c) => `\`${c}\``).join(', ')} passed with this change.` };
      });
      if (!('unavailable' in r)) return r;
      if (r.unavailable === 'no-repository') return { status: 'unchecked', detail: 'Check commands need a git repository (they run in a temporary worktree).' };
      if (r.unavailable === 'outside') return { status: 'unchecked', detail: 'The file is outside the repository.' };
      return { status: 'unchecked', detail: 'Could not make a temporary git worktree.' };
    } finally {
      await shadow.dispose();
    }
  }
}

/** The last lines of a command's output, for the proposal's evidence (a card and the model's prompt: no terminal colours). */
function tail(output: string, lines = 30): string[] {
  return stripVTControlCharacters(output).trimEnd().split('\n').slice(-lines);
}
