/**
 * Reads problems out of a checker's output, the way VS Code's problem matchers do, for the
 * headless host's diagnostics in languages without a language service here. Understood:
 * tsc (`file(line,col): error TS2304: …`), the compiler line format most tools print
 * (`file:line:col: [error|warning:] message`, gcc, clang, rustc's short form, ESLint's `unix`
 * and `compact` formats, mypy, ruff, go vet) and ESLint's default `stylish` format (a file line,
 * then `line:col  error  message  rule`).
 */
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../shared/agentProtocol';

export interface MatchedProblem {
  /** Absolute path. */
  file: string;
  diagnostic: DiagnosticInfo;
}

const TSC = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.+)$/;
const LINE_COL = /^(.+?):(\d+):(\d+):?\s+(?:(error|warning|note|info)(?:\[[^\]]*\])?:?\s+)?(.+)$/i;
const COMPACT = /^(.+?): line (\d+), col (\d+), (Error|Warning) - (.+?)(?: \(([\w@/-]+)\))?$/;
const STYLISH_ROW = /^\s+(\d+):(\d+)\s+(error|warning)\s+(.+?)(?:\s{2,}([\w@/-]+))?\s*$/;

// eslint-disable-next-line no-control-regex -- terminal colour codes start with ESC
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

function problem(root: string, file: string, line: string, col: string, severity: string | undefined, message: string, code?: string, source?: string): MatchedProblem {
  const l = Math.max(0, Number(line) - 1);
  const c = Math.max(0, Number(col) - 1);
  return {
    file: path.resolve(root, file.trim()),
    diagnostic: {
      message: message.trim(),
      severity: /warn/i.test(severity ?? '') ? 'warning' : 'error',
      ...(source ? { source } : {}),
      ...(code ? { code } : {}),
      range: { startLine: l, startCharacter: c, endLine: l, endCharacter: c },
    },
  };
}

/** The problems in a check command's output; file names are taken relative to `root`. Lines that match nothing are skipped. */
export function matchProblems(output: string, root: string, source?: string): MatchedProblem[] {
  const found: MatchedProblem[] = [];
  let stylishFile: string | undefined;
  for (const raw of output.split(/\r?\n/)) {
    const line = strip(raw);
    let m: RegExpMatchArray | null;
    if ((m = TSC.exec(line))) {
      found.push(problem(root, m[1], m[2], m[3], m[4], m[6], m[5].slice(2), 'ts'));
    } else if ((m = COMPACT.exec(line))) {
      found.push(problem(root, m[1], m[2], m[3], m[4], m[5], m[6], source));
    } else if (stylishFile && (m = STYLISH_ROW.exec(line))) {
      found.push(problem(root, stylishFile, m[1], m[2], m[3], m[4], m[5], source));
    } else if ((m = LINE_COL.exec(line)) && !/^\s/.test(line)) {
      if (/^note$|^info$/i.test(m[4] ?? '')) continue;
      found.push(problem(root, m[1], m[2], m[3], m[4], m[5], undefined, source));
    } else if (line.trim() && !/^\s/.test(line) && !/[✖✔]|problems?\b/.test(line)) {
      // A line of its own that names a file: ESLint stylish's header for the rows below it.
      stylishFile = /^(?:[A-Za-z]:)?[^:]+\.[A-Za-z0-9]+$/.test(line.trim()) ? line.trim() : undefined;
    } else if (!line.trim()) {
      stylishFile = undefined;
    }
  }
  return found;
}

/** The problems grouped by file, in the order first seen. */
export function byFile(problems: readonly MatchedProblem[]): Map<string, DiagnosticInfo[]> {
  const files = new Map<string, DiagnosticInfo[]>();
  for (const p of problems) {
    const list = files.get(p.file) ?? [];
    list.push(p.diagnostic);
    files.set(p.file, list);
  }
  return files;
}
