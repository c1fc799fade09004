/**
 * Runs the integration suite inside a real VS Code extension host with @vscode/test-electron.
 * Desktop VS Code cannot be downloaded on our machines, so `vscodeExecutablePath` points at a
 * `code` stand-in that runs code-server instead (set NIGHTSHIFT_VSCODE_DOWNLOAD=1 to let
 * runTests download desktop VS Code where that works).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeRunDir } from '../harness/codeServer';
import { REPO_ROOT } from '../harness/testEnv';

async function main(): Promise<void> {
  const runDir = makeRunDir('workspace');
  const workspace = path.join(runDir, 'ts-error');
  // A fresh profile per run: no keys, no ledger, no settings left from an earlier run.
  const profile = (name: string) => [`--user-data-dir=${path.join(runDir, name, 'user-data')}`, `--extensions-dir=${path.join(runDir, name, 'extensions')}`];
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'ts-error'), workspace, { recursive: true });
  // The suite reports its own diagnostics; the built-in TypeScript checker would add its own later.
  fs.mkdirSync(path.join(workspace, '.vscode'));
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'typescript.validate.enable': false }));
  const download = process.env.NIGHTSHIFT_VSCODE_DOWNLOAD === '1';
  const vscodeExecutablePath = download ? undefined : path.join(REPO_ROOT, 'test', 'harness', 'code');
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [workspace, '--disable-extensions', ...profile('main')],
  });
  // A second window on an untrusted folder. Desktop runs pass --disable-workspace-trust, so this
  // run needs the code-server stand-in, which honours NIGHTSHIFT_TEST_UNTRUSTED.
  if (!download) {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'untrusted', 'index.js'),
      launchArgs: [workspace, ...profile('untrusted')],
      extensionTestsEnv: { NIGHTSHIFT_TEST_UNTRUSTED: '1' },
    });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
