/**
 * Which test runner a workspace uses — vitest, jest, mocha or Node's own `node --test` — read from
 * its package.json (the test script first, then the runner's config, then its dependencies) and
 * its config files, and where that runner is installed. Must never pick our own copy of a runner:
 * only the workspace's node_modules counts (a runner named but not installed is said so), and
 * must never guess a runner from nothing (a workspace with no sign of one has none).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { ownFolders } from '../trustReach';

/** 'pytest' is found by python/detectPytest.ts; its `bin` is the Python interpreter. */
export type RunnerName = 'vitest' | 'jest' | 'mocha' | 'node' | 'pytest';

export interface DetectedRunner {
  name: RunnerName;
  /** What found it, for logs ("scripts.test", "vitest.config.ts", "devDependencies"). */
  from: string;
  /** The runner's command-line script in the workspace's node_modules; undefined for `node --test`, and when it is not installed. */
  bin?: string;
  /** The module its kept-alive process loads: vitest/node, or jest's main. */
  api?: string;
  /** For `node --test`: the script's Node options that load TypeScript or set up the tests (`--import tsx`). */
  nodeFlags?: string[];
  /** Set when the runner is named but not installed in the workspace. */
  missing?: string;
}

interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  jest?: unknown;
  mocha?: unknown;
}

const WORD = (name: string) => new RegExp(`(?:^|[\\s;&|(='"/])${name}(?=$|[\\s;&|)'"])`);
const IN_SCRIPT: Array<[RunnerName, RegExp]> = [
  ['vitest', WORD('vitest')],
  ['jest', WORD('jest')],
  ['mocha', WORD('mocha')],
  ['node', /(?:^|[\s;&|(])node\s(?:[^;&|]*\s)?--test(?=[\s=]|$)/],
];

/** The runner a workspace folder uses, or undefined when it shows none. */
export function detectRunner(root: string): DetectedRunner | undefined {
  const pkg = readPackage(root);
  if (!pkg) return undefined;
  const found = fromScripts(pkg) ?? fromConfigFiles(root, pkg) ?? fromDependencies(pkg);
  return found ? installed(root, found) : undefined;
}

function readPackage(root: string): PackageJson | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as PackageJson) : undefined;
  } catch {
    return undefined;
  }
}

/** `test` first, then the other test scripts (`test:unit`, …) in their order. */
function fromScripts(pkg: PackageJson): DetectedRunner | undefined {
  const scripts = Object.entries(pkg.scripts ?? {}).filter(([name, body]) => typeof body === 'string' && (name === 'test' || name.startsWith('test:')));
  scripts.sort(([a], [b]) => Number(b === 'test') - Number(a === 'test'));
  for (const [name, body] of scripts) {
    for (const [runner, pattern] of IN_SCRIPT) {
      if (!pattern.test(body)) continue;
      return { name: runner, from: `scripts.${name}`, ...(runner === 'node' ? { nodeFlags: nodeFlags(body) } : {}) };
    }
  }
  return undefined;
}

function fromConfigFiles(root: string, pkg: PackageJson): DetectedRunner | undefined {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return undefined;
  }
  const named = (re: RegExp) => names.find((n) => re.test(n));
  const vitest = named(/^vitest\.config\.[cm]?[jt]s$/);
  if (vitest) return { name: 'vitest', from: vitest };
  const vite = named(/^vite\.config\.[cm]?[jt]s$/);
  if (vite && /\btest\s*:/.test(readFileSync(path.join(root, vite), 'utf8'))) return { name: 'vitest', from: vite };
  const jest = named(/^jest\.config\.([cm]?[jt]s|json)$/);
  if (jest) return { name: 'jest', from: jest };
  if (pkg.jest && typeof pkg.jest === 'object') return { name: 'jest', from: 'package.json "jest"' };
  const mocha = named(/^\.mocharc(\.([cm]?js|json|jsonc|ya?ml))?$/);
  if (mocha) return { name: 'mocha', from: mocha };
  if (pkg.mocha && typeof pkg.mocha === 'object') return { name: 'mocha', from: 'package.json "mocha"' };
  return undefined;
}

function fromDependencies(pkg: PackageJson): DetectedRunner | undefined {
  for (const field of ['devDependencies', 'dependencies'] as const) {
    const deps = pkg[field] ?? {};
    for (const runner of ['vitest', 'jest', 'mocha'] as const) if (typeof deps[runner] === 'string') return { name: runner, from: field };
  }
  return undefined;
}

/** Where the workspace's own copy of the runner is (never ours), or why it is missing. */
function installed(root: string, found: DetectedRunner): DetectedRunner {
  if (found.name === 'node') return found;
  const dir = ownFolders(root)
    .map((d) => path.join(d, 'node_modules', found.name))
    .find((d) => existsSync(path.join(d, 'package.json')));
  if (!dir) return { ...found, missing: `${found.name} is not installed in the workspace (run npm install)` };
  let manifest: { bin?: string | Record<string, string> };
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as typeof manifest;
  } catch {
    return { ...found, missing: `${found.name}'s package.json in node_modules cannot be read (run npm install)` };
  }
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[found.name];
  const api = resolveApi(dir, found.name);
  return { ...found, ...(bin ? { bin: path.join(dir, bin) } : {}), ...(api ? { api } : {}) };
}

/** The module a kept-alive runner loads, resolved from the runner's own package (its exports map says where). */
function resolveApi(dir: string, name: RunnerName): string | undefined {
  const id = name === 'vitest' ? 'vitest/node' : name === 'jest' ? 'jest' : undefined;
  if (!id) return undefined;
  try {
    return createRequire(path.join(dir, 'package.json')).resolve(id);
  } catch {
    return undefined;
  }
}

/** The Node options of a `node … --test` script that the tests need: loaders and feature flags, not reporters or file lists. */
export function nodeFlags(script: string): string[] {
  const command = script.split(/&&|\|\||;/).find((part) => IN_SCRIPT[3][1].test(part)) ?? '';
  const words = command.trim().split(/\s+/);
  const flags: string[] = [];
  for (let i = words.indexOf('node') + 1; i < words.length; i++) {
    const w = words[i].replace(/^['"]|['"]$/g, '');
    if (['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C'].includes(w) && i + 1 < words.length) {
      flags.push(w, words[++i].replace(/^['"]|['"]$/g, ''));
    } else if (/^--(import|require|loader|experimental-loader|conditions)=/.test(w) || /^--(experimental|no)-[\w-]+$/.test(w) || w === '--enable-source-maps') {
      flags.push(w);
    }
  }
  return flags;
}
