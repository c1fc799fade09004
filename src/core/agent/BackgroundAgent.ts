/**
 * The background agent: turns signals into tasks (taskSources) — settled errors into fixes, marker
 * comments into todos, saved changes and new commits into reviews, idle time into a refactor — each
 * keyed by file, content and problem so it is never paid for twice; tries the compiler's own fixes
 * first (rungZero), lets the tuner pick each task's recipe or keep a kind quiet (tuning); runs them
 * through the budget and the model (runTask), a few at a time from a bounded priority queue
 * (TaskRunner); hands the proposals to the user (ProposalBoard) and keeps what the background model
 * could not do for escalation. Its state — paused, held, working, … — is one value moved by events
 * (agentState.ts), kept by the run loop (TaskRunner.send). Host-neutral: the LSP server wires it to its
 * world through AgentHost. It never polls: with no signal it does nothing; its only timers are known
 * moments (a hold's end, a snoozed proposal's return).
 */
import type { DecideProposalParams, SettledDiagnosticsParams } from '../../shared/agentProtocol';
import type { AgentStatus, EscalationQuote, TuningKindView, UserAction } from '../../shared/types';
import { Escalations } from './escalations';
import { EscalationDesk } from './escalationDesk';
import { sha256 } from '../hash';
import { ProposalStore } from '../proposals/ProposalStore';
import { notOnDisk } from '../proposals/appliedOnDisk';
import { tellBudgetNotices, type AgentHost } from './agentHost';
import type { WorkspaceContext } from '../context/WorkspaceContext';
import { unusableTextReason } from '../context/WorkspaceFiles';
import type { Commit } from '../signals/commits';
import { reactTo } from './reactions';
import { runTask, type BackendResolution, type TaskResult } from './runTask';
import { runDepsFor } from './runDeps';
import { commitTasks, fixTask, idleRefactor, markerTasks, SavedChangeReviews, type Task } from './taskSources';
import { DiskChanges, type DiskEvent } from './diskEvents';
import { Activity } from './activity';
import { AgentTuning } from './tuning';
import { newTunerState, Tuner } from '../tuner/Tuner';
import { TaskRunner } from './TaskRunner';
import { ProposalBoard, type KeptLook } from './proposalBoard';
import { RungZero } from './rungZero';
import { allows, statusOf, type PauseReason } from './agentState';

export type { BackendResolution, PauseReason };
export { DEFAULT_AGENT_SETTINGS, type AgentHost, type AgentSettings } from './agentHost';
export { MAX_QUEUE } from './TaskQueue';
export { SNOOZE_MS } from './proposalBoard';

export class BackgroundAgent {
  /** Task keys worked on in this session (decided ones are also kept by the store across restarts). */
  private readonly seen = new Set<string>();
  private readonly reviews = new SavedChangeReviews(async (uri, rel) => this.workspaceOf(uri)?.files.committed(rel));
  /** Per file: the content of its latest signal (a slower signal for older content is dropped). */
  private readonly latest = new Map<string, string>();
  /** Files passed over, by workspace-relative path, and why (not UTF-8, too large, not to be sent): a scan lists them. */
  private readonly passedOver = new Map<string, string>();
  private readonly disk = new DiskChanges(
    () => new Set([...this.proposals.list().flatMap((p) => p.files.map((f) => f.uri)), ...this.desk.uris(), ...this.runner.queue.uris(), ...this.runner.running().map((t) => t.input.uri)]),
    (uri, text) => this.onFileChanged(uri, text),
  );
  private readonly runner: TaskRunner;
  private readonly tuning: AgentTuning;
  private readonly rungZero: RungZero;
  private readonly desk: EscalationDesk;
  private readonly board: ProposalBoard;
  private readonly activity = new Activity(() => this.publishStatus());

  constructor(
    private readonly host: AgentHost,
    private readonly proposals: ProposalStore = new ProposalStore(undefined),
    escalations: Escalations = new Escalations(),
    tuner: Tuner = new Tuner(newTunerState(1)),
  ) {
    this.tuning = new AgentTuning(tuner, host);
    const stopped = () => this.runner.state.kind === 'stopped';
    this.runner = new TaskRunner({
      host,
      run: (task, signal) => this.run(task, signal),
      changed: () => this.publishStatus(),
      ended: (task) => this.activity.ended(task.key),
      forgotten: (task, why) => {
        this.seen.delete(task.key);
        // A review that never ran does not hold back the next one.
        if (why === 'dropped') this.reviews.dropped(task);
        else this.host.log('info', `The queue is full: dropped the ${task.kind} task for ${task.input.relativePath}; a later save brings it back.`);
      },
    });
    const queue = (task: Task) => {
      this.seen.add(task.key);
      this.runner.enqueue(task);
      this.runner.pump();
    };
    this.desk = new EscalationDesk(escalations, { host, tuning: this.tuning, workspaceOf: (uri) => this.workspaceOf(uri), queue, stopping: stopped });
    this.rungZero = new RungZero({
      host,
      proposals,
      publish: () => this.board.publish(),
      latestHash: (uri) => this.latest.get(uri),
      rootOf: (uri) => this.workspaceOf(uri)?.files.root,
      stopping: stopped,
    });
    this.board = new ProposalBoard(proposals, (entry, accepted, of) => this.tuning.decided(entry, accepted, of), host);
  }

  /** The tuner's settings per kind, with the numbers behind them (the Tuning section). */
  tuningView(): TuningKindView[] {
    return this.tuning.tuner.view(['fix', 'todo', 'review', 'refactor'], this.host.settings().autoEscalate === true);
  }

  /** Freezes, unfreezes or resets a kind's tuning. */
  controlTuning(kind: string, action: 'freeze' | 'unfreeze' | 'reset'): void {
    this.tuning.tuner.control(kind, action);
  }

  /** A headless host's first full look: kept fixes whose problems are gone now go stale (ProposalBoard.recheckKept). */
  recheckKept(look: (uri: string) => Promise<KeptLook | undefined>): Promise<void> {
    return this.board.recheckKept(look);
  }

  /** The proposals kept from an earlier session, judged against their files now (ProposalBoard.reconcileKept), announced once the host is listening. */
  async publishAll(): Promise<void> {
    if (this.host.readFile) await this.board.reconcileKept(this.host.readFile);
    this.tuning.sweep(this.proposals.entries());
    this.board.publish();
    this.desk.publish();
    this.publishStatus();
  }

  /** Files were deleted or renamed away: their proposals can no longer be applied. */
  onFilesDeleted(uris: readonly string[]): void {
    for (const uri of uris) this.onFileChanged(uri, undefined);
  }

  /**
   * The one path for a file that changed, whoever saw it (a save, the file watcher, another
   * host): proposals move with the new text or go stale, escalations and queued or running tasks
   * made on other content are dropped. `text` undefined: the file is gone.
   */
  onFileChanged(uri: string, text: string | undefined): void {
    const hash = text === undefined ? undefined : sha256(text);
    if (hash) this.latest.set(uri, hash);
    else this.latest.delete(uri);
    const outdated = (t: Task) => t.input.uri === uri && (hash === undefined || sha256(t.input.text) !== hash);
    this.runner.drop(outdated);
    this.runner.abort(outdated);
    if (text === undefined) this.reviews.forget([uri]);
    this.tuning.fileChanged(uri, text);
    this.desk.fileChanged(uri, text);
    if (text === undefined ? this.proposals.onFilesDeleted([uri]) : this.proposals.onFileChanged(uri, text)) this.board.publish();
  }

  /** Files changed on disk, as a watcher saw them: see DiskChanges. */
  onDiskChanges(events: readonly DiskEvent[], read: (uri: string) => Promise<string | undefined>): Promise<void> {
    return this.disk.take(events, read).finally(() => this.publishStatus());
  }

  /** What the agent is doing or why not (from its state, nothing else), with its queue, tasks and spend. */
  status(): AgentStatus {
    const { state, detail, action } = statusOf(this.runner.state);
    return {
      state,
      detail,
      spendTodayUsd: this.host.spend.status().spentTodayUsd,
      queued: this.runner.queue.length,
      ...(action ? { action } : {}),
      backends: this.host.health(),
      tasks: [...this.rungZero.items(), ...this.runner.items((key) => this.activity.tokensSoFar(key))],
      recentCalls: this.activity.recent(),
      redactions: this.activity.redactions,
    };
  }

  /**
   * Before any work: is a background backend usable (a key, a known price, a profile the policy
   * allows)? If not, the agent says what is missing at once, rather than after the first save.
   */
  async checkSetup(): Promise<void> {
    if (!allows(this.runner.state).checkSetup) return;
    const resolved = await this.host.resolveBackend({ localOnly: false, role: 'background' }).catch(() => undefined);
    if (!resolved) return this.runner.send({ type: 'setupUnknown' });
    this.runner.send('setupNeeded' in resolved ? { type: 'setupMissing', detail: resolved.setupNeeded, ...(resolved.action ? { action: resolved.action } : {}) } : { type: 'setupFound' });
  }

  /** Moves a waiting task to the front of the queue, at high priority. */
  runNow(key: string): boolean {
    return this.runner.runNow(key);
  }

  /** Drops a waiting task (never paid for: a later signal may bring it back), or stops a running one (what it used is booked). */
  cancelTask(key: string): boolean {
    const cancelled = this.runner.cancel(key);
    this.publishStatus();
    return cancelled;
  }

  /** A file was saved and its problems settled: fix its errors, carry out its markers, review its new changes. */
  onSettledDiagnostics(params: SettledDiagnosticsParams): void {
    const contentHash = sha256(params.text);
    this.onFileChanged(params.uri, params.text);
    if (this.proposals.onProblemsSettled(params.uri, params.text, params.diagnostics)) this.board.publish();
    // Queued work for this file waits on older problems: the settled ones replace it.
    this.runner.drop((t) => t.input.uri === params.uri);
    // A file the privacy rules never read gets no task at all: a compiler's free fix would put its text in a proposal, the state folder and a scan's report.
    const read = this.host.privacy(params.uri).check(params.relativePath, true);
    const unusable = unusableTextReason(params.text) ?? (read.allowed ? undefined : `never read: ${read.reason}`);
    if (unusable) {
      this.host.log('info', `Skipped ${params.relativePath}: ${unusable}.`);
      this.passedOver.set(params.relativePath, unusable);
      return this.publishStatus();
    }
    this.passedOver.delete(params.relativePath);
    const fix = fixTask(params, contentHash);
    // A proposal for this very content still waits for the user: don't pay for another.
    const waiting = this.proposals.list().some((p) => !p.stale && p.kind === 'fix' && p.files.some((f) => f.uri === params.uri && f.baseHash === contentHash));
    const markers = markerTasks(params, this.host.settings().todoComments);
    this.admit([...(fix && !waiting ? [fix] : []), ...markers].filter((t) => this.isNew(t.key)));
    if (params.diagnostics.some((d) => d.severity === 'error') || !this.host.settings().reviewSavedChanges) return;
    const now = this.host.now().getTime();
    void this.reviews.next(params, contentHash, now, (key) => this.isNew(key)).then((task) => task && this.latest.get(params.uri) === contentHash && this.admit([task]));
  }

  /** Queues tasks (a fix tries the compiler first; the tuner may keep a kind quiet) and starts what may start. */
  private admit(tasks: Task[]): void {
    for (const task of tasks) {
      if (this.seen.has(task.key)) continue;
      this.seen.add(task.key);
      if (this.rungZero.applies(task) && allows(this.runner.state).rungZero) {
        // Rung 0 first (free); the tuner decides on a model call only if it found nothing.
        this.rungZero.start(task, (rest) => {
          if (!rest || this.runner.state.kind === 'stopped') return this.publishStatus();
          if (!this.tuning.admit(rest)) {
            this.seen.delete(task.key);
            return this.publishStatus();
          }
          this.runner.enqueue(rest, true);
          this.runner.pump();
        });
        this.publishStatus();
      } else if (this.tuning.admit(task)) {
        this.runner.enqueue(task, true);
      } else {
        // Kept quiet by the tuner: a later signal asks it again.
        this.seen.delete(task.key);
      }
    }
    this.runner.pump();
  }

  /** A new commit on the current branch of the folder at `root`: a review of each file of it that it changed. */
  onCommit(commit: Commit, root: string): void {
    const workspace = this.host.workspaces.find((w) => w.files.root === root);
    if (!workspace || !this.host.settings().reviewCommits) return;
    this.admit(commitTasks(commit, workspace, (m) => this.host.log('info', m), this.reviews.lines).filter((t) => this.isNew(t.key)));
  }

  /**
   * The user has been idle a while: when nothing else waits, queue one refactor of the longest
   * function in the file that changes most and is longest (folder by folder, the first folder
   * first). Resolves once it is decided.
   */
  async onUserIdle(): Promise<void> {
    this.setUserActive(false);
    if (this.host.workspaces.length === 0 || this.runner.busy() || !allows(this.runner.state).idleSweep) return;
    for (const workspace of this.host.workspaces) {
      const task = await idleRefactor(workspace, (key) => this.isNew(key));
      if (task) return this.admit([task]);
    }
    this.host.log('info', 'Idle sweep: no refactor candidate left that was not already looked at.');
  }

  /** The user is at the editor, or has stepped away (a team policy may hold work until they have). */
  setUserActive(active: boolean): void {
    this.runner.setUserActive(active);
  }

  /**
   * The workspace folder that holds a file (the innermost, when folders nest): its facts, lookups,
   * other-file edits and committed versions are the file's. A file in no folder is worked on alone.
   */
  private workspaceOf(uri: string): WorkspaceContext | undefined {
    return this.host.workspaces.filter((w) => w.covers(uri)).sort((a, b) => b.files.root.length - a.files.root.length)[0];
  }

  private isNew(key: string): boolean {
    return !this.seen.has(key) && !this.proposals.isDecided(key) && !this.proposals.hasOpenTask(key);
  }

  /**
   * The user pauses (`why`, if given, is the status line) or resumes. Resume lifts every pause but
   * a broken policy's. Pausing, for any reason, cancels the calls under way (what they used is
   * booked) and keeps their tasks for later.
   */
  setPaused(paused: boolean, why?: string): AgentStatus {
    this.runner.send(paused ? { type: 'pause', reason: 'user', detail: why ?? 'Paused. Resume to let Nightshift work on new problems.' } : { type: 'resume' });
    return this.status();
  }

  /** Pauses for a reason the host saw (the ledger cannot be written, the team policy cannot be used), as `setPaused` does. */
  pauseFor(reason: PauseReason, detail: string, action?: UserAction): void {
    this.runner.send({ type: 'pause', reason, detail, ...(action ? { action } : {}) });
  }

  /** The team policy can be used again: its pause is lifted; any other stays. */
  policyFixed(): void {
    this.runner.send({ type: 'policyFixed' });
  }

  /** The key or the backend settings may have changed: try again if the agent stopped for want of them. */
  onCredentialsChanged(): void {
    this.runner.send({ type: 'keyChanged' });
    // Ready again only once the backend resolves: no flicker to "idle" while a key is still missing.
    if (this.runner.state.kind === 'needsSetup') void this.checkSetup();
  }

  /** The budget settings changed: a budget's hold is lifted. The schedule may have changed too: the queue is tried again. */
  onBudgetChanged(): void {
    tellBudgetNotices(this.host);
    this.runner.send({ type: 'budgetChanged' });
    this.runner.pump();
  }

  /**
   * Records a decision; resolves once it is in the ledger. `fromDisk`: an accept said to be applied
   * is booked as accepted only if every file holds the proposal's result, else not booked, and said.
   */
  async decide(params: DecideProposalParams, options: { fromDisk?: boolean } = {}): Promise<{ ok: boolean; reason?: string }> {
    // After the disk changes under way, a proposal marked stale by a read mid-write is judged on its files as they are now.
    await this.disk.settled();
    const stale = this.proposals.get(params.id)?.proposal;
    const uris = stale?.stale ? stale.files.map((f) => f.uri) : [];
    if (uris.length > 0 && this.host.readFile) await this.disk.reread(uris, this.host.readFile);
    const proposal = this.proposals.get(params.id)?.proposal;
    const unapplied = proposal && options.fromDisk && params.decision === 'accept' && params.applied !== false ? await notOnDisk(proposal, this.host.readFile) : undefined;
    if (unapplied) {
      this.host.log('warn', `"${proposal!.title}" was reported applied, but ${unapplied}: it is not booked as accepted.`);
      const { taskKey } = await this.board.decide({ ...params, applied: false });
      if (taskKey) this.seen.add(taskKey);
      return { ok: false, reason: `${unapplied}: not booked as accepted` };
    }
    const { ok, reason, taskKey } = await this.board.decide(params);
    if (taskKey) this.seen.add(taskKey);
    this.tuning.sweep(this.proposals.entries());
    return reason ? { ok, reason } : { ok };
  }

  /** Stops: queued work is dropped, a running call is cancelled; resolves once each is booked. */
  async dispose(): Promise<void> {
    this.board.dispose();
    await this.runner.stop();
    await this.freeFixesSettled();
  }

  /** Resolves once the rung-0 attempts under way are done (tests, an orderly stop). */
  async freeFixesSettled(): Promise<void> {
    await this.rungZero.settled();
  }

  private async run(task: Task, signal: AbortSignal): Promise<void> {
    let result: TaskResult;
    try {
      result = await runTask(task, runDepsFor(task, this.host, this.workspaceOf(task.input.uri), signal, this.activity));
    } catch (err) {
      this.seen.delete(task.key);
      this.host.log('error', `The ${task.kind} task for ${task.input.relativePath} failed: ${err instanceof Error ? err.message : String(err)}`);
      return this.runner.send({ type: 'failed', detail: 'Something went wrong; see the Nightshift log.', action: 'showLog' });
    }
    tellBudgetNotices(this.host);
    this.onResult(task, result);
  }

  /** What escalating a waiting task would cost, and what is left of the escalation share. Nothing is spent. */
  quoteEscalation(id: string): Promise<EscalationQuote> {
    return this.desk.quote(id);
  }

  /** The files passed over since the start, and why. */
  skipped(): Array<{ path: string; reason: string }> {
    return [...this.passedOver].map(([path, reason]) => ({ path, reason }));
  }

  /** Sends a waiting task to the escalation profile, ahead of background work. */
  escalate(id: string): { ok: boolean } {
    return this.desk.escalate(id);
  }

  private onResult(task: Task, result: TaskResult): void {
    // An escalation that did not run went back on its list: nothing else is made of it.
    if (this.desk.afterResult(task, result)) return void this.seen.delete(task.key);
    this.tuning.ran(task, result);
    if (result.kind === 'skipped') this.passedOver.set(task.input.relativePath, result.reason);
    const r = reactTo(result, task.kind, task.input.relativePath, this.host.now(), this.runner.state.kind === 'paused', this.runner.state.kind === 'stopped');
    for (const [level, message] of r.logs) this.host.log(level, message);
    if (r.requeue) this.runner.queue.unshift(task);
    if (result.kind === 'done') this.reviews.ran(task);
    if (r.forget) this.seen.delete(task.key);
    if (r.proposal) {
      this.proposals.add({ proposal: r.proposal, taskKey: task.key, taskId: task.id, taskKind: task.kind });
      this.board.publish();
    }
    if (r.event) this.runner.send(r.event);
    if (r.notify) this.host.onUserMessage('error', r.notify.message, r.notify.action);
  }

  private publishStatus(): void {
    this.host.onStatus(this.status());
  }
}
