/**
 * The first part of every composed check: a change that adds a suppression comment or edits a
 * compiler or linter configuration, in any file it touches, or (a fix) loosens a Python type, is
 * `silences` — whatever the checkers after it would say. Says nothing (an empty unchecked part) for a change that does not.
 */
import { loosensScript, touchesUnused } from './looseTypes';
import { loosensPython } from './pythonLoosening';
import { silencingIn } from './silencing';
import type { Verifier } from './Verifier';

export const silencingCheck: Verifier = {
  async verify(request) {
    const changes = [{ filePath: request.filePath, before: request.before, after: request.after }, ...(request.also ?? [])];
    // Loosening counts only for a fix (a target to prove gone): a refactor may write a cast of its own.
    const loosened = request.targets.length > 0 ? changes.map((c) => loosensPython(c.filePath, c.before, c.after) ?? touchesUnused(c.filePath, c.before, c.after) ?? loosensScript(c.filePath, c.before, c.after)).find(Boolean) : undefined;
    const reason = silencingIn(changes) ?? loosened;
    return reason ? { status: 'silences', detail: reason } : { status: 'unchecked', detail: '' };
  },
};
