/**
 * A stand-in for the `code` executable that @vscode/test-electron's runTests() launches. It
 * accepts the same command line (--extensionDevelopmentPath=… --extensionTestsPath=… [folder],
 * ignoring Electron-only flags) and runs the tests in code-server's real extension host, driven
 * by headless Chromium. Exit code: the test module's result.
 * Where desktop VS Code can be downloaded, runTests() runs the same suite without this shim.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { launchBrowser, makeRunDir, startCodeServer, workbenchUrl } from './codeServer';

const TEST_TIMEOUT_MS = 10 * 60_000;

function parseArgs(argv: string[]) {
  const opts: { devPaths: string[]; testsPath?: string; folder?: string; userDataDir?: string; extensionsDir?: string } = { devPaths: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--extensionDevelopmentPath') opts.devPaths.push(path.resolve(value()));
    else if (flag === '--extensionTestsPath') opts.testsPath = path.resolve(value());
    else if (flag === '--user-data-dir') opts.userDataDir = path.resolve(value());
    else if (flag === '--extensions-dir') opts.extensionsDir = path.resolve(value());
    else if (!arg.startsWith('-')) opts.folder = path.resolve(arg);
    // Electron-only flags (--no-sandbox, --disable-gpu-sandbox, --skip-welcome, …) have no meaning here.
  }
  return opts;
}

/** Mocha's spec reporter lines and our own failures, not the workbench's logging. */
function isTestOutput(line: string): boolean {
  return /^\s*(✔|✓|\d+\)|\d+ (passing|failing|pending)|Nightshift|\s{2,}\S)|AssertionError|Error: /.test(line) && !/^\s+at /.test(line) && !/workbench\.js/.test(line);
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  if (!opts.testsPath || opts.devPaths.length === 0) {
    console.error('usage: code --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [folder]');
    return 2;
  }
  const runDir = makeRunDir('integration');
  const untrusted = process.env.NIGHTSHIFT_TEST_UNTRUSTED === '1';
  const server = await startCodeServer({
    runDir,
    userDataDir: opts.userDataDir,
    extensionsDir: opts.extensionsDir,
    workspaceTrust: untrusted,
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
  });
  const browser = await launchBrowser(runDir);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const remote = (p: string) => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const result = new Promise<number>((resolve) => {
      void browser.page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      timer = setTimeout(() => {
        console.error(`The tests did not finish in ${TEST_TIMEOUT_MS / 60_000} minutes.`);
        resolve(1);
      }, TEST_TIMEOUT_MS);
    });
    // The workbench's own chatter goes to a file; the test run's output to the console.
    const workbenchLog = fs.createWriteStream(path.join(runDir, 'workbench.log'));
    await browser.page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      workbenchLog.write(`[${type}] ${line}\n`);
      if (process.env.NIGHTSHIFT_TEST_VERBOSE === '1' || isTestOutput(line)) console.log(line);
    });
    const payload: Array<[string, string]> = [...opts.devPaths.map((p): [string, string] => ['extensionDevelopmentPath', remote(p)]), ['extensionTestsPath', remote(opts.testsPath)]];
    await browser.page.goto(workbenchUrl(server, opts.folder ?? runDir, payload));
    return await result;
  } finally {
    if (timer) clearTimeout(timer);
    await browser.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
