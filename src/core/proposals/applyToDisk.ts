/**
 * Writes an accepted proposal to its files, for a host without an editor: every file is checked
 * against the content the proposal was made for before any is written (a changed file refuses the
 * whole proposal: it is never applied elsewhere), then each is replaced atomically, keeping its mode.
 */
import { readFileSync, renameSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import * as path from 'node:path';
import type { Proposal } from '../../shared/types';
import { applyReplacements } from '../edits/searchReplace';
import { sha256 } from '../hash';
import { insideFolder } from '../verify/trustReach';

export type ApplyOutcome = { ok: true; files: string[] } | { ok: false; reason: string };

export function applyProposalToDisk(root: string, proposal: Proposal): ApplyOutcome {
  if (proposal.stale) return { ok: false, reason: `it is stale: ${proposal.stale}` };
  const planned: Array<{ file: string; text: string; mode: number }> = [];
  for (const change of proposal.files) {
    const file = path.resolve(root, change.relativePath);
    // Judged by real paths: a folder linked out of the workspace (`src/ext -> /elsewhere`) is outside it.
    if (!file.startsWith(path.resolve(root) + path.sep) || !insideFolder(root, file)) return { ok: false, reason: `${change.relativePath} is outside the workspace` };
    let text: string;
    let mode: number;
    try {
      text = readFileSync(file, 'utf8');
      mode = statSync(file).mode;
    } catch {
      return { ok: false, reason: `${change.relativePath} cannot be read` };
    }
    if (sha256(text) !== change.baseHash) return { ok: false, reason: `${change.relativePath} changed since the proposal was made` };
    const sorted = [...change.replacements].sort((a, b) => a.offset - b.offset);
    planned.push({ file, text: applyReplacements(text, sorted), mode });
  }
  for (const p of planned) {
    const tmp = `${p.file}.nightshift-${process.pid}.tmp`;
    writeFileSync(tmp, p.text);
    chmodSync(tmp, p.mode & 0o7777);
    renameSync(tmp, p.file);
  }
  return { ok: true, files: proposal.files.map((f) => f.relativePath) };
}
