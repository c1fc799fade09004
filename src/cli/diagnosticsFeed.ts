/**
 * The headless host's diagnostics, in the shape the editor sends: the workspace's TypeScript
 * language service for TS/JS, and the configured check commands' output read with the problem
 * matchers for every other language. Errors only unless `includeWarnings`.
 */
import { exec } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DiagnosticInfo, SettledDiagnosticsParams } from '../shared/agentProtocol';
import { languageOf } from '../core/agent/taskSources';
import { byFile, matchProblems } from '../core/signals/problemMatcher';
import { TsDiagnosticsService } from '../core/signals/tsDiagnosticsService';
import { TS_SOURCE } from '../core/signals/tsDiagnostics';
import { checkEnv } from '../core/verify/processRun';

/** How much of a check command's output is read for problems. */
const OUTPUT_LIMIT = 4 * 1024 * 1024;

export class DiagnosticsFeed {
  readonly ts: TsDiagnosticsService;
  /** Files with problems that could not be read, by workspace-relative path, and why (a scan lists them). */
  readonly unreadable = new Map<string, string>();

  constructor(
    private readonly root: string,
    private readonly settings: () => Record<string, unknown>,
    /** Whether the team policy lets the check commands run (privacy.checkCommands). */
    private readonly commandsAllowed: () => boolean = () => true,
  ) {
    this.ts = new TsDiagnosticsService(root);
  }

  /** Every file with problems now: the whole TypeScript project, then each check command's findings. */
  async all(): Promise<SettledDiagnosticsParams[]> {
    const found = new Map<string, DiagnosticInfo[]>();
    for (const f of await this.ts.all()) found.set(f.file, f.diagnostics);
    for (const [file, list] of await this.fromCommands()) found.set(file, [...(found.get(file) ?? []), ...list]);
    return [...found].flatMap(([file, list]) => this.params(file, list));
  }

  /** One changed file's TypeScript problems (none when it is clean; undefined when no project covers it). */
  async file(file: string): Promise<SettledDiagnosticsParams[] | undefined> {
    const list = TS_SOURCE.test(file) ? await this.ts.file(file) : undefined;
    return list === undefined ? undefined : this.params(file, list);
  }

  /** The check commands' problems, by file (commands run in the workspace folder, one at a time, with a check's clean environment). */
  async fromCommands(): Promise<Map<string, DiagnosticInfo[]>> {
    if (!this.commandsAllowed()) return new Map();
    const commands = (this.settings().checkCommands as unknown[] | undefined)?.filter((c): c is string => typeof c === 'string' && c.trim() !== '') ?? [];
    const all = new Map<string, DiagnosticInfo[]>();
    for (const command of commands) {
      const output = await new Promise<string>((resolve) => {
        exec(command, { cwd: this.root, maxBuffer: OUTPUT_LIMIT, timeout: 300_000, env: { ...checkEnv(), FORCE_COLOR: '0' } }, (_err, stdout, stderr) => resolve(`${stdout}\n${stderr}`));
      });
      const source = command.trim().split(/\s+/).find((w) => !/^(npx|npm|run|exec|pnpm|yarn)$/.test(w));
      for (const [file, list] of byFile(matchProblems(output, this.root, source))) {
        if (!file.startsWith(this.root + path.sep)) continue;
        all.set(file, [...(all.get(file) ?? []), ...list]);
      }
    }
    return all;
  }

  /**
   * What the editor would send for this file: its text and problems (errors only unless
   * includeWarnings). Nothing when no problem is left, unless `evenIfClean` (a save: markers, reviews).
   */
  params(file: string, diagnostics: DiagnosticInfo[], evenIfClean = false): SettledDiagnosticsParams[] {
    const wanted = this.settings().includeWarnings === true ? diagnostics : diagnostics.filter((d) => d.severity === 'error');
    if (wanted.length === 0 && !evenIfClean) return [];
    const relativePath = path.relative(this.root, file).split(path.sep).join('/');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      this.unreadable.set(relativePath, `it has problems but could not be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      return [];
    }
    this.unreadable.delete(relativePath);
    return [{ uri: pathToFileURL(file).href, relativePath, languageId: languageOf(relativePath), text, diagnostics: wanted }];
  }
}
