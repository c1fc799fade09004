/** Unified diffs for display, made by jsdiff. */
import { createTwoFilesPatch } from 'diff';

export function unifiedDiff(relativePath: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(`a/${relativePath}`, `b/${relativePath}`, before, after, undefined, undefined, {
    context: 3,
  });
  // Drop jsdiff's "Index:"/"====" preamble: the panel shows the file name itself.
  return patch.replace(/^Index: .*\n=+\n/, '');
}
