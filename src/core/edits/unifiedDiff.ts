/** Unified diffs for display, made by jsdiff. */
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(relativePath: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${relativePath}`, `b/${relativePath}`, before, after, undefined, undefined, {
    context: 3,
  });
  // Drop jsdiff's "Index:"/"====" preamble: the diff starts at its file header.
  return patch.slice(Math.max(0, patch.indexOf('--- ')));
}
