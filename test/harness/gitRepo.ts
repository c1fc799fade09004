/** A throwaway git repository for tests: a temporary folder with `git init` done and a way to run git in it. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TempRepo {
  root: string;
  /** Runs git in the repository (as a test author) and returns its trimmed output. */
  git(...args: string[]): string;
}

export function tempRepo(prefix: string): TempRepo {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `nightshift-${prefix}-`));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', ...args], { cwd: root, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  return { root, git };
}
