// Lint: the recommended rules, plus the layer rules of DESIGN.md: 'vscode' only in src/extension
// (and the integration tests), 'openai' only in src/core/providers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: "Only src/extension may import 'vscode': keep the engine host-neutral." };
const noOpenai = { name: 'openai', message: "Only src/core/providers may import 'openai': go through ModelBackend." };
const restrict = (...paths) => ({ 'no-restricted-imports': ['error', { paths }] });

export default tseslint.config(
  { ignores: ['dist/**', 'dist-vsix/**', 'out/**', 'out-*/**', 'node_modules/**', 'test/fixtures/**', '.vscode-test/**', '.stryker-tmp/**', 'reports/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['src/core/**', 'src/server/**', 'src/shared/**', 'src/cli/**', 'webview-ui/**', 'test/unit/**', 'test/slow/**', 'test/cli/**', 'test/fakes/**', 'test/harness/**', 'test/e2e/**', 'bench/**'], rules: restrict(noVscode, noOpenai) },
  { files: ['src/core/providers/**'], rules: restrict(noVscode) },
  { files: ['src/extension/**', 'test/integration/**', 'bench/activationProbe.ts'], rules: restrict(noOpenai) },
  { files: ['scripts/**/*.mjs', 'eslint.config.mjs'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
