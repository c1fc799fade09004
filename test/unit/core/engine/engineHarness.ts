/**
 * The engine as `createEngine` assembles it, with fake ports (the host's settings, keys and
 * outputs; no editor, nothing started that runs a process), for the engine's wiring tests: a
 * workspace and a state folder of its own per engine, its repository policy written as a file,
 * and helpers that drive it (a queued marker, a free fix through a TypeScript without a process).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine, type Engine, type EngineInit, type EnginePorts, type FolderTypeScript } from '../../../../src/core/engine/engine';
import type { AgentStatus, Proposal } from '../../../../src/shared/types';
import { WorkspaceFiles } from '../../../../src/core/context/WorkspaceFiles';

/** Made at run time so that no secret-looking string is committed. */
export const SECRET = 'ghp_' + 'x7Y8z9A0b1C2d3E4f5G6h7I8j9K0l1M2n3O4';

export interface Built {
  engine: Engine;
  root: string;
  stateDir: string;
  /** The host's settings object: change it, then `settingsChanged`. */
  settings: Record<string, unknown>;
  statuses: AgentStatus[];
  logs: string[];
  messages: string[];
  /** The proposals as last published. */
  proposals: Proposal[];
  /** Writes the repository's `.nightshift/policy.json` (undefined: removes it). */
  policy(text: string | undefined): void;
  /** Writes a file of the workspace. */
  write(relative: string, text: string): void;
  uri(relative: string): string;
}

const built: Built[] = [];

/** Disposes of every engine built since the last call and removes its folders (each test file's afterEach). */
export async function disposeBuilt(): Promise<void> {
  for (const b of built.splice(0)) {
    await b.engine.dispose();
    for (const dir of [b.root, b.stateDir]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function build(settings: Record<string, unknown> = {}, keys: Record<string, string> = {}, where: Pick<EngineInit, 'host' | 'trusted'> & Pick<EnginePorts, 'typescript'> = {}): Built {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-engine-state-'));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-engine-ws-'));
  const statuses: AgentStatus[] = [];
  const logs: string[] = [];
  const messages: string[] = [];
  const published = { proposals: [] as Proposal[] };
  const ports: EnginePorts = {
    settings: async () => settings,
    apiKey: async (profile) => keys[profile] ?? null,
    approveCost: async () => false,
    onStatus: (s) => statuses.push(s),
    onProposals: (p) => (published.proposals = p),
    onEscalations: () => undefined,
    onUserMessage: (level, m) => messages.push(`${level}: ${m}`),
    log: (level, m) => logs.push(`${level}: ${m}`),
    ...(where.typescript ? { typescript: where.typescript } : {}),
    // Unit tests run no git: the workspace's files come from a walk.
    workspaceFiles: (folder) => new WorkspaceFiles(folder, async () => undefined),
  };
  const engine = createEngine({ stateDir, workspace: root, workspaceFolders: [root], host: where.host, trusted: where.trusted }, ports);
  const write = (relative: string, text: string) => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  const b: Built = {
    engine,
    root,
    stateDir,
    settings,
    statuses,
    logs,
    messages,
    get proposals() {
      return published.proposals;
    },
    policy(text) {
      if (text === undefined) return fs.rmSync(path.join(root, '.nightshift', 'policy.json'), { force: true });
      write(path.join('.nightshift', 'policy.json'), text);
    },
    write,
    uri: (relative) => pathToFileURL(path.join(root, relative)).toString(),
  };
  built.push(b);
  return b;
}

export const backgroundCall = (worstCaseUsd: number) => ({ role: 'background' as const, worstCaseUsd, priority: 'high' as const, local: false });

/** A local server that is never reached (work is held before any call): setup is complete without a key. */
export const LOCAL = { baseUrl: 'http://127.0.0.1:9/v1', model: 'qwen3-coder', reviewSavedChanges: false };
export const NOT_ALLOWED = 'not allowed by your settings or the team policy';

/** A daily window from `from` to `to` minutes after now, local time ("HH:MM-HH:MM"). */
export function windowFrom(from: number, to: number): string {
  const now = new Date();
  const at = (offset: number) => {
    const m = (((now.getHours() * 60 + now.getMinutes() + offset) % 1440) + 1440) % 1440;
    return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  };
  return `${at(from)}-${at(to)}`;
}

/** Applies the settings, then a saved file's `nightshift:` marker queues a task: the agent's status says what holds it (a schedule's hold is shown as idle, with its reason). */
export async function queueMarker(b: Built): Promise<AgentStatus> {
  await b.engine.settingsChanged();
  const text = '// nightshift: rename x to count\nconst x = 1;\n';
  b.engine.agent.onSettledDiagnostics({ uri: b.uri('a.ts'), relativePath: 'a.ts', languageId: 'typescript', text, diagnostics: [] });
  const status = b.engine.agent.status();
  assert.equal(status.queued, 1, JSON.stringify(status));
  return status;
}

/** A misspelt name's problem in a.ts, fixed for free by `fakeTypeScript`: the proposal, checked by the engine's checkers. */
export async function freeFix(b: Built): Promise<Proposal> {
  const text = 'const count = 1;\nconsole.log(cuont);\n';
  const error = { message: "Cannot find name 'cuont'.", severity: 'error' as const, source: 'ts', code: '2552', range: { startLine: 1, startCharacter: 12, endLine: 1, endCharacter: 17 } };
  b.engine.agent.onSettledDiagnostics({ uri: b.uri('a.ts'), relativePath: 'a.ts', languageId: 'typescript', text, diagnostics: [error] });
  await b.engine.agent.freeFixesSettled();
  const [proposal] = b.proposals;
  assert.ok(proposal?.check, JSON.stringify(b.proposals));
  return proposal;
}

/** TypeScript without its process: its one fix for the misspelt name, and a check that proves each target gone. */
export const fakeTypeScript: FolderTypeScript = {
  tool: () => 'TypeScript 5.9.3',
  fixes: async (filePath, text) => [{ fixName: 'spelling', description: "Change spelling to 'count'", files: [{ filePath, before: text, after: text.replace('cuont', 'count') }] }],
  verify: async (request) => ({ status: 'passed', level: 'type-checked', detail: 'No new errors.', proved: request.targets.map((_, i) => i) }),
  touch: () => undefined,
  dispose: async () => undefined,
};
