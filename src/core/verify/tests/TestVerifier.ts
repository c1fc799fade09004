/**
 * Checks a proposal with the project's own tests: the tests that reach the changed files run in a
 * warm shadow worktree (shadowTree.ts) holding HEAD, the user's changes and the proposal, with the
 * workspace's own runner (detectRunner.ts), kept alive between checks where it can be
 * (warmTestRun.ts). The verdict is read from the runner's report; a test that fails the same way
 * without the proposal (run once per base and remembered) does not count against it. Must never run in
 * the user's files, never call a run that ran nothing or gave no report passed, and never run
 * when the settings say the tests are off or blocked.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { CheckResult } from '../../../shared/types';
import { ShadowTree, type ShadowCheckout } from '../shadowTree';
import type { Verifier, VerifyRequest } from '../Verifier';
import { CliTestRun, type TestRun } from './cliRun';
import { detectRunner, type DetectedRunner } from './detectRunner';
import { describeFailure } from './failureText';
import { isTestSide } from '../testEdits';
import { tally } from './testReport';
import * as verdict from './testVerdict';
import { RUNNER_IDLE_MS, WarmTestRun, warmRunnerAvailable } from './warmTestRun';

export interface TestSettings {
  mode: 'auto' | 'off';
  timeoutMs: number;
  /** undefined: may run; a string: why not (e.g. "the workspace is not trusted"). */
  blocked?: string;
}

export interface TestVerifierOptions {
  /** The shadow worktree is removed after this long unused. */
  shadowIdleMs?: number;
  /** A kept-alive runner ends after this long unused. */
  runnerIdleMs?: number;
  /** false: always run the runner's command line (no kept-alive process). */
  warm?: boolean;
  /** pytest, with the folder's interpreter, where the folder has no JavaScript runner (python/detectPytest.ts). */
  pytest?: () => DetectedRunner | undefined;
}

type Changed = { filePath: string; before: string; after: string };

/** How many bases' results are remembered. */
const BASE_RUNS_KEPT = 32;

export class TestVerifier implements Verifier {
  readonly runsTests = true;
  private readonly shadow: ShadowTree;
  private session: { key: string; run: TestRun } | undefined;
  /** Per base (HEAD, the user's changes, the changed files' texts before, the tests): the tests failing there. */
  private readonly baseFailures = new Map<string, Set<string>>();

  constructor(
    private readonly root: string,
    private readonly settings: () => TestSettings,
    private readonly options: TestVerifierOptions = {},
  ) {
    this.shadow = new ShadowTree(root, { nodeModules: 'entries', prefix: 'nightshift-tests-', idleMs: options.shadowIdleMs ?? 10 * 60_000 });
  }

  async verify(request: VerifyRequest): Promise<CheckResult> {
    const settings = this.settings();
    const runner = detectRunner(this.root) ?? this.options.pytest?.();
    // The workspace has tests whether or not they may run here: then type-checked is not enough to count as checked.
    const hasTests = runner !== undefined && !runner.missing;
    if (!runner) return verdict.NO_RUNNER;
    if (settings.mode === 'off') return { ...verdict.TESTS_OFF, testsAvailable: hasTests };
    if (settings.blocked) return verdict.didNotRun(settings.blocked, hasTests);
    if (runner.missing) return verdict.didNotRun(runner.missing, false);
    const changed = [request, ...(request.also ?? [])].filter((f) => f.before !== f.after);
    if (changed.length === 0) return verdict.nothingChanged();
    const testRun = this.testRunFor(runner);
    const files = changed.map((f) => ({ filePath: f.filePath, text: f.after }));
    let r: CheckResult | { unavailable: string };
    try {
      r = await this.shadow.use(files, (checkout) => this.check(checkout, testRun, runner, changed, settings.timeoutMs));
    } catch (err) {
      return verdict.runnerFailed(runner.name, err instanceof Error ? err.message : String(err));
    }
    // Tests the change itself edits prove nothing about it (a new test case is welcome, but it is not evidence).
    const editedTests = changed.filter((f) => isTestSide(path.relative(this.root, f.filePath)));
    if (!('unavailable' in r))
      return r.status === 'passed' && editedTests.length > 0
        ? verdict.editsTheTests(
            r,
            editedTests.map((f) => f.filePath),
          )
        : r;
    if (r.unavailable === 'outside') return verdict.didNotRun('the file is outside the workspace folder', true);
    return verdict.didNotRun('the tests run in a temporary git worktree, and the workspace is not a git repository with a commit', true);
  }

  /** The kept-alive runner's process id while it runs (for benchmarks and tests). */
  runnerPid(): number | undefined {
    const run = this.session?.run;
    return run instanceof WarmTestRun ? run.pid() : undefined;
  }

  async dispose(): Promise<void> {
    await this.session?.run.dispose();
    this.session = undefined;
    await this.shadow.dispose();
  }

  private async check(checkout: ShadowCheckout, testRun: TestRun, runner: DetectedRunner, changed: Changed[], timeoutMs: number): Promise<CheckResult> {
    const inShadow = changed.map((f) => path.join(checkout.dir, path.relative(this.root, f.filePath)));
    const proposed = await testRun.run(checkout.dir, { related: inShadow }, checkout.takeChanged(), timeoutMs);
    if (proposed.kind === 'timeout') return verdict.timedOut(runner.name, timeoutMs);
    if (proposed.kind === 'failed') return verdict.runnerFailed(runner.name, proposed.reason);
    const { report, ms } = proposed;
    if (report.files.length === 0)
      return verdict.noTestReaches(
        runner.name,
        changed.map((f) => f.filePath),
      );
    const counts = tally(report);
    const passedIn = [...new Set(report.tests.filter((t) => t.status === 'passed').map((t) => t.file))];
    if (counts.failed.length === 0) return counts.passed === 0 ? verdict.nothingRan(runner.name, report.files) : verdict.passed(runner.name, counts.passed, passedIn, ms);
    // Described now, while the shadow holds the proposal: the lines shown are the proposal's.
    const described = counts.failed.map((t) => ({ key: verdict.failureKey(t, checkout.dir), lines: describeFailure(t, checkout.dir) }));
    const before = await this.failingWithout(checkout, testRun, changed, report.files, timeoutMs);
    const fresh = described.filter((d) => !before.has(d.key));
    if (fresh.length > 0)
      return verdict.failed(
        runner.name,
        fresh.map((d) => d.lines),
      );
    // Failing as they did without the change: not held against it, but no evidence for it either — a
    // fix task's base holds the bug, so an answer that only hides the type error fails the same tests.
    return verdict.stillFailing(runner.name, counts.failed.length, counts.passed);
  }

  /** The tests failing without the proposal (the base), run once per base and remembered; none known when the base run gave no report. */
  private async failingWithout(checkout: ShadowCheckout, testRun: TestRun, changed: Changed[], testFiles: string[], timeoutMs: number): Promise<Set<string>> {
    const hash = createHash('sha1').update(checkout.baseKey);
    for (const f of changed) hash.update(`\0${path.relative(this.root, f.filePath)}\0${f.before}`);
    for (const f of [...testFiles].sort()) hash.update(`\0${path.relative(checkout.dir, f)}`);
    const key = hash.digest('hex');
    const known = this.baseFailures.get(key);
    if (known) return known;
    checkout.write(changed.map((f) => ({ filePath: f.filePath, text: f.before })));
    const base = await testRun.run(checkout.dir, { files: testFiles }, checkout.takeChanged(), timeoutMs);
    // Without a report of the base nothing is known to fail there: every failure counts.
    if (base.kind !== 'report') return new Set();
    const failing = new Set(tally(base.report).failed.map((t) => verdict.failureKey(t, checkout.dir)));
    if (this.baseFailures.size >= BASE_RUNS_KEPT) this.baseFailures.delete(this.baseFailures.keys().next().value!);
    this.baseFailures.set(key, failing);
    return failing;
  }

  /** The same runner's session is kept (and with it a warm process); another runner starts a new one. */
  private testRunFor(runner: DetectedRunner): TestRun {
    const key = `${runner.name}\0${runner.bin ?? ''}\0${runner.api ?? ''}\0${(runner.nodeFlags ?? []).join(' ')}`;
    if (this.session?.key === key) return this.session.run;
    void this.session?.run.dispose();
    const warm = this.options.warm !== false && (runner.name === 'vitest' || runner.name === 'jest') && runner.api !== undefined && warmRunnerAvailable();
    const run = warm ? new WarmTestRun({ ...runner, name: runner.name as 'vitest' | 'jest', api: runner.api! }, this.options.runnerIdleMs ?? RUNNER_IDLE_MS) : new CliTestRun(runner);
    this.session = { key, run };
    return run;
  }
}
