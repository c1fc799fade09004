/** The Policy section of the panel: each rule in force, its value and the layer (file and line) that set it. */
import type { BudgetReport } from '../../src/shared/types';
import { section as details, el } from './dom';

export function renderPolicy(r: BudgetReport): HTMLElement[] {
  if (!r.policy) return [];
  const section = details('policy', 'policy', false);
  const fromFiles = r.policy.filter((row) => (row.layer ? row.layer === 'organisation' || row.layer === 'repository' : row.setBy !== 'your settings' && row.setBy !== 'the default')).length;
  section.append(el('summary', undefined, r.policyProblems?.length ? 'Policy · cannot be used' : `Policy · ${fromFiles} rule(s) from a team policy`));
  for (const problem of r.policyProblems ?? []) section.append(el('p', 'policy-problem', problem));
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
