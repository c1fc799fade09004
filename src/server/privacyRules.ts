/**
 * Builds the privacy gate from the workspace's ignore files and the exclude / localOnly settings,
 * and rebuilds it when one of them changes (checked by modification time before each task).
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { PrivacyGate } from '../core/privacy/PrivacyGate';

export interface PrivacySettings {
  exclude: string[];
  localOnly: string[];
}

function readIfPresent(file: string): { text: string; stamp: string } {
  try {
    return { text: readFileSync(file, 'utf8'), stamp: `${statSync(file).mtimeMs}` };
  } catch {
    return { text: '', stamp: 'none' };
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
    const gitignore = this.root ? readIfPresent(path.join(this.root, '.gitignore')) : { text: '', stamp: 'none' };
    const own = this.root ? readIfPresent(path.join(this.root, '.nightshiftignore')) : { text: '', stamp: 'none' };
    const key = `${gitignore.stamp}|${own.stamp}`;
    if (!this.gate || key !== this.key) {
      this.gate = new PrivacyGate({ gitignore: gitignore.text, nightshiftignore: own.text, exclude: this.settings.exclude, localOnly: this.settings.localOnly });
      this.key = key;
    }
    return this.gate;
  }
}
