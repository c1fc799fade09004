// Builds the bundles with esbuild: the extension (vscode external), the agent server and the
// headless CLI (vscode NOT external, so a stray import fails the build) and the panel app.
import { cpSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
// --outdir <dir>: the bundles go there instead of dist/ (scripts/package.mjs builds into its staging folder).
const outArg = process.argv.indexOf('--outdir');
const out = outArg > 0 ? process.argv[outArg + 1] : 'dist';
const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'warning', legalComments: 'none' };
// jsonc-parser's main build is UMD, whose inner requires esbuild cannot follow: bundle its ES modules.
const node = { ...common, platform: 'node', target: 'node22', format: 'cjs', alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' } };

await Promise.all([
  esbuild.build({ ...node, entryPoints: ['src/extension/extension.ts'], outfile: `${out}/extension.js`, external: ['vscode'] }),
  esbuild.build({ ...node, entryPoints: ['src/server/server.ts'], outfile: `${out}/server.js` }),
  // The headless host, the package's `nightshift` bin. @parcel/watcher's JavaScript is bundled; its native binary
  // (@parcel/watcher-<platform>) is required at run time from the node_modules beside dist/ (scripts/package.mjs).
  esbuild.build({ ...node, entryPoints: ['src/cli/main.ts'], outfile: `${out}/cli.js` }),
  // Worker threads that fold large spend-ledger files; the ledger finds it beside server.js.
  esbuild.build({ ...node, entryPoints: ['src/core/budget/ledgerSummaryWorker.ts'], outfile: `${out}/ledgerSummaryWorker.js` }),
  // The headless host's TypeScript diagnostics thread; found beside cli.js.
  esbuild.build({ ...node, entryPoints: ['src/core/signals/tsDiagnosticsWorker.ts'], outfile: `${out}/tsDiagnosticsWorker.js` }),
  // The TypeScript checks and compiler fixes of the editor's server and the headless host, in a process that ends when idle; found beside server.js and cli.js.
  esbuild.build({ ...node, entryPoints: ['src/core/verify/typescriptProcessMain.ts'], outfile: `${out}/typescriptProcessMain.js` }),
  // The workspace's ESLint checks, fixes and (headless) problems, in a process that ends when idle; found beside server.js and cli.js.
  esbuild.build({ ...node, entryPoints: ['src/core/verify/eslint/eslintProcessMain.ts'], outfile: `${out}/eslintProcessMain.js` }),
  // The project's own vitest or jest, kept alive between tested checks; found beside server.js and cli.js.
  esbuild.build({ ...node, entryPoints: ['src/core/verify/tests/testRunnerMain.ts'], outfile: `${out}/testRunnerMain.js` }),
  esbuild.build({
    ...common,
    entryPoints: { webview: 'webview-ui/src/main.ts' },
    outdir: out,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    tsconfig: 'webview-ui/tsconfig.json',
  }),
  esbuild.build({ ...common, entryPoints: { webview: 'webview-ui/src/panel.css' }, outdir: out, sourcemap: false }),
]);

// pyright, the Python checker, is no bundle: its language server and typeshed's standard-library
// stubs are copied beside the bundles (dist/pyright, ~9 MB, ~1.8 MB zipped) so that an installed
// extension checks Python with no download; found by core/verify/python/pythonEnv.ts. Left out:
// source maps, and typeshed's third-party stubs (27 MB; a package without them is typed from its
// own code in the environment, or reported unresolved where it is not installed).
const THIRD_PARTY_STUBS = path.join('node_modules', 'pyright', 'dist', 'typeshed-fallback', 'stubs');
rmSync(`${out}/pyright`, { recursive: true, force: true });
cpSync('node_modules/pyright', `${out}/pyright`, { recursive: true, filter: (src) => !src.endsWith('.map') && !src.startsWith(THIRD_PARTY_STUBS) });
