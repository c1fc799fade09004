/**
 * Builds the privacy gate from the workspace's ignore files and the exclude / localOnly settings,
 * and rebuilds it when one of them changes (their modification times are checked before each task;
 * the files are read only when those change). Subfolders' ignore files are read as files are
 * checked, once per gate.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PrivacyGate } from '../core/privacy/PrivacyGate';

export interface PrivacySettings {
  exclude: string[];
  localOnly: string[];
}

const IGNORE_FILES = ['.gitignore', '.nightshiftignore'];

function stamp(file: string): string {
  try {
    const s = statSync(file);
    return `${s.mtimeMs}:${s.size}`;
  } catch {
    return 'none';
  }
}

function readIfPresent(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export class PrivacyRules {
  private gate: PrivacyGate | undefined;
  private key = '';

  constructor(
    private readonly root: string | undefined,
    private settings: PrivacySettings = { exclude: [], localOnly: [] },
  ) {}

  update(settings: PrivacySettings): void {
    this.settings = settings;
    this.gate = undefined;
  }

  current(): PrivacyGate {
    const files = this.root ? IGNORE_FILES.map((f) => path.join(this.root!, f)) : [];
    const key = files.map(stamp).join('|');
    if (!this.gate || key !== this.key) {
      const [gitignore = '', nightshiftignore = ''] = files.map(readIfPresent);
      const root = this.root;
      const nestedIgnore = root ? (folder: string) => IGNORE_FILES.map((f) => readIfPresent(path.join(root, folder, f))).join('\n') : undefined;
      this.gate = new PrivacyGate({ gitignore, nightshiftignore, exclude: this.settings.exclude, localOnly: this.settings.localOnly, nestedIgnore });
      this.key = key;
    }
    return this.gate;
  }
}
