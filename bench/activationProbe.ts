/**
 * Runs inside a real extension host (as an extensionTestsPath module): reads how long Nightshift's
 * activate() took, as the extension measured it, and writes it where bench/run.ts reads it.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { NightshiftApi } from '../src/extension/Nightshift';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<NightshiftApi>('nightshift.nightshift');
  if (!ext) throw new Error('Nightshift is not installed in this host.');
  const api = await ext.activate();
  const started = performance.now();
  await api.agentStarted;
  const out = process.env.NIGHTSHIFT_BENCH_OUT;
  if (!out) throw new Error('NIGHTSHIFT_BENCH_OUT is not set.');
  fs.writeFileSync(out, JSON.stringify({ activationMs: api.activationMs, agentStartAfterProbeMs: performance.now() - started }));
}
