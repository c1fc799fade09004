// Builds the bundles with esbuild: the extension (vscode external), the agent server and the
// headless CLI (vscode NOT external, so a stray import fails the build) and the panel app.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, minify: production, sourcemap: !production, logLevel: 'warning', legalComments: 'none' };
// jsonc-parser's main build is UMD, whose inner requires esbuild cannot follow: bundle its ES modules.
const node = { ...common, platform: 'node', target: 'node22', format: 'cjs', alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' } };

await Promise.all([
  esbuild.build({ ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...node, entryPoints: ['src/server/server.ts'], outfile: 'dist/server.js' }),
  // The headless host, the package's `nightshift` bin. @parcel/watcher's JavaScript is bundled; its native binary
  // (@parcel/watcher-<platform>) is required at run time from the node_modules beside dist/ (scripts/package.mjs).
  esbuild.build({ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' }),
  // Worker threads that fold large spend-ledger files; the ledger finds it beside server.js.
  esbuild.build({ ...node, entryPoints: ['src/core/budget/ledgerSummaryWorker.ts'], outfile: 'dist/ledgerSummaryWorker.js' }),
  // The headless host's TypeScript diagnostics thread; found beside cli.js.
  esbuild.build({ ...node, entryPoints: ['src/core/signals/tsDiagnosticsWorker.ts'], outfile: 'dist/tsDiagnosticsWorker.js' }),
  // The TypeScript checks and compiler fixes of the editor's server and the headless host, in a process that ends when idle; found beside server.js and cli.js.
  esbuild.build({ ...node, entryPoints: ['src/core/verify/typescriptProcessMain.ts'], outfile: 'dist/typescriptProcessMain.js' }),
  // The workspace's ESLint checks, fixes and (headless) problems, in a process that ends when idle; found beside server.js and cli.js.
  esbuild.build({ ...node, entryPoints: ['src/core/verify/eslint/eslintProcessMain.ts'], outfile: 'dist/eslintProcessMain.js' }),
  // The project's own vitest or jest, kept alive between tested checks; found beside server.js and cli.js.
  esbuild.build({ ...node, entryPoints: ['src/core/verify/tests/testRunnerMain.ts'], outfile: 'dist/testRunnerMain.js' }),
  esbuild.build({
    ...common,
    entryPoints: { webview: 'webview-ui/src/main.ts' },
    outdir: 'dist',
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    tsconfig: 'webview-ui/tsconfig.json',
  }),
  esbuild.build({ ...common, entryPoints: { webview: 'webview-ui/src/panel.css' }, outdir: 'dist', sourcemap: false }),
]);
