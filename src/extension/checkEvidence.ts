/**
 * What a proposal's check proved, as the editor shows it: the evidence word with its codicon, and
 * the user's `nightshift.typeCheckedCounts`, read where a surface decides what counts as checked
 * (the badge, the preferred quick fix, the CodeLens, Accept All Checked). The decision itself is
 * countsAsChecked's (src/shared/evidence.ts); nothing here decides it again.
 */
import * as vscode from 'vscode';
import { evidenceOf, type Evidence } from '../shared/evidence';
import type { CheckResult } from '../shared/types';
import { settingDefault } from '../shared/settingsSchema';

const SETTING = 'nightshift.typeCheckedCounts';

/** Read at each use, so a change applies at once; surfaces that show a count re-render on `onTypeCheckedCountsChange`. */
export function typeCheckedCounts(): boolean {
  return vscode.workspace.getConfiguration('nightshift').get<boolean>('typeCheckedCounts', settingDefault('typeCheckedCounts'));
}

export function onTypeCheckedCountsChange(changed: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SETTING)) changed();
  });
}

const ICON: Record<Evidence, string> = {
  tested: '$(check-all)',
  'type-checked': '$(check)',
  'not checked': '$(circle-outline)',
  'silences the error': '$(warning)',
  'check failed': '$(error)',
};

/** The codicon of what a check proved: $(check-all) tested, $(check) type-checked, $(warning) silences the error… */
export function evidenceIcon(check: CheckResult | undefined): string {
  return ICON[evidenceOf(check)];
}

/** The evidence word after its codicon ("$(check-all) tested"), for quick picks. */
export function evidenceLabel(check: CheckResult | undefined): string {
  return `${evidenceIcon(check)} ${evidenceOf(check)}`;
}

/**
 * "tested fix", "type-checked change"; "fix (silences the error)", "fix (not checked)": the word
 * before the noun when it is a proof, in brackets when it is none.
 */
export function describeChange(kind: string, check: CheckResult | undefined): string {
  const what = kind === 'fix' ? 'fix' : 'change';
  const word = evidenceOf(check);
  return word === 'tested' || word === 'type-checked' ? `${word} ${what}` : `${what} (${word})`;
}
