/**
 * What `nightshift scan` writes: the proposals as JSON, as a SARIF 2.1.0 log (what CI code scanning
 * reads: each proposal a result at the line it changes, with its edit as a SARIF fix), or as one
 * patch for `git apply`. Each report also says what was not done, and why, and lists every file it
 * skipped (not UTF-8, too large, not to be sent) with the reason.
 */
import { pathToFileURL } from 'node:url';
import { countsAsChecked, evidenceKey, evidenceOf } from '../shared/evidence';
import type { CheckResult, Proposal } from '../shared/types';

export type ReportFormat = 'json' | 'sarif' | 'patch';

export interface ScanReport {
  tool: { name: string; version: string };
  /** The workspace folder, absolute. */
  root: string;
  proposals: Proposal[];
  /** Files with problems that were looked at. */
  filesWithProblems: number;
  /** Why some or all of the work was not done (no key, no backend, budget), or empty. */
  notDone: string[];
  /** Files with problems that were passed over, workspace-relative, and why. */
  skipped?: Array<{ path: string; reason: string }>;
  spentUsd: number;
  /** The typeCheckedCounts setting: what a SARIF result's `checked` counts (see countsAsChecked). */
  typeCheckedCounts?: boolean;
}

/** One-based line and column of a UTF-16 offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** The first line a file change touches: from the base text when it is at hand, else from its diff. */
function startOf(change: Proposal['files'][number], base: string | undefined): { line: number; column: number } {
  const first = [...change.replacements].sort((a, b) => a.offset - b.offset)[0];
  if (base !== undefined && first) return position(base, first.offset);
  const hunk = /^@@ -(\d+)/m.exec(change.diff);
  return { line: hunk ? Math.max(1, Number(hunk[1])) : 1, column: 1 };
}

/** What the check proved, in brackets after a SARIF message: "(tested)", "(type-checked: no test reaches this change)", "(silences the error: …)". */
function evidenceNote(check: CheckResult | undefined): string {
  const word = evidenceOf(check);
  if (word === 'tested') return `(${word})`;
  if (word === 'type-checked') return check?.untested ? `(${word}: ${check.untested})` : `(${word})`;
  return `(${word}: ${check?.detail || 'no check ran'})`;
}

const RULES = {
  fix: 'Fix for a compiler or linter problem',
  todo: 'Work asked for in a marker comment',
  review: 'Review of a saved change or a commit',
  refactor: 'Refactoring of a long or complex function',
} as const;

export function toSarif(report: ScanReport, readBase: (relativePath: string, hash: string) => string | undefined): object {
  const results = report.proposals.flatMap((p) =>
    p.files.map((f) => {
      const base = readBase(f.relativePath, f.baseHash);
      const at = startOf(f, base);
      const checked = countsAsChecked(p.check, report.typeCheckedCounts);
      return {
        ruleId: `nightshift/${p.kind}`,
        level: checked ? 'warning' : 'note',
        message: { text: `${p.title}${p.rationale ? ` — ${p.rationale}` : ''} ${evidenceNote(p.check)}` },
        locations: [{ physicalLocation: { artifactLocation: { uri: f.relativePath, uriBaseId: 'SRCROOT' }, region: { startLine: at.line, startColumn: at.column } } }],
        partialFingerprints: { 'nightshift/proposal': p.id },
        ...(base !== undefined
          ? {
              fixes: [
                {
                  description: { text: p.title },
                  artifactChanges: [
                    {
                      artifactLocation: { uri: f.relativePath, uriBaseId: 'SRCROOT' },
                      replacements: f.replacements.map((r) => ({ deletedRegion: { charOffset: r.offset, charLength: r.length }, insertedContent: { text: r.newText } })),
                    },
                  ],
                },
              ],
            }
          : {}),
        properties: { proposalId: p.id, checked, evidence: evidenceKey(p.check), model: p.model, source: p.source ?? 'model', costUsd: p.costUsd, diff: f.diff },
      };
    }),
  );
  const usedRules = [...new Set(report.proposals.map((p) => p.kind))];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules: usedRules.map((kind) => ({ id: `nightshift/${kind}`, shortDescription: { text: RULES[kind] } })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `${pathToFileURL(report.root).href}/` } },
        invocations: [
          {
            executionSuccessful: report.notDone.length === 0,
            toolExecutionNotifications: [
              ...report.notDone.map((text) => ({ level: 'warning', message: { text } })),
              ...(report.skipped ?? []).map((s) => ({
                level: 'warning',
                message: { text: `Skipped ${s.path}: ${s.reason}.` },
                locations: [{ physicalLocation: { artifactLocation: { uri: s.path, uriBaseId: 'SRCROOT' } } }],
                properties: { skipped: true },
              })),
            ],
          },
        ],
        results,
        properties: { filesWithProblems: report.filesWithProblems, spentUsd: report.spentUsd },
      },
    ],
  };
}

export function toJson(report: ScanReport): object {
  return {
    tool: report.tool,
    root: report.root,
    complete: report.notDone.length === 0,
    notDone: report.notDone,
    // Files with problems that were not worked on, and why: "complete" says all else was done.
    skipped: report.skipped ?? [],
    filesWithProblems: report.filesWithProblems,
    spentUsd: report.spentUsd,
    proposals: report.proposals.map((p) => ({
      id: p.id,
      kind: p.kind,
      title: p.title,
      rationale: p.rationale,
      check: p.check ?? { status: 'unchecked', detail: 'no check ran' },
      // tested, type-checked, unchecked, silences or failed: what `check` proved, in one word.
      evidence: evidenceKey(p.check),
      model: p.model,
      costUsd: p.costUsd,
      // 'compiler': the language's own fix (rung 0), no model asked; 'model' otherwise.
      source: p.source ?? 'model',
      files: p.files.map((f) => ({ path: f.relativePath, diff: f.diff })),
    })),
  };
}

/** All proposals' diffs in one patch (`git apply` reads it); what was not done as leading comment lines git ignores. */
export function toPatch(report: ScanReport): string {
  const head = [...report.notDone.map((n) => `# not done: ${n}\n`), ...(report.skipped ?? []).map((s) => `# skipped ${s.path}: ${s.reason}\n`)].join('');
  // One patch git apply takes whole: each diff is against the file as it is, so a second proposal for a file already patched is left out, said.
  const patched = new Set<string>();
  const body = report.proposals
    .map((p) => {
      const shared = p.files.map((f) => f.relativePath).filter((f) => patched.has(f));
      if (shared.length > 0) return `# left out ${p.id} ${p.kind}: ${p.title}: it edits ${shared.join(', ')} too; apply this patch, then scan again\n`;
      p.files.forEach((f) => patched.add(f.relativePath));
      return `# ${p.id} ${p.kind}: ${p.title} (${evidenceOf(p.check)})\n${p.files.map((f) => (f.diff.endsWith('\n') ? f.diff : `${f.diff}\n`)).join('')}`;
    })
    .join('');
  return head + body;
}
