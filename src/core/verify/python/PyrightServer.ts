/**
 * pyright's language server for one workspace folder, kept warm in a child process that ends
 * after a spell unused (its program — the workspace's modules and typeshed's stubs — is a few
 * hundred MB that a host running all day must give back). Asked for one set of texts at a time:
 * each file is opened (or changed) to the text given and its diagnostics are pulled
 * (`textDocument/diagnostic`, which analyses the file as it is now), so nothing is written to disk
 * and a published result from an older text is never taken for the answer. The interpreter and the
 * folder's pyrightconfig.json / pyproject.toml are pyright's own to read; the child gets a check's
 * clean environment. A server that stops or does not answer in time fails the request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { checkEnv } from '../processRun';
import { pathOutside, pyrightPackage, type PythonInterpreter } from './pythonEnv';

/** pyright and its program are let go after this long unused. */
export const PYRIGHT_IDLE_MS = 2 * 60_000;
/** One pull of a file's diagnostics may take this long (the first one analyses its imports). */
const REQUEST_TIMEOUT_MS = 60_000;

/** An LSP diagnostic as pyright sends it (lines and characters zero-based). */
export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** 1 error, 2 warning, 3 information, 4 hint. */
  severity?: number;
  /** The rule's name ("reportAttributeAccessIssue"); absent for a syntax error and a few others. */
  code?: string | number;
  source?: string;
  message: string;
}

export interface PyrightServerOptions {
  /** The interpreter pyright asks for search paths (undefined: pyright's own default). */
  interpreter: () => PythonInterpreter | undefined;
  /** Whether the folder is trusted: untrusted, pyright gets a PATH without the folder's own folders (it looks for Python there when no interpreter is given). */
  trusted?: () => boolean;
  idleMs?: number;
}

interface Running {
  child: ChildProcess;
  conn: MessageConnection;
  ready: Promise<void>;
  pythonPath: string | undefined;
  /** The documents opened, with the text pyright holds for each. */
  open: Map<string, { version: number; text: string }>;
  stopped: string | undefined;
  /** Fails when the server stops: every request waits on it. */
  exited: Promise<never>;
}

export class PyrightServer {
  private running: Running | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly root: string,
    private readonly options: PyrightServerOptions,
  ) {}

  /** Whether the server runs now. */
  get warm(): boolean {
    return this.running !== undefined;
  }

  /** The server's process id while it runs (for benchmarks and tests). */
  pid(): number | undefined {
    return this.running?.child.pid;
  }

  /**
   * Each file's pyright diagnostics with its text as given (absolute paths; a file given no text is
   * read from disk). One call at a time: the documents are the server's state.
   */
  diagnostics(files: ReadonlyArray<{ filePath: string; text?: string }>): Promise<Map<string, LspDiagnostic[]>> {
    const next = this.queue.then(() => this.pull(files));
    this.queue = next.catch(() => undefined);
    return next;
  }

  async dispose(): Promise<void> {
    clearTimeout(this.idleTimer);
    const r = this.running;
    this.running = undefined;
    if (!r) return;
    r.conn.dispose();
    if (r.child.exitCode === null && r.child.signalCode === null) {
      const exited = new Promise((resolve) => r.child.once('exit', resolve));
      r.child.kill();
      await exited;
    }
  }

  private async pull(files: ReadonlyArray<{ filePath: string; text?: string }>): Promise<Map<string, LspDiagnostic[]>> {
    clearTimeout(this.idleTimer);
    try {
      const r = this.start();
      await withTimeout(r.ready, REQUEST_TIMEOUT_MS, r);
      const out = new Map<string, LspDiagnostic[]>();
      const asked = new Set(files.map((f) => uriOf(f.filePath)));
      // Documents stay open between requests (a closed importer reopened unchanged keeps its old
      // analysis: pyright re-checks only open files when a module they import changes); one left
      // with a proposal's text goes back to the disk's.
      for (const [uri, doc] of r.open) if (!asked.has(uri) && doc.text !== readText(fileURLToPath(uri))) this.show(r, fileURLToPath(uri), undefined);
      for (const f of files) this.show(r, f.filePath, f.text);
      // Asked all at once (pyright answers in turn; no round trip waits between files).
      const reports = await Promise.all(files.map((f) => withTimeout(r.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: uriOf(f.filePath) } }), REQUEST_TIMEOUT_MS, r) as Promise<{ items?: LspDiagnostic[] }>));
      files.forEach((f, i) => out.set(path.resolve(f.filePath), Array.isArray(reports[i]?.items) ? reports[i].items! : []));
      return out;
    } catch (err) {
      await this.dispose();
      throw err;
    } finally {
      this.armIdle();
    }
  }

  /** Opens the document with `text` (or the disk's), or changes it to that text. */
  private show(r: Running, filePath: string, text: string | undefined): void {
    const uri = uriOf(filePath);
    const content = text ?? readText(filePath);
    const doc = r.open.get(uri);
    if (doc === undefined) {
      void r.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: content } });
      r.open.set(uri, { version: 1, text: content });
    } else if (doc.text !== content) {
      void r.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: doc.version + 1 }, contentChanges: [{ text: content }] });
      r.open.set(uri, { version: doc.version + 1, text: content });
    }
  }

  private start(): Running {
    const pythonPath = this.options.interpreter()?.path;
    // Another interpreter (a .venv made since): pyright starts again with it.
    if (this.running && this.running.pythonPath !== pythonPath) void this.dispose();
    if (this.running && !this.running.stopped) return this.running;
    const pkg = pyrightPackage();
    if (!pkg) throw new Error('pyright is not installed with Nightshift.');
    // Plain Node: the host's own executable (VS Code's runs scripts as Node with ELECTRON_RUN_AS_NODE).
    const env = checkEnv();
    if (this.options.trusted && !this.options.trusted()) env.PATH = pathOutside(this.root, env.PATH ?? '');
    const child = spawn(process.execPath, [pkg.langserver, '--stdio'], { cwd: this.root, env: { ...env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['pipe', 'pipe', 'inherit'] });
    const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    let fail: (err: Error) => void = () => undefined;
    const exited = new Promise<never>((_, reject) => (fail = reject));
    exited.catch(() => undefined);
    const running: Running = { child, conn, ready: Promise.resolve(), pythonPath, open: new Map(), stopped: undefined, exited };
    child.on('exit', (code, signal) => {
      running.stopped = `pyright stopped (${signal ?? `exit ${code}`}).`;
      if (this.running === running) this.running = undefined;
      conn.dispose();
      fail(new Error(running.stopped));
    });
    child.on('error', (err) => {
      running.stopped = `pyright did not start: ${err.message}`;
    });
    conn.onRequest('workspace/configuration', (params: { items: Array<{ section?: string }> }) =>
      params.items.map((item) => {
        if (item.section === 'python') return { ...(pythonPath ? { pythonPath } : {}), analysis: { diagnosticMode: 'openFilesOnly' } };
        if (item.section === 'python.analysis') return { diagnosticMode: 'openFilesOnly' };
        return {};
      }),
    );
    const rootUri = pathToFileURL(this.root).href;
    const folders = [{ uri: rootUri, name: path.basename(this.root) }];
    conn.onRequest('workspace/workspaceFolders', () => folders);
    // Registrations, progress tokens and the rest: acknowledged (an unanswered request stops pyright).
    conn.onRequest(() => null);
    conn.onNotification((method: string, params: unknown) => {
      if (process.env.NIGHTSHIFT_PYRIGHT_LOG) console.error(method, JSON.stringify(params).slice(0, 300));
    });
    conn.listen();
    running.ready = (async () => {
      await conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri,
        workspaceFolders: folders,
        capabilities: {
          workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } },
          textDocument: { diagnostic: { dynamicRegistration: true }, publishDiagnostics: {}, synchronization: { didSave: false } },
        },
        initializationOptions: {},
      });
      await conn.sendNotification('initialized', {});
    })();
    this.running = running;
    return running;
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.dispose(), this.options.idleMs ?? PYRIGHT_IDLE_MS);
    this.idleTimer.unref?.();
  }
}

function uriOf(filePath: string): string {
  return pathToFileURL(path.resolve(filePath)).href;
}

function readText(filePath: string): string {
  try {
    return readFileSync(filePath, 'utf8');
  } catch {
    return '';
  }
}

/** The promise, or a failure when the server stops or takes longer than `ms`. */
function withTimeout<T>(p: Promise<T>, ms: number, r: Running): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(r.stopped ?? `pyright did not answer in ${Math.round(ms / 1000)} s.`)), ms);
  });
  return Promise.race([p, r.exited, late]).finally(() => clearTimeout(timer));
}
