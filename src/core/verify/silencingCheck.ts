/**
 * The first part of every composed check: a change that adds a suppression comment or edits a
 * compiler or linter configuration, in any file it touches, is `silences` — whatever the
 * checkers after it would say. Says nothing (an empty unchecked part) for a change that does not.
 */
import { silencingIn } from './silencing';
import type { Verifier } from './Verifier';

export const silencingCheck: Verifier = {
  async verify(request) {
    const reason = silencingIn([{ filePath: request.filePath, before: request.before, after: request.after }, ...(request.also ?? [])]);
    return reason ? { status: 'silences', detail: reason } : { status: 'unchecked', detail: '' };
  },
};
