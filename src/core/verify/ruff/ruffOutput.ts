/**
 * Ruff's JSON report (`ruff check --output-format json`) read into the shapes the lint judge and the
 * engine read. Ruff counts rows and columns from one, columns in characters (code points); the
 * editor's and ESLint's shapes count UTF-16 units, so columns are converted on the text Ruff read.
 * A report that does not parse is an error naming what was wrong, never "no problems".
 */
import { z } from 'zod';
import type { DiagnosticInfo } from '../../../shared/agentProtocol';
import type { Linter } from '../eslint/eslintMessages';
import type { LintMessage } from '../eslint/workspaceEslint';

/** Ruff's problems in the editor (the Ruff extension's language server) and in ours: source `Ruff`, the rule as code. */
export const RUFF: Linter = { name: 'Ruff', source: /^ruff$/i };

const place = z.object({ row: z.number().int(), column: z.number().int() });
const reported = z.object({
  code: z.string().nullable(),
  message: z.string(),
  location: place,
  end_location: place,
  filename: z.string(),
  fix: z
    .object({
      applicability: z.string(),
      message: z.string().nullable().optional(),
      edits: z.array(z.object({ content: z.string(), location: place, end_location: place })),
    })
    .nullable()
    .optional(),
});
export type RuffReported = z.infer<typeof reported>;

/** Ruff's own fix for a problem, as text edits (UTF-16 offsets into the text Ruff read). */
export interface RuffFix {
  /** `safe`, `unsafe` or `display-only`: only a safe fix is taken without a person. */
  applicability: string;
  description: string | undefined;
  edits: Array<{ start: number; length: number; newText: string }>;
}

export type RuffMessage = LintMessage & { ruffFix?: RuffFix };

/** Ruff's report; throws with what did not parse. */
export function parseRuffReport(stdout: string): RuffReported[] {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new Error(`Ruff's report is not JSON (${JSON.stringify(stdout.slice(0, 80))}).`);
  }
  const parsed = z.array(reported).safeParse(json);
  if (!parsed.success) throw new Error(`Ruff's report has an unexpected shape (${parsed.error.issues[0]?.path.join('.') ?? '?'}: ${parsed.error.issues[0]?.message ?? ''}).`);
  return parsed.data;
}

/** Where a text's lines start (UTF-16 offsets), as Ruff splits them: \n, \r\n or \r. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (const m of text.matchAll(/\r\n|\n|\r/g)) starts.push(m.index + m[0].length);
  return starts;
}

/** Converts Ruff's one-based row and code-point column on `text` into UTF-16 places. */
export function placesIn(text: string): { offset(row: number, column: number): number; character(row: number, column: number): number } {
  const starts = lineStarts(text);
  // Ruff does not count a byte order mark: the first line starts after it.
  if (text.startsWith('\uFEFF')) starts[0] = 1;
  const offset = (row: number, column: number): number => {
    if (row - 1 >= starts.length) return text.length;
    let at = starts[Math.max(0, row - 1)];
    for (let n = 1; n < column && at < text.length; n++) at += (text.codePointAt(at) ?? 0) > 0xffff ? 2 : 1;
    return at;
  };
  return { offset, character: (row, column) => offset(row, column) - starts[Math.min(Math.max(0, row - 1), starts.length - 1)] };
}

/** Ruff's problems with places in UTF-16 units; a syntax error has no rule and is fatal. */
export function messagesOf(report: readonly RuffReported[], text: string): RuffMessage[] {
  const places = placesIn(text);
  return report.map((r) => {
    const rule = r.code && r.code !== 'invalid-syntax' ? r.code : null;
    const fix = r.fix && {
      applicability: r.fix.applicability,
      description: r.fix.message ?? undefined,
      edits: r.fix.edits.map((e) => {
        const start = places.offset(e.location.row, e.location.column);
        return { start, length: Math.max(0, places.offset(e.end_location.row, e.end_location.column) - start), newText: e.content };
      }),
    };
    return {
      ruleId: rule,
      severity: 2,
      message: r.message,
      line: r.location.row,
      column: places.character(r.location.row, r.location.column) + 1,
      endLine: r.end_location.row,
      endColumn: places.character(r.end_location.row, r.end_location.column) + 1,
      ...(rule ? {} : { fatal: true }),
      ...(fix ? { ruffFix: fix } : {}),
    };
  });
}

/**
 * A problem as the headless host sends it, as the editor's Ruff extension would: errors for an
 * undefined name, an unreadable file and a syntax error, warnings for the rest (Ruff's server does so).
 */
export function diagnosticOf(m: RuffMessage): DiagnosticInfo {
  const error = m.ruleId === null || m.ruleId === 'F821' || m.ruleId === 'E902' || m.ruleId === 'E999';
  return {
    message: m.message,
    severity: error ? 'error' : 'warning',
    source: 'Ruff',
    ...(m.ruleId ? { code: m.ruleId } : {}),
    range: { startLine: m.line - 1, startCharacter: m.column - 1, endLine: (m.endLine ?? m.line) - 1, endCharacter: (m.endColumn ?? m.column) - 1 },
  };
}
