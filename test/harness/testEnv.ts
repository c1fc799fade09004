/**
 * Finds (installing once if needed) Node 24, code-server and Chromium for the real-VS-Code tests,
 * through scripts/test-env.sh, which keeps them in the user's cache folder.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

export interface TestEnv {
  node24: string;
  codeServerEntry: string;
  chromium: string;
}

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

let cached: TestEnv | undefined;

export function testEnv(): TestEnv {
  if (cached) return cached;
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'test-env.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const vars = Object.fromEntries(
    out
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  cached = { node24: vars.NIGHTSHIFT_NODE24, codeServerEntry: vars.NIGHTSHIFT_CODE_SERVER, chromium: vars.NIGHTSHIFT_CHROMIUM };
  return cached;
}
