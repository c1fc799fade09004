/**
 * A fixture project with real tests (test/fixtures/tested-*), as a user has it: copied to a
 * temporary git repository with one commit, the Nightshift repository's node_modules linked in
 * (the fixtures have none of their own; vitest and jest are our devDependencies).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempRepo, type TempRepo } from './gitRepo';

/** The Nightshift repository (found from this file, wherever the tests were compiled to; else from the working folder). */
export function sourceRoot(): string {
  for (const start of [__dirname, process.cwd()]) {
    for (let at = start; path.dirname(at) !== at; at = path.dirname(at)) {
      const manifest = path.join(at, 'package.json');
      if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'nightshift') return at;
    }
  }
  throw new Error('the Nightshift repository was not found above the tests or the working folder');
}

export interface TestedProject extends TempRepo {
  /** Absolute path of a file in the project. */
  file(relative: string): string;
  read(relative: string): string;
  write(relative: string, text: string): void;
}

/** A copy of test/fixtures/<name> (or an empty project, for `files`) committed in a new repository, node_modules linked. */
export function testedProject(name: string | undefined, files: Record<string, string> = {}): TestedProject {
  const repo = tempRepo(`tested-${name ?? 'project'}`);
  if (name) fs.cpSync(path.join(sourceRoot(), 'test', 'fixtures', name), repo.root, { recursive: true });
  for (const [relative, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo.root, relative)), { recursive: true });
    fs.writeFileSync(path.join(repo.root, relative), text);
  }
  // No trailing slash: the link below is no folder to git, and must be ignored all the same.
  if (!fs.existsSync(path.join(repo.root, '.gitignore'))) fs.writeFileSync(path.join(repo.root, '.gitignore'), 'node_modules\n');
  repo.git('add', '.');
  repo.git('commit', '-qm', 'fixture');
  fs.symlinkSync(path.join(sourceRoot(), 'node_modules'), path.join(repo.root, 'node_modules'), 'dir');
  const file = (relative: string) => path.join(repo.root, relative);
  return {
    ...repo,
    file,
    read: (relative) => fs.readFileSync(file(relative), 'utf8'),
    write: (relative, text) => fs.writeFileSync(file(relative), text),
  };
}

/** Every file of the project (outside .git and node_modules) with its content: to show that nothing changed. */
export function snapshotFiles(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out[path.relative(root, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
}
