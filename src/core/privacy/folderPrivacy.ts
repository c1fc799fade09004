/**
 * Builds a folder's privacy gate from its ignore files and the exclude / localOnly settings,
 * and rebuilds it when one of them changes (their modification times are checked before each task;
 * the files are read only when those change). Subfolders' ignore files are read as files are
 * checked, once per gate.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FolderDisk } from './fileIdentity';
import { PrivacyGate, type PrivacyRules as GateRules } from './PrivacyGate';
import { realRelative } from './realPath';

export interface PrivacySettings {
  exclude: string[];
  localOnly: string[];
  /** Redact for local backends too (team policy). */
  alwaysRedact?: boolean;
  /** The globs a team policy set, and where (for the refusals' words). */
  setBy?: GateRules['setBy'];
}

const IGNORE_FILES = ['.gitignore', '.nightshiftignore'];

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
    // Stryker disable next-line BlockStatement,StringLiteral: equivalent, any constant differs from a real file's stamp
  } catch {
    return 'none';
  }
}

function readIfPresent(file: string): string {
  try {
    return readFileSync(file, 'utf8');
    // Stryker disable next-line BlockStatement,StringLiteral: equivalent, no ignore file and an ignore text naming no workspace file exclude the same
  } catch {
    return '';
  }
}

export class PrivacyRules {
  private gate: PrivacyGate | undefined;
  /** Kept across gates: its index of hard-linked files outlives a change of ignore files. */
  private readonly disk: FolderDisk | undefined;
  // Stryker disable next-line StringLiteral: equivalent, the first call builds the gate whatever the key
  private key = '';

  constructor(
    private readonly root: string | undefined,
    // Stryker disable next-line ObjectLiteral,ArrayDeclaration: equivalent, a stand-in pattern names no workspace file
    private settings: PrivacySettings = { exclude: [], localOnly: [] },
  ) {
    this.disk = root ? new FolderDisk(root) : undefined;
  }

  update(settings: PrivacySettings): void {
    this.settings = settings;
    this.gate = undefined;
  }

  current(): PrivacyGate {
    // Stryker disable next-line ArrayDeclaration: equivalent, a stand-in file name that does not exist reads as no ignore file
    const files = this.root ? IGNORE_FILES.map((f) => path.join(this.root!, f)) : [];
    // Stryker disable next-line StringLiteral: equivalent, stamps end in a size, so joined without a separator they still differ when one changes
    const key = files.map(stamp).join('|');
    if (!this.gate || key !== this.key) {
      // Stryker disable next-line StringLiteral: equivalent, readIfPresent never gives undefined
      const [gitignore = '', nightshiftignore = ''] = files.map(readIfPresent);
      const root = this.root;
      // Each file on its own: a subfolder's .nightshiftignore cannot re-include what its .gitignore excludes.
      const nestedIgnore = root ? (folder: string) => IGNORE_FILES.map((f) => readIfPresent(path.join(root, folder, f))) : undefined;
      const realPath = root ? (rel: string) => realRelative(root, rel) : undefined;
      this.gate = new PrivacyGate({ gitignore, nightshiftignore, exclude: this.settings.exclude, localOnly: this.settings.localOnly, nestedIgnore, realPath, disk: this.disk, alwaysRedact: this.settings.alwaysRedact, setBy: this.settings.setBy });
      this.key = key;
    }
    return this.gate;
  }
}

/**
 * The privacy rules of every workspace folder: a file is judged by the ignore files of the folder
 * that holds it (the innermost, when folders nest), so a multi-root workspace's second folder keeps
 * its own .gitignore and .nightshiftignore. Settings apply to all folders.
 */
export class FolderPrivacy {
  private readonly folders: Array<{ root: string; rules: PrivacyRules }>;

  constructor(roots: readonly string[]) {
    this.folders = roots.map((root) => ({ root: path.resolve(root), rules: new PrivacyRules(root) }));
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, a root-less entry after real folders is never chosen (forFile skips empty roots and falls back to the first)
    if (this.folders.length === 0) this.folders.push({ root: '', rules: new PrivacyRules(undefined) });
  }

  update(settings: PrivacySettings): void {
    for (const f of this.folders) f.rules.update(settings);
  }

  /** The gate for a file, by its URI; a file outside every folder gets the first folder's rules. */
  forFile(uri: string): PrivacyGate {
    let file: string;
    try {
      file = path.resolve(fileURLToPath(uri));
    } catch {
      return this.folders[0].rules.current();
    }
    const holders = this.folders.filter((f) => f.root && file.startsWith(f.root + path.sep));
    const innermost = holders.sort((a, b) => b.root.length - a.root.length)[0] ?? this.folders[0];
    return innermost.rules.current();
  }
}
