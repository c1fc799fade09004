/**
 * Child process: the workspace's vitest (its Node API, `createVitest`) or jest (`runCLI`), kept
 * loaded between checks so that a check pays for its tests and little else. It runs in the shadow
 * folder, writes the runner's JSON report where its host says, and answers only "ran" or why not:
 * the host reads the verdict from the report. Started by warmTestRun.ts; ends with its host.
 */
import { pathToFileURL } from 'node:url';
import { serveRequests } from '../../idleChild';

export interface RunnerRequest {
  id: number;
  runner: 'vitest' | 'jest';
  /** The runner's module in the workspace's node_modules. */
  api: string;
  dir: string;
  selection: { related: string[] } | { files: string[] };
  changed: string[];
  reportFile: string;
  cacheDir: string;
}

/** `ran: false` with `unsupported`: this runner's API lacks what is needed (the host falls back to its command line). */
export type RunnerAnswer = { ran: true; empty?: boolean } | { ran: false; reason: string; unsupported?: boolean };

/** The parts of vitest's Node API used (vitest 3 and later). */
interface Vitest {
  config: { related?: string[] };
  standalone?(): Promise<void>;
  invalidateFile(file: string): void;
  clearSpecificationsCache?(): void;
  getRelevantTestSpecifications(): Promise<Array<{ moduleId: string }>>;
  globTestSpecifications(): Promise<Array<{ moduleId: string }>>;
  runTestSpecifications(specs: Array<{ moduleId: string }>): Promise<unknown>;
}

let vitest: Vitest | undefined;

async function runVitest(req: RunnerRequest): Promise<RunnerAnswer> {
  if (!vitest) {
    const mod = (await import(pathToFileURL(req.api).href)) as { createVitest?: (mode: string, options: object, viteOverrides?: object) => Promise<Vitest> };
    if (typeof mod.createVitest !== 'function') return { ran: false, reason: 'this vitest has no createVitest', unsupported: true };
    const created = await mod.createVitest('test', { root: req.dir, watch: false, passWithNoTests: true, coverage: { enabled: false }, reporters: [['json', { outputFile: req.reportFile }]] }, { server: { watch: null } });
    const needed = ['getRelevantTestSpecifications', 'globTestSpecifications', 'runTestSpecifications', 'invalidateFile'] as const;
    if (needed.some((m) => typeof created[m] !== 'function')) return { ran: false, reason: 'this vitest is older than 3', unsupported: true };
    await created.standalone?.();
    vitest = created;
  }
  for (const file of req.changed) vitest.invalidateFile(file);
  vitest.clearSpecificationsCache?.();
  let specs: Array<{ moduleId: string }>;
  if ('related' in req.selection) {
    vitest.config.related = req.selection.related;
    try {
      specs = await vitest.getRelevantTestSpecifications();
    } finally {
      vitest.config.related = undefined;
    }
  } else {
    const wanted = new Set(req.selection.files);
    specs = (await vitest.globTestSpecifications()).filter((s) => wanted.has(s.moduleId));
  }
  if (specs.length === 0) return { ran: true, empty: true };
  await vitest.runTestSpecifications(specs);
  return { ran: true };
}

async function runJest(req: RunnerRequest): Promise<RunnerAnswer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the workspace's jest, at a path known only now
  const jest = require(req.api) as { runCLI?: (argv: object, projects: string[]) => Promise<unknown> };
  if (typeof jest.runCLI !== 'function') return { ran: false, reason: 'this jest has no runCLI', unsupported: true };
  const related = 'related' in req.selection;
  const files = 'related' in req.selection ? req.selection.related : req.selection.files;
  await jest.runCLI(
    {
      _: files,
      $0: 'jest',
      ci: true,
      json: true,
      outputFile: req.reportFile,
      passWithNoTests: true,
      watch: false,
      watchAll: false,
      watchman: false,
      silent: true,
      coverage: false,
      cacheDirectory: req.cacheDir,
      ...(related ? { findRelatedTests: true } : { runTestsByPath: true }),
    },
    [req.dir],
  );
  return { ran: true };
}

serveRequests<RunnerRequest>((req) => (req.runner === 'vitest' ? runVitest(req) : runJest(req)));
