/**
 * Python's import graph, read from the source: which modules of the workspace a file imports
 * (`import a.b`, `from a.b import c`, `from . import x`, `from ..m import y`, multi-line `(…)`
 * lists), resolved against the folder and a `src/` layout. It says which files a change can affect
 * (the modules importing a changed one) and which pytest files reach it. Must never call a file
 * unaffected because it could not read it; packages outside the workspace are not followed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { findFiles } from '../findFiles';

const SKIPPED_DIRS = new Set(['node_modules', '__pycache__', 'site-packages', 'build', 'dist', 'out', 'venv', 'env', 'htmlcov']);

/** Every .py file under `root` (absolute, sorted), leaving out virtual environments, caches and dot folders; `maxDepth` folders down at most. */
export function pythonFiles(root: string, maxDepth = Infinity): string[] {
  return findFiles(root, (file) => file.endsWith('.py'), { skip: SKIPPED_DIRS, maxDepth, skipFolder: (dir) => existsSync(path.join(dir, 'pyvenv.cfg')) });
}

/**
 * The files pyrightconfig.json's `include` and `exclude` leave in (folder and file names; a
 * pattern with wildcards is not read, and leaves the file in). No config: every file.
 */
export function configuredIn(root: string): (file: string) => boolean {
  let config: { include?: unknown; exclude?: unknown } = {};
  try {
    config = JSON.parse(readFileSync(path.join(root, 'pyrightconfig.json'), 'utf8')) as typeof config;
  } catch {
    return () => true;
  }
  const plain = (v: unknown) => (Array.isArray(v) ? v.filter((p): p is string => typeof p === 'string' && !/[*?[]/.test(p)).map((p) => path.resolve(root, p)) : []);
  const under = (file: string, dirs: string[]) => dirs.some((d) => file === d || file.startsWith(d + path.sep));
  const include = plain(config.include);
  const exclude = plain(config.exclude);
  return (file) => (include.length === 0 || under(file, include)) && !under(file, exclude);
}

/** Where top-level modules are looked up: the folder, and `src/` when it has one. */
export function moduleRoots(root: string): string[] {
  const roots = [path.resolve(root)];
  const src = path.join(roots[0], 'src');
  if (existsSync(src) && statSync(src).isDirectory()) roots.push(src);
  return roots;
}

/** A test file by pytest's default names (`test_*.py`, `*_test.py`), or a `conftest.py`. */
export function isPytestFile(file: string): boolean {
  const base = path.basename(file);
  return /^test_.*\.py$/.test(base) || /_test\.py$/.test(base) || base === 'conftest.py';
}

const FROM = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*(?:\\\n[^\n#;]*)*)/gm;
const IMPORT = /^[ \t]*import[ \t]+([^\n#;]*)/gm;

/** The dotted names a text imports, each with how many leading dots (0 for absolute) and the names taken from it. */
export function importedNames(text: string): Array<{ dots: number; module: string; names: string[] }> {
  const out: Array<{ dots: number; module: string; names: string[] }> = [];
  const clean = text.replace(/#[^\n]*/g, '');
  for (const m of clean.matchAll(FROM)) {
    const names = m[3]
      .replace(/[()\\]/g, ' ')
      .split(',')
      .map((n) => n.trim().split(/\s+/)[0])
      .filter((n) => /^\w+$/.test(n ?? ''));
    out.push({ dots: m[1].length, module: m[2], names });
  }
  for (const m of clean.matchAll(IMPORT)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+/)[0];
      if (name && /^[\w.]+$/.test(name)) out.push({ dots: 0, module: name, names: [] });
    }
  }
  return out;
}

/** The workspace files one file imports (absolute paths): the module, the packages it is in, and a submodule named in `from … import`. */
export function importsOf(file: string, roots: readonly string[], text?: string): string[] {
  let source = text;
  if (source === undefined) {
    try {
      source = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
  }
  const found = new Set<string>();
  const pkgDir = path.dirname(file);
  for (const imp of importedNames(source)) {
    const bases: string[] = [];
    if (imp.dots > 0) {
      let dir = pkgDir;
      for (let i = 1; i < imp.dots; i++) dir = path.dirname(dir);
      bases.push(imp.module ? path.join(dir, ...imp.module.split('.')) : dir);
    } else {
      for (const r of roots) bases.push(path.join(r, ...imp.module.split('.')));
    }
    for (const base of bases) {
      const hits = moduleFiles(base);
      if (hits.length === 0) continue;
      hits.forEach((h) => found.add(h));
      // Importing a.b.c runs a/__init__.py and a/b/__init__.py too.
      const top = imp.dots > 0 ? pkgDir : roots.find((r) => base.startsWith(r + path.sep));
      for (let dir = path.dirname(base); top && dir.startsWith(top + path.sep); dir = path.dirname(dir)) {
        const init = path.join(dir, '__init__.py');
        if (existsSync(init)) found.add(init);
      }
      for (const name of imp.names) moduleFiles(path.join(base, name)).forEach((h) => found.add(h));
      break;
    }
  }
  found.delete(path.resolve(file));
  return [...found];
}

function moduleFiles(base: string): string[] {
  const out: string[] = [];
  if (existsSync(`${base}.py`)) out.push(`${base}.py`);
  const init = path.join(base, '__init__.py');
  if (existsSync(init)) out.push(init);
  return out;
}

/** Who imports whom, over `files`: for each file, the files that import it. */
export function importersMap(files: readonly string[], roots: readonly string[]): Map<string, string[]> {
  const importers = new Map<string, string[]>();
  for (const f of files) {
    for (const dep of importsOf(f, roots)) importers.set(dep, [...(importers.get(dep) ?? []), f]);
  }
  return importers;
}

/**
 * The files a change to `changed` can affect: the modules importing a changed one, and, through a
 * package's `__init__.py` (which re-exports what it imports), the modules importing that package.
 */
export function affectedBy(changed: readonly string[], importers: ReadonlyMap<string, readonly string[]>): string[] {
  const seen = new Set(changed.map((f) => path.resolve(f)));
  const out: string[] = [];
  const queue = [...seen];
  while (queue.length > 0) {
    for (const importer of importers.get(queue.shift()!) ?? []) {
      if (seen.has(importer)) continue;
      seen.add(importer);
      out.push(importer);
      if (path.basename(importer) === '__init__.py') queue.push(importer);
    }
  }
  return out;
}

/**
 * The pytest files (of `tests`) that reach any of `changed` through imports, transitively; a
 * changed test file reaches itself, and a changed conftest.py reaches every test beside or below it.
 */
export function pytestsReaching(tests: readonly string[], changed: readonly string[], roots: readonly string[]): string[] {
  const changedSet = new Set(changed.map((f) => path.resolve(f)));
  const conftests = [...changedSet].filter((f) => path.basename(f) === 'conftest.py').map((f) => path.dirname(f) + path.sep);
  // Forward from the tests, noting who imports whom; then back from the changed files.
  const importers = new Map<string, string[]>();
  const seen = new Set(tests.map((t) => path.resolve(t)));
  const queue = [...seen];
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const dep of importsOf(file, roots)) {
      importers.set(dep, [...(importers.get(dep) ?? []), file]);
      if (!seen.has(dep)) {
        seen.add(dep);
        queue.push(dep);
      }
    }
  }
  const reaching = new Set(changedSet);
  const back = [...reaching];
  while (back.length > 0) {
    for (const importer of importers.get(back.pop()!) ?? []) {
      if (reaching.has(importer)) continue;
      reaching.add(importer);
      back.push(importer);
    }
  }
  return tests.filter((t) => {
    const file = path.resolve(t);
    return conftests.some((dir) => file.startsWith(dir)) || reaching.has(file);
  });
}
