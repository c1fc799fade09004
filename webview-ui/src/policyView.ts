/** The Policy section of the panel: each rule in force, its value and the layer (file and line) that set it; what a layer may not set, and was not applied. */
import type { BudgetReport } from '../../src/shared/types';
import { section as details, el } from './dom';

export function renderPolicy(r: BudgetReport): HTMLElement[] {
  if (!r.policy) return [];
  const section = details('policy', 'policy', false);
  const fromFiles = r.policy.filter((row) => (row.layer ? row.layer === 'organisation' || row.layer === 'repository' : row.setBy !== 'your settings' && row.setBy !== 'the default')).length;
  const refused = r.policyRefused ?? [];
  section.append(el('summary', undefined, r.policyProblems?.length ? 'Policy · cannot be used' : `Policy · ${fromFiles} rule(s) from a team policy${refused.length ? ` · ${refused.length} not applied` : ''}`));
  for (const problem of r.policyProblems ?? []) section.append(el('p', 'policy-problem', problem));
  // Rules a layer may not set (a repository choosing the profile your key pays for): ignored, and said here as in `nightshift policy`.
  for (const why of refused) section.append(el('p', 'policy-problem', `Not applied: ${why}`));
  const table = el('table');
  table.setAttribute('aria-label', 'Team policy in force');
  const head = el('tr');
  head.append(el('th', undefined, 'Rule'), el('th', undefined, 'Value'), el('th', undefined, 'Set by'));
  table.append(head);
  for (const row of r.policy) {
    const tr = el('tr');
    tr.append(el('td', undefined, row.rule), el('td', undefined, row.value), el('td', 'muted', row.setBy));
    table.append(tr);
  }
  section.append(table);
  return [section];
}
