/**
 * docs/architecture.md names what the code names: every `backticked` file or path in it is a file
 * or folder of this repository (a short name like `freeFix.ts` or `engine/backendConfig.ts` is
 * found by its end; a `*` matches within a name), and every backticked code name (`mapLine`,
 * `BackgroundAgent.onFileChanged`, `weakestOf([...])`) occurs in the code. A rename that leaves the
 * page behind fails here.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../harness/testEnv';

const DOC = path.join(REPO_ROOT, 'docs', 'architecture.md');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<'dependencies' | 'devDependencies' | 'optionalDependencies', Record<string, string> | undefined>;
/** Where the code and its tests live (what the page describes). */
const CODE_DIRS = ['src', 'test', 'webview-ui', 'scripts', 'bench', 'stryker', 'schemas', 'media', 'docs', '.github', '.ci'];
const SKIP_DIRS = new Set(['node_modules', 'out', 'dist', '.git']);

/** Names the page gives that are not files of this repository: the state folder's, a user's workspace's, a platform's. */
const NOT_REPO_FILES = new Set([
  '.nightshift/policy.json',
  '.nightshift/config.json',
  '.nightshiftignore',
  'eslint.config.*',
  '.eslintrc',
  'reservations.json',
  'engine.json',
  'engine.lock',
  'budget.lock',
  'tuner-log.jsonl',
  'daemon.log',
  'ledger/',
  'policy-cache/',
  'config/gitleaks.toml',
  'dist/node_modules/',
  'node_modules',
  // Outside the repository: the team's design notes.
  '../shared/DESIGN.md',
]);
/** LSP methods look like paths: `workspace/configuration`, `nightshift/*`. */
const isProtocolMethod = (t: string) => /^(workspace|textDocument|window|nightshift)\//.test(t);
/** Built, not kept: what scripts/build.mjs makes. */
const isBuilt = (t: string) => t === 'dist/' || t.startsWith('dist/');

function walk(dir: string, rel: string, into: string[]): void {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(e.name) || e.name.startsWith('out-')) continue;
    const r = rel ? `${rel}/${e.name}` : e.name;
    into.push(e.isDirectory() ? `${r}/` : r);
    if (e.isDirectory()) walk(path.join(dir, e.name), r, into);
  }
}

function repoPaths(): string[] {
  const all: string[] = [];
  for (const d of CODE_DIRS) {
    if (!fs.existsSync(path.join(REPO_ROOT, d))) continue;
    all.push(`${d}/`);
    walk(path.join(REPO_ROOT, d), d, all);
  }
  for (const f of fs.readdirSync(REPO_ROOT)) if (fs.statSync(path.join(REPO_ROOT, f)).isFile()) all.push(f);
  return all;
}

const backticked = (text: string) => [...new Set([...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1].trim()))];
/** A file or folder name: has a slash or a file extension, and nothing a path would not hold. */
const isPath = (t: string) => /^[\w.*@<>-]+(\/[\w.*@<>-]*)*$/.test(t) && (t.includes('/') || /\.(ts|mjs|js|json|md|yml|toml|css|svg|sh)$/.test(t)) && !/^\d/.test(t);
/** A code name: an identifier, maybe dotted, maybe called. */
const codeName = (t: string) => (/^([A-Za-z_$][\w$]*)(\.[A-Za-z_$][\w$]*)*(\(.*\))?$/.test(t) ? t.replace(/\(.*\)$/, '').split('.') : undefined);

function existsAsPath(token: string, paths: readonly string[]): boolean {
  // A module may be named without its extension (`eslint/EslintProcess`).
  const pattern = new RegExp(`(^|/)${token.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}${token.endsWith('/') ? '' : '(\\.ts|/)?'}$`);
  return paths.some((p) => pattern.test(p));
}

describe('docs/architecture.md names what the code names', () => {
  const tokens = backticked(fs.readFileSync(DOC, 'utf8'));
  const paths = repoPaths();

  it('every file and folder it names is in the repository', () => {
    const packages = new Set(Object.keys({ ...PACKAGE.dependencies, ...PACKAGE.devDependencies, ...PACKAGE.optionalDependencies }));
    const isPackage = (t: string) => [...packages].some((p) => new RegExp(`^${t.replace(/[.+?^${}()|[\]\\/]/g, '\\$&').replace(/\*/g, '.*')}$`).test(p));
    const named = tokens.filter(isPath).filter((t) => !NOT_REPO_FILES.has(t) && !t.includes('<') && !isProtocolMethod(t) && !isBuilt(t) && !isPackage(t));
    assert.ok(named.length > 80, `found only ${named.length} paths: the extraction broke`);
    const missing = named.filter((t) => !existsAsPath(t, paths));
    assert.deepEqual(missing, [], `named in docs/architecture.md but not in the repository: ${missing.join(', ')}`);
  });

  it('every code name it names occurs in the code', () => {
    // The code, not its tests (a test may name what the code no longer has), and the manifest.
    const code = paths
      .filter((p) => /^(src|webview-ui|scripts|bench|test\/harness|test\/fakes)\/.*\.(ts|mjs)$/.test(p))
      .map((p) => fs.readFileSync(path.join(REPO_ROOT, p), 'utf8'))
      .concat(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'))
      .join('\n');
    const words = new Set(code.match(/[A-Za-z_$][\w$]*/g));
    const names = tokens.filter((t) => !isPath(t)).flatMap((t) => (codeName(t) ? [[t, codeName(t)!] as const] : []));
    assert.ok(names.length > 80, `found only ${names.length} code names: the extraction broke`);
    const missing = names.filter(([, parts]) => parts.some((p) => !words.has(p))).map(([t]) => t);
    assert.deepEqual(missing, [], `named in docs/architecture.md but not in the code: ${missing.join(', ')}`);
  });

  it('can fail: a name the code does not have is found missing', () => {
    assert.ok(!existsAsPath('core/verify/noSuchModule.ts', paths));
    assert.ok(existsAsPath('core/verify/diagnosticMatch.ts', paths));
    assert.ok(existsAsPath('core/signals/tsDiagnostics*', paths));
  });
});
