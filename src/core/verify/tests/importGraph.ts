/**
 * The tests that reach a change, for runners with no related mode of their own (mocha, node
 * --test): the test files whose relative imports, followed transitively, reach a changed file.
 * Only relative specifiers are followed (packages are not the workspace's code), through the
 * usual extensions, index files and TypeScript's `.js`-for-`.ts` imports. Must never call a test
 * unrelated because it could not read a file: an unreadable import is simply not followed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { findFiles } from '../findFiles';

const CODE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`, `require('x')`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])(\.{1,2}\/[^'"]*)\1/g;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', 'build', 'out', 'coverage']);

/** A file that holds tests, by the names mocha's and node's runners look for. */
export function isTestFile(relative: string): boolean {
  if (!CODE.test(relative)) return false;
  const parts = relative.split(/[\\/]/);
  const base = parts[parts.length - 1];
  if (/[.\-_](test|spec)\.[cm]?[jt]sx?$/.test(base) || /^test(-.*)?\.[cm]?[jt]sx?$/.test(base)) return true;
  return parts.slice(0, -1).some((p) => p === 'test' || p === 'tests' || p === '__tests__');
}

/** Every test file under `root` (absolute paths), leaving out installed and built folders. */
export function findTestFiles(root: string): string[] {
  return findFiles(root, (file) => isTestFile(path.relative(root, file)), { skip: SKIPPED_DIRS });
}

/** The files a module imports by relative path that exist (absolute paths). */
export function relativeImports(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const m of text.matchAll(SPECIFIER)) {
    const resolved = resolveRelative(path.dirname(file), m[2]);
    if (resolved) out.add(resolved);
  }
  return [...out];
}

function resolveRelative(dir: string, specifier: string): string | undefined {
  const target = path.resolve(dir, specifier);
  const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
  if (CODE.test(target) && isFile(target)) return target;
  // TypeScript's ESM style: `./a.js` names `./a.ts`.
  const stem = target.replace(/\.[cm]?js$/, '');
  for (const ext of EXTENSIONS) if (isFile(stem + ext)) return stem + ext;
  for (const ext of EXTENSIONS) if (isFile(target + ext)) return target + ext;
  for (const ext of EXTENSIONS) if (isFile(path.join(target, `index${ext}`))) return path.join(target, `index${ext}`);
  return undefined;
}

/** The test files (of `tests`) that reach any of `changed` through relative imports; a changed test file reaches itself. */
export function testsReaching(tests: readonly string[], changed: readonly string[]): string[] {
  // Forward from the tests, noting who imports whom; then back from the changed files.
  const importers = new Map<string, string[]>();
  const seen = new Set(tests.map((t) => path.resolve(t)));
  const queue = [...seen];
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const dep of relativeImports(file)) {
      importers.set(dep, [...(importers.get(dep) ?? []), file]);
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  const reaching = new Set(changed.map((f) => path.resolve(f)));
  const back = [...reaching];
  while (back.length > 0) {
    for (const importer of importers.get(back.pop()!) ?? []) {
      if (reaching.has(importer)) continue;
      reaching.add(importer);
      back.push(importer);
    }
  }
  return tests.filter((t) => reaching.has(path.resolve(t)));
}
