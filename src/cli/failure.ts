/**
 * How the `nightshift` process ends on an error no command turned into an exit code: a failure of
 * the state folder names the path and the fix and exits EXIT.stateFolder; anything else exits
 * EXIT.internal with its message. Both are in the exit-code table (help.ts, docs/headless.md).
 */
import { asStateFolderError } from '../core/stateFolderError';
import { userStateDir } from '../core/stateDirs';
import { EXIT } from './help';

export function failureExit(e: unknown, env: NodeJS.ProcessEnv): { code: number; message: string } {
  const state = asStateFolderError(e, userStateDir(env));
  if (state) return { code: EXIT.stateFolder, message: `nightshift: ${state.message}` };
  return { code: EXIT.internal, message: `nightshift: ${e instanceof Error ? e.message : String(e)}` };
}
