/**
 * One vocabulary for what a check proved, used by every surface (card, quick fix, CodeLens, badge,
 * CLI reports, ledger): tested, type-checked, not checked, silences the error, check failed.
 * What counts as "checked" for the badge, the preferred quick fix and Accept All Checked is decided
 * here and nowhere else.
 */
import type { CheckResult } from './types';

export type Evidence = 'tested' | 'type-checked' | 'not checked' | 'silences the error' | 'check failed';

export function evidenceOf(check: CheckResult | undefined): Evidence {
  switch (check?.status) {
    case 'passed':
      return check.level === 'tested' ? 'tested' : 'type-checked';
    case 'silences':
      return 'silences the error';
    case 'failed':
      return 'check failed';
    default:
      return 'not checked';
  }
}

export const EVIDENCE_KEYS = ['tested', 'type-checked', 'unchecked', 'silences', 'failed'] as const;
export type EvidenceKey = (typeof EVIDENCE_KEYS)[number];

/** A short machine word for reports, logs and the ledger: tested, type-checked, unchecked, silences, failed. */
export function evidenceKey(check: CheckResult | undefined): EvidenceKey {
  const e = evidenceOf(check);
  return e === 'not checked' ? 'unchecked' : e === 'silences the error' ? 'silences' : e === 'check failed' ? 'failed' : e;
}

/**
 * Whether a proposal counts as checked (badge, preferred quick fix, Accept All Checked): tested;
 * or type-checked where the workspace has no tests to run, or where the user widened it
 * (`nightshift.typeCheckedCounts`) — never when the team policy requires tests.
 */
export function countsAsChecked(check: CheckResult | undefined, typeCheckedCounts = false): boolean {
  if (check?.status !== 'passed') return false;
  if (check.level === 'tested') return true;
  if (check.testsRequired) return false;
  return !check.testsAvailable || typeCheckedCounts;
}

/** One line saying what was proved, for a card's detail or a report: the detail, and why untested. */
export function evidenceLine(check: CheckResult | undefined): string {
  if (!check) return 'not checked: no check ran';
  const word = evidenceOf(check);
  if (check.status === 'passed' && check.level !== 'tested' && check.untested) return `${word} — ${check.detail} Not tested: ${check.untested}.`;
  return `${word} — ${check.detail}`;
}

/** The proposals that count as checked, and the type-checked ones that do not (Accept All Checked says how many it left out). */
export function splitChecked<P extends { check?: CheckResult }>(proposals: readonly P[], typeCheckedCounts = false): { checked: P[]; typeCheckedLeftOut: P[] } {
  const checked = proposals.filter((p) => countsAsChecked(p.check, typeCheckedCounts));
  return { checked, typeCheckedLeftOut: proposals.filter((p) => evidenceOf(p.check) === 'type-checked' && !countsAsChecked(p.check, typeCheckedCounts)) };
}
