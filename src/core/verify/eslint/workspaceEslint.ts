/**
 * The workspace's own ESLint (never ours: its version and its config decide what is a problem),
 * through its Node API: the flat config (`eslint.config.*`) or, where the workspace still uses it,
 * the legacy `.eslintrc` form. Finding the package and the config reads files only; `open` loads
 * ESLint and its config, which is the repository's own code — only the checker's child process,
 * in a trusted workspace, does that.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ownFolders, ownPackage } from '../trustReach';

/** One problem as ESLint's Node API reports it (lines and columns one-based; fix ranges are offsets into the text without its BOM). */
export interface LintMessage {
  ruleId: string | null;
  severity: number;
  message: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fatal?: boolean;
  fix?: LintFix;
  suggestions?: Array<{ desc: string; fix: LintFix }>;
}

export interface LintFix {
  range: [number, number];
  text: string;
}

export interface LintResult {
  filePath: string;
  messages: LintMessage[];
  /** What directive comments (`eslint-disable…`) hid: ESLint 8.8 and later. */
  suppressedMessages?: LintMessage[];
}

interface EslintInstance {
  lintText(code: string, options: { filePath: string; warnIgnored?: boolean }): Promise<LintResult[]>;
  lintFiles(patterns: string[]): Promise<LintResult[]>;
  calculateConfigForFile(filePath: string): Promise<unknown>;
  isPathIgnored(filePath: string): Promise<boolean>;
}

type EslintClass = new (options: { cwd: string; errorOnUnmatchedPattern?: boolean }) => EslintInstance;

interface EslintModule {
  loadESLint?: (options: { useFlatConfig?: boolean; cwd?: string }) => Promise<EslintClass>;
  ESLint?: EslintClass;
}

const FLAT_CONFIGS = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', 'eslint.config.mts', 'eslint.config.cts'];
const LEGACY_CONFIGS = ['.eslintrc.js', '.eslintrc.cjs', '.eslintrc.yaml', '.eslintrc.yml', '.eslintrc.json', '.eslintrc'];

/** The workspace's `eslint` package: its entry point and version; undefined when it has none. */
export function eslintPackage(root: string): { main: string; version: string } | undefined {
  try {
    const req = createRequire(path.join(root, 'package.json'));
    // One Node would find above the repository (a parent's node_modules) is someone else's code (trustReach.ts).
    if (!ownPackage(root, 'eslint')) return undefined;
    const main = req.resolve('eslint', { paths: [root] });
    for (let dir = path.dirname(main); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'eslint' && pkg.version) return { main, version: pkg.version };
    }
    return undefined;
  } catch {
    return undefined;
  }
}

export interface FoundConfig {
  kind: 'flat' | 'legacy';
  /** Absolute path of the config file. */
  file: string;
}

/**
 * The config ESLint would use for the folder: the nearest `eslint.config.*` or `.eslintrc*` (or a
 * package.json `eslintConfig`) from the folder up to its repository's top, a flat one first within a folder.
 * ESLINT_USE_FLAT_CONFIG, when set, picks the form as ESLint itself would.
 */
export function findConfig(root: string, env: NodeJS.ProcessEnv = process.env): FoundConfig | undefined {
  const only = env.ESLINT_USE_FLAT_CONFIG === 'true' ? 'flat' : env.ESLINT_USE_FLAT_CONFIG === 'false' ? 'legacy' : undefined;
  // Up to the repository's top, no further: a config above it is someone else's code (trustReach.ts).
  const top = ownFolders(root).at(-1)!;
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const flat = only !== 'legacy' ? FLAT_CONFIGS.find((n) => existsSync(path.join(dir, n))) : undefined;
    if (flat) return { kind: 'flat', file: path.join(dir, flat) };
    const legacy = only !== 'flat' ? (LEGACY_CONFIGS.find((n) => existsSync(path.join(dir, n))) ?? (hasPackageConfig(dir) ? 'package.json' : undefined)) : undefined;
    if (legacy) return { kind: 'legacy', file: path.join(dir, legacy) };
    if (path.dirname(dir) === dir || dir === top) return undefined;
  }
}

function hasPackageConfig(dir: string): boolean {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { eslintConfig?: unknown }).eslintConfig !== undefined;
  } catch {
    return false;
  }
}

/** What the loaded ESLint was built from: a changed config file (or another one found) loads it again. */
export function configStamp(root: string): string {
  const found = findConfig(root);
  if (!found) return '';
  try {
    return `${found.kind}:${found.file}:${statSync(found.file).mtimeMs}`;
  } catch {
    return `${found.kind}:${found.file}`;
  }
}

/** The workspace's ESLint with its config loaded, for one folder. */
export class WorkspaceEslint {
  private constructor(
    private readonly eslint: EslintInstance,
    readonly version: string,
  ) {}

  /** Loads the workspace's ESLint and config; a string says why it cannot. */
  static async open(root: string): Promise<WorkspaceEslint | string> {
    const pkg = eslintPackage(root);
    if (!pkg) return "The workspace has no 'eslint' package to check with.";
    const config = findConfig(root);
    if (!config) return 'No ESLint config (eslint.config.* or .eslintrc) applies to this folder.';
    const major = Number(pkg.version.split('.')[0]);
    if (config.kind === 'legacy' && major >= 10) return `ESLint ${pkg.version} no longer reads ${path.basename(config.file)} (the legacy config form).`;
    try {
      const mod = (await import(pathToFileURL(pkg.main).href)) as EslintModule & { default?: EslintModule };
      const api = mod.loadESLint || mod.ESLint ? mod : (mod.default ?? mod);
      const Eslint = await eslintClass(api, pkg.main, config.kind);
      if (!Eslint) return `ESLint ${pkg.version} cannot read ${path.basename(config.file)} through its Node API.`;
      const eslint = new Eslint({ cwd: root, errorOnUnmatchedPattern: false });
      return new WorkspaceEslint(eslint, pkg.version);
    } catch (err) {
      return `ESLint ${pkg.version} could not load its config: ${firstLine(err)}`;
    }
  }

  /** The problems of `text` as the file at `filePath`; undefined when no config applies to it or it is ignored. */
  async lint(filePath: string, text: string): Promise<LintResult | undefined> {
    if (!(await this.applies(filePath))) return undefined;
    const [result] = await this.eslint.lintText(text, { filePath, warnIgnored: false });
    return result;
  }

  /** Every file the config lints under the folder (as `eslint .` would), with its problems. */
  async lintAll(): Promise<LintResult[]> {
    return this.eslint.lintFiles(['.']);
  }

  async applies(filePath: string): Promise<boolean> {
    try {
      return (await this.eslint.calculateConfigForFile(filePath)) !== undefined && !(await this.eslint.isPathIgnored(filePath));
    } catch {
      // A legacy config throws for a file no config covers.
      return false;
    }
  }
}

async function eslintClass(api: EslintModule, main: string, kind: FoundConfig['kind']): Promise<EslintClass | undefined> {
  // ESLint 8.57 and later: the class for either form.
  if (api.loadESLint) return api.loadESLint({ useFlatConfig: kind === 'flat' });
  // Earlier ESLint 8: `ESLint` reads .eslintrc; the flat form was still experimental (FlatESLint).
  if (kind === 'legacy') return api.ESLint;
  try {
    const req = createRequire(main);
    return (req('eslint/use-at-your-own-risk') as { FlatESLint?: EslintClass }).FlatESLint;
  } catch {
    return undefined;
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
