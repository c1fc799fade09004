/**
 * What trusting a workspace folder vouches for: the folder and, when it lies in a git repository,
 * the folders above it up to the repository's top (a monorepo's package resolves its hoisted
 * `node_modules` and the repository's ESLint config from there). Nothing above that: a parent's
 * `node_modules/typescript` or an `eslint.config.js` in a shared temp folder is someone else's code,
 * though Node's resolution and ESLint's config lookup would walk up to it. Judged by real paths.
 * Reads the file system only.
 */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/** The folder and, in a repository, those above it up to the repository's top, innermost first. */
export function ownFolders(root: string): string[] {
  const folders = [path.resolve(root)];
  if (existsSync(path.join(root, '.git'))) return folders;
  for (let at = path.dirname(folders[0]); at !== path.dirname(at); at = path.dirname(at)) {
    folders.push(at);
    if (existsSync(path.join(at, '.git'))) return folders;
  }
  // No repository above: only the folder itself is the workspace's.
  return folders.slice(0, 1);
}

/** Whether `p` is the folder or inside it, by real paths: a folder reached through a link, or a link out of it, is judged as what it is. */
export function insideFolder(root: string, p: string): boolean {
  const real = (q: string) => {
    try {
      return realpathSync(q);
    } catch {
      return path.resolve(q);
    }
  };
  const rel = path.relative(real(root), real(p));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Whether a file found for the folder (a package Node resolved, a config ESLint would read) lies within what trusting it vouches for. */
export function withinReach(root: string, file: string): boolean {
  const folders = ownFolders(root);
  return insideFolder(folders[folders.length - 1], file);
}

/**
 * Whether Node, resolving package `id` from the folder, finds it in a `node_modules` of a folder
 * within reach. Judged by where the lookup finds it, not by where that leads: a `node_modules`
 * that is a link (pnpm's store, a shared checkout) is the folder's own choice.
 */
export function ownPackage(root: string, id: string): boolean {
  const lookup = createRequire(path.join(path.resolve(root), 'package.json')).resolve.paths(id) ?? [];
  const found = lookup.find((dir) => existsSync(path.join(dir, id, 'package.json')));
  return found === undefined || withinReach(root, path.dirname(found));
}
