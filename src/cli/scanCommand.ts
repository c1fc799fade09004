/** `nightshift scan`: one pass over today's problems, a report, an exit code that says what happened. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 } from '../core/hash';
import { claimWorkspace, describeHolder } from '../core/engine/engineLock';
import type { AgentStatus, Proposal } from '../shared/types';
import type { EventLog } from './eventLog';
import { openHeadless, type Headless } from './headless';
import { EXIT } from './help';
import type { LoadedSettings } from './cliSettings';
import { DiagnosticsFeed } from './diagnosticsFeed';
import { toJson, toPatch, toSarif, type ReportFormat, type ScanReport } from './reportFormats';

export interface ScanOptions {
  folder: string;
  format: ReportFormat;
  output: string | undefined;
  flags: LoadedSettings;
  log: EventLog;
  env: NodeJS.ProcessEnv;
  /** The keys taken at start (variable → key). */
  keys?: Readonly<Record<string, string>>;
  version: string;
  /** --trust: the user trusts this repository to run its own tests. */
  trust?: boolean;
  /** Writes the report when no --output is given. */
  stdout: (text: string) => void;
}

/** States in which the agent will not go on by itself during a scan. */
/** A hold this short is waited out by a scan rather than reported as not done. */
const SHORT_HOLD_MS = 60_000;
const BLOCKED = new Set<AgentStatus['state']>(['needsSetup', 'paused', 'error']);

/** Resolves when the queue is worked off, or with why it will not be. */
export function workedOff(h: Headless, pollMs = 100): Promise<string | undefined> {
  return new Promise((resolve) => {
    const tick = () => {
      const s = h.engine.agent.status();
      // The compiler's own fixes need no backend: they are waited for even when nothing else can run.
      // So is a call under way (its reservation may be what holds the rest back): cut off, it would be paid for and lost.
      if (s.tasks?.some((t) => t.compilerFix || t.running)) return void setTimeout(tick, pollMs);
      if (BLOCKED.has(s.state)) return resolve(s.detail);
      if (s.state !== 'working' && s.queued === 0) return resolve(undefined);
      // A hold that ends within the minute (the cap held by another process's calls under way) is waited out.
      if (s.state === 'idle' && s.queued > 0 && !(s.retryAt !== undefined && s.retryAt - Date.now() <= SHORT_HOLD_MS)) return resolve(`${s.detail} (${s.queued} task(s) not done)`);
      setTimeout(tick, pollMs);
    };
    tick();
  });
}

export const openProposals = (list: readonly Proposal[], now: Date) => list.filter((p) => !p.stale && !(p.snoozedUntil && Date.parse(p.snoozedUntil) > now.getTime()));

export async function scanCommand(o: ScanOptions): Promise<number> {
  const h = openHeadless({ folder: o.folder, flags: o.flags, log: o.log, env: o.env, keys: o.keys, trust: o.trust });
  const claim = await claimWorkspace(h.workspaceStateDir, { host: 'scan' }, (m) => o.log.emit('message', m, {}, 'error'));
  if (!claim.ok) {
    o.log.emit('stop', `${describeHolder(claim.holder)} is working on ${h.folder}; its proposals are in "nightshift proposals list".`, {}, 'error');
    return EXIT.busy;
  }
  const notDone: string[] = [];
  let report: ScanReport;
  let feed: DiagnosticsFeed | undefined;
  try {
    h.announceTrust();
    await h.engine.start();
    const before = h.engine.agent.status().spendTodayUsd;
    feed = new DiagnosticsFeed(h.folder, h.settings, () => h.engine.policy().checkCommands.value, h.engine.eslint(h.folder), h.trusted, h.engine.python(h.folder), h.engine.ruff(h.folder));
    const why = await feed.ts.unavailable();
    if (why) o.log.emit('diagnostics', `No TypeScript diagnostics: ${why}.`, {}, 'warning');
    // A TypeScript project (a tsconfig; a jsconfig is often only for the editor) whose types could not be read was not scanned: the report must not read as clean (exit 3, SARIF's executionSuccessful false).
    if (why && existsSync(path.join(h.folder, 'tsconfig.json'))) notDone.push(`No TypeScript diagnostics: ${why}.`);
    const lintWhy = await feed.lintUnavailable();
    if (lintWhy) o.log.emit('diagnostics', `No ESLint problems: ${lintWhy}`, {}, 'warning');
    const ruffWhy = feed.ruffUnavailable();
    if (ruffWhy) o.log.emit('diagnostics', `No Ruff problems: ${ruffWhy}`, {}, 'warning');
    const files = await feed.all();
    o.log.emit('diagnostics', `${files.length} file(s) with problems.`, { files: files.map((f) => f.relativePath) });
    for (const f of files) h.engine.agent.onSettledDiagnostics(f);
    // Kept proposals of files without problems now: fixed meanwhile (perhaps by an edit elsewhere), they go stale.
    const withProblems = new Set(files.map((f) => f.uri));
    await h.engine.agent.recheckKept(async (uri) => (withProblems.has(uri) ? undefined : feed?.look(fileURLToPath(uri))));
    const blocked = await workedOff(h);
    if (blocked) notDone.push(blocked);
    report = {
      tool: { name: 'Nightshift', version: o.version },
      root: h.folder,
      proposals: openProposals(h.proposals(), new Date()),
      filesWithProblems: files.length,
      notDone,
      // Every file with problems that was passed over, and why: none is skipped silently.
      skipped: [...new Map([...feed.unreadable, ...h.engine.agent.skipped().map((s) => [s.path, s.reason] as const)])].map(([p, reason]) => ({ path: p, reason })),
      spentUsd: Math.max(0, h.engine.agent.status().spendTodayUsd - before),
      typeCheckedCounts: h.settings().typeCheckedCounts === true,
    };
  } finally {
    await feed?.ts.dispose();
    await h.engine.dispose();
    await claim.release();
  }
  const readBase = (rel: string, hash: string) => {
    try {
      const text = readFileSync(path.join(h.folder, rel), 'utf8');
      return sha256(text) === hash ? text : undefined;
    } catch {
      return undefined;
    }
  };
  const text = o.format === 'patch' ? toPatch(report) : `${JSON.stringify(o.format === 'sarif' ? toSarif(report, readBase) : toJson(report), null, 2)}\n`;
  if (o.output) writeFileSync(o.output, text);
  else o.stdout(text);
  const skipped = report.skipped ?? [];
  const summary = `${report.proposals.length} proposal(s) for ${report.filesWithProblems} file(s) with problems${skipped.length ? `; ${skipped.length} file(s) skipped, each named above` : ''}; $${report.spentUsd.toFixed(4)} spent.`;
  for (const s of skipped) o.log.emit('stop', `Skipped ${s.path}: ${s.reason}.`, { path: s.path, reason: s.reason }, 'warning');
  for (const n of notDone) o.log.emit('stop', `Not done: ${n}`, {}, 'warning');
  o.log.emit('stop', summary, { proposals: report.proposals.length, complete: notDone.length === 0, skipped: skipped.length });
  if (notDone.length > 0) return EXIT.incomplete;
  return report.proposals.length > 0 ? EXIT.found : EXIT.none;
}
