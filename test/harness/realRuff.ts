/**
 * A real ruff for the tests of the ruff path: Debian's build, installed once into the cache by
 * scripts/test-ruff.sh (or one already on PATH). Returns the folder to put on PATH. A machine
 * where it cannot be installed fails these tests, saying why: they never pass without a ruff.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { sourceRoot } from './testedFixture';

let found: string | undefined;

export function realRuffDir(): string {
  found ??= path.dirname(execFileSync('bash', [path.join(sourceRoot(), 'scripts', 'test-ruff.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim());
  return found;
}
