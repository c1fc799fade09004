/** Linux: how many inotify watches a process holds now (the `inotify wd:` lines of its inotify descriptors' fdinfo). */
import * as fs from 'node:fs';

export function inotifyWatches(pid: number | 'self' = 'self'): number {
  let n = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    let target = '';
    try {
      target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== 'anon_inode:inotify') continue;
    n += fs
      .readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('inotify wd:')).length;
  }
  return n;
}

/** A workspace with 6 source folders (the root included), a node_modules of `packages` × 20 files (20,000 by default), .git, dist and a gitignored build folder. */
export function workspaceWithBigNodeModules(root: string, packages = 1000): { sourceFolders: number } {
  for (const d of ['src', 'src/a', 'src/b', 'src/a/deep', 'test']) {
    fs.mkdirSync(`${root}/${d}`, { recursive: true });
    fs.writeFileSync(`${root}/${d}/x.ts`, 'export {};\n');
  }
  for (let p = 0; p < packages; p++) {
    const dir = `${root}/node_modules/pkg${p}/lib`;
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 20; f++) fs.writeFileSync(`${dir}/f${f}.js`, '');
  }
  for (const d of ['.git/objects/ab', 'dist/x', 'generated/more/deeper']) fs.mkdirSync(`${root}/${d}`, { recursive: true });
  fs.writeFileSync(`${root}/.gitignore`, 'generated/\n');
  return { sourceFolders: 6 };
}
