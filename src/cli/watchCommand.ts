/**
 * `nightshift watch`: the engine on a workspace until stopped. Its signals: the native file
 * watcher (a written file is a save: after the settle delay its diagnostics go to the agent, as
 * the editor sends them), the check commands after each burst of changes, the git watcher for
 * commits, and an idle sweep after `idleSweepMinutes` without a change. SIGINT/SIGTERM: the running
 * call is cancelled and booked, state is written, the lock is let go.
 */
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { claimWorkspace, describeHolder } from '../core/engine/engineLock';
import type { SettledDiagnosticsParams } from '../shared/agentProtocol';
import { languageOf } from '../core/agent/taskSources';
import { CONFIG_FILE, type LoadedSettings } from './cliSettings';
import { DiagnosticsFeed } from './diagnosticsFeed';
import type { EventLog } from './eventLog';
import { watchFolder, type FileEvent } from './fileWatcher';
import { openHeadless } from './headless';
import { EXIT } from './help';
import { numberSetting } from '../core/settingValues';
import { serveDaemon, type Daemon } from './daemonServer';

export interface WatchOptions {
  folder: string;
  flags: LoadedSettings;
  log: EventLog;
  env: NodeJS.ProcessEnv;
  /** The keys taken at start (variable → key). */
  keys?: Readonly<Record<string, string>>;
  /** Resolves when the host is told to stop (a signal). */
  stopped: Promise<string>;
  /** --trust: the user trusts this repository to run its own tests. */
  trust?: boolean;
  /** --service: run by a service manager; a workspace another engine holds is a clean exit (0), so launchd does not restart it. */
  service?: boolean;
}

export async function watchCommand(o: WatchOptions): Promise<number> {
  // The attached editors hear what the terminal hears, once the socket is up.
  const attached: { daemon?: Daemon } = {};
  const h = openHeadless({
    host: 'daemon',
    trust: o.trust,
    folder: o.folder,
    flags: o.flags,
    log: o.log,
    env: o.env,
    keys: o.keys,
    extra: {
      onStatus: (s) => attached.daemon?.broadcastStatus(s),
      onProposals: (p) => attached.daemon?.broadcastProposals(p),
      onEscalations: (e) => attached.daemon?.broadcastEscalations(e),
      onUserMessage: (l, m, a) => attached.daemon?.broadcastMessage(l, m, a),
      approveCost: (m) => attached.daemon?.approveCost(m) ?? Promise.resolve(false),
    },
  });
  const claim = await claimWorkspace(h.workspaceStateDir, { host: 'watch' }, (m) => o.log.emit('message', m, {}, 'error'));
  if (!claim.ok) {
    const busy = `Not started: ${describeHolder(claim.holder)} is already working on ${h.folder}.`;
    if (!o.service) {
      o.log.emit('stop', busy, {}, 'error');
      return EXIT.busy;
    }
    // Not a failure the service manager should retry: the window hands the workspace to a daemon of its own when it closes.
    o.log.emit('stop', `${busy} As a service this is no failure (exit 0, not restarted); it starts again at the next log in, or with "nightshift service install".`, {}, 'warning');
    return EXIT.none;
  }
  const started = Date.now();
  h.announceTrust();
  const daemon = await serveDaemon(h, (m) => o.log.emit('log', m));
  attached.daemon = daemon;
  claim.announce(daemon.socket);
  const feed = new DiagnosticsFeed(h.folder, h.settings, () => h.engine.policy().checkCommands.value, h.engine.eslint(h.folder), h.trusted, h.engine.python(h.folder), h.engine.ruff(h.folder));
  const pending = new Map<string, ReturnType<typeof setTimeout>>();
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  let commandsTimer: ReturnType<typeof setTimeout> | undefined;
  let stopping = false;

  const settleMs = () => numberSetting('settleDelayMs', h.settings().settleDelayMs);
  const armIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    const minutes = numberSetting('idleSweepMinutes', h.settings().idleSweepMinutes);
    if (minutes <= 0 || stopping) return;
    idleTimer = setTimeout(() => {
      o.log.emit('change', `No change for ${minutes} minute(s): idle sweep.`);
      void h.engine.agent.onUserIdle();
      armIdle();
    }, minutes * 60_000);
    idleTimer.unref?.();
  };

  const send = (params: SettledDiagnosticsParams) => {
    if (stopping) return;
    if (params.diagnostics.length > 0) o.log.emit('diagnostics', `${params.relativePath}: ${params.diagnostics.length} problem(s).`, { file: params.relativePath, problems: params.diagnostics.length });
    h.engine.agent.onSettledDiagnostics(params);
  };

  const settled = async (file: string) => {
    pending.delete(file);
    const rel = path.relative(h.folder, file).split(path.sep).join('/');
    if (languageOf(rel) === 'plaintext') return;
    const params = await feed.file(file).catch((err: Error) => (o.log.emit('message', err.message, {}, 'warning'), undefined));
    // A clean file, or not TypeScript: the save itself (markers, reviews), as the editor sends it; the check commands' problems later.
    (params?.length ? params : feed.params(file, [], true)).forEach(send);
  };

  const runCommands = async () => {
    for (const [file, problems] of await feed.fromCommands()) feed.params(file, problems).forEach(send);
  };

  const onEvents = (events: FileEvent[]) => {
    if (stopping) return;
    armIdle();
    // Worked on: the diagnostics process stays warm (the engine's checkers, through diskChanges).
    feed.ts.touch();
    const visible = events.filter((e) => {
      const rel = path.relative(h.folder, e.file);
      if (rel === CONFIG_FILE) {
        o.log.emit('change', `${CONFIG_FILE} changed: settings read again.`);
        void h.reloadSettings();
        return false;
      }
      const uri = pathToFileURL(e.file).href;
      return h.engine.privacy(uri).check(rel.split(path.sep).join('/'), false).allowed;
    });
    if (visible.length === 0) return;
    const deleted = visible.filter((e) => e.deleted).map((e) => pathToFileURL(e.file).href);
    if (deleted.length > 0) h.engine.agent.onFilesDeleted(deleted);
    void h.engine.diskChanges(visible.map((e) => ({ uri: pathToFileURL(e.file).href, deleted: e.deleted })));
    for (const e of visible) {
      if (e.deleted) continue;
      clearTimeout(pending.get(e.file));
      pending.set(
        e.file,
        setTimeout(() => void settled(e.file), settleMs()),
      );
      o.log.emit('change', path.relative(h.folder, e.file), { file: path.relative(h.folder, e.file) });
    }
    if (Array.isArray(h.settings().checkCommands) && (h.settings().checkCommands as unknown[]).length > 0) {
      clearTimeout(commandsTimer);
      commandsTimer = setTimeout(() => void runCommands(), settleMs() + 500);
    }
  };

  // The watcher crawls the tree as it starts (about a second on 20,000 files): ready does not wait for it.
  const watching = watchFolder(h.folder, onEvents, (m) => o.log.emit('message', m, {}, 'warning'), {
    env: o.env,
    excludedFolder: (rel) => h.engine.privacy(pathToFileURL(path.join(h.folder, rel)).href).excludesFolder(rel),
  });
  await h.engine.start();
  o.log.emit('start', `Working on ${h.folder}; ready in ${Date.now() - started} ms.`, { folder: h.folder, socket: daemon.socket, pid: process.pid });
  armIdle();
  const subscription = await watching;
  const tsNote = await feed.ts.unavailable().catch((err: Error) => err.message);
  o.log.emit('start', `Watching files with the ${subscription.kind} watcher (${Date.now() - started} ms after start).${tsNote ? ` No TypeScript diagnostics: ${tsNote}.` : ''}`, { watcher: subscription.kind });
  // Not awaited: finding out loads the ESLint config (seconds), which must not hold up the start.
  void feed.lintUnavailable().then((note) => note && !stopping && o.log.emit('start', `No ESLint problems: ${note}`, {}, 'warning'));
  const ruffNote = feed.ruffUnavailable();
  if (ruffNote) o.log.emit('start', `No Ruff problems: ${ruffNote}`, {}, 'warning');
  // Today's problems, after ready: the whole project's diagnostics and the check commands' findings.
  void feed.all().then(
    async (files) => {
      files.forEach(send);
      // Kept proposals of files without problems now: fixed while no engine ran (perhaps by an edit elsewhere), they go stale.
      const withProblems = new Set(files.map((f) => f.uri));
      if (!stopping) await h.engine.agent.recheckKept(async (uri) => (withProblems.has(uri) ? undefined : feed.look(fileURLToPath(uri))));
    },
    (err: Error) => o.log.emit('message', `Could not read today's problems: ${err.message}`, {}, 'warning'),
  );

  const reason = await o.stopped;
  stopping = true;
  o.log.emit('stop', `${reason}: stopping (a running call is cancelled and booked)…`);
  for (const t of pending.values()) clearTimeout(t);
  clearTimeout(idleTimer);
  clearTimeout(commandsTimer);
  await subscription.close().catch(() => undefined);
  await feed.ts.dispose();
  await h.engine.dispose();
  await daemon.close();
  await claim.release();
  o.log.emit('stop', 'Stopped; nothing left half-written.');
  return EXIT.none;
}
