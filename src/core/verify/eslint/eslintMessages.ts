/**
 * ESLint's problems in the shapes the rest of the engine reads: a signal's DiagnosticInfo, and
 * the FoundError the checks compare (code = rule id). Which targets are ESLint's, and which of
 * ESLint's problems is the target. Must never take a TypeScript target for an ESLint one.
 */
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../../shared/agentProtocol';
import { normalizeMessage, type FoundError } from '../diagnosticMatch';
import type { LintMessage } from './workspaceEslint';

/** A linter whose problems are judged as ESLint's are (rule and place): its name for people and its diagnostics' source. */
export interface Linter {
  name: string;
  source: RegExp;
}

/** The editor's ESLint extension and `eslint` output both name the source `eslint`, the rule as code. */
export const ESLINT: Linter = { name: 'ESLint', source: /^eslint$/i };

/** A problem the linter reports, with its rule as the code. */
export function isLinterTarget(target: DiagnosticInfo, linter: Linter): boolean {
  return linter.source.test(target.source ?? '') && typeof target.code === 'string' && target.code.trim() !== '';
}

export function isEslintTarget(target: DiagnosticInfo): boolean {
  return isLinterTarget(target, ESLINT);
}

/**
 * The problems that count: a rule's, error or warning, and a file that no longer parses. Left out:
 * ESLint's notes on its own directive comments ("Unused eslint-disable directive"), which have no
 * rule and are about comments, not code.
 */
export function counts(m: LintMessage): boolean {
  return m.severity >= 1 && (m.ruleId !== null || m.fatal === true);
}

/** "Unexpected var." and "Unexpected var" (the stylish output drops the period) are one message. */
const sameText = (a: string) => normalizeMessage(a).replace(/\.$/, '');

export function foundError(file: string, m: LintMessage): FoundError<string> {
  return { file, code: m.ruleId ?? 'parsing', message: sameText(m.message), line: m.line - 1, character: m.column - 1 };
}

/** The linter's message for the target: same rule at the same place; failing that, same rule and message, nearest line. */
export function locateMessage(target: DiagnosticInfo, messages: readonly LintMessage[], linter: Linter = ESLINT): LintMessage | undefined {
  if (!isLinterTarget(target, linter)) return undefined;
  const rule = target.code!.trim();
  const candidates = messages.filter((m) => m.ruleId === rule);
  const atPlace = candidates.find((m) => m.line - 1 === target.range.startLine && m.column - 1 === target.range.startCharacter);
  if (atPlace) return atPlace;
  const text = sameText(target.message);
  const sameMessage = candidates.filter((m) => sameText(m.message) === text);
  return sameMessage.sort((a, b) => Math.abs(a.line - 1 - target.range.startLine) - Math.abs(b.line - 1 - target.range.startLine))[0];
}

/** A problem as the headless host sends it, as the editor's ESLint extension would. */
export function diagnosticOf(m: LintMessage): DiagnosticInfo {
  const startLine = m.line - 1;
  const startCharacter = m.column - 1;
  return {
    message: m.message,
    severity: m.severity >= 2 ? 'error' : 'warning',
    source: 'eslint',
    ...(m.ruleId ? { code: m.ruleId } : {}),
    range: { startLine, startCharacter, endLine: (m.endLine ?? m.line) - 1, endCharacter: (m.endColumn ?? m.column) - 1 },
  };
}

/** "line 10: prefer-const: 'x' is never reassigned…", with the file when it is not the main one. */
export function describeProblem(e: FoundError<string>, main: string, root: string): string {
  return `${e.file === main ? '' : `${path.relative(root, e.file)}: `}line ${e.line + 1}: ${e.code}: ${e.message}`;
}
