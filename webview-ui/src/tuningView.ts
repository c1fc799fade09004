/**
 * The Tuning section of the Budget view: per task kind, the tuner's setting and why (the
 * numbers), each arm's record, the last changes, whether it escalates by itself, and switches to
 * freeze or reset it. Above it, the weekly line: cost per accepted proposal this week against last
 * week, and the share of fixes the compiler settled free.
 */
import { formatUsd } from '../../src/shared/format';
import type { BudgetReport, TuningKindView } from '../../src/shared/types';
import type { PanelRequest } from '../../src/shared/panelProtocol';
import { section as details, el } from './dom';
import { actionButton } from './proposalCard';

type Send = (request: PanelRequest) => void;

const SETTING_TEXT: Record<string, string> = {
  silent: 'quiet (no tasks)',
  standard: 'standard recipe',
  lean: 'lean recipe (less context, shorter answers)',
  wide: 'wide recipe (more context, root cause first)',
};

export function renderWeekly(r: BudgetReport): HTMLElement[] {
  const w = r.weekly;
  if (!w) return [];
  const per = (n: NonNullable<BudgetReport['weekly']>['thisWeek']) => (n.costPerAcceptedUsd === null ? 'nothing accepted' : `${formatUsd(n.costPerAcceptedUsd)} per accepted`);
  const free = w.thisWeek.freeShare === null ? 'no fixes yet' : `${Math.round(w.thisWeek.freeShare * 100)}% of fixes free (compiler)`;
  const p = el('p', 'weekly', `This week ${per(w.thisWeek)} · last week ${per(w.lastWeek)} · ${free}`);
  p.setAttribute('aria-label', `This week: ${per(w.thisWeek)}. Last week: ${per(w.lastWeek)}. ${free}.`);
  return [p];
}

function kindBlock(t: TuningKindView, send: Send): HTMLElement {
  const box = el('div', 'tuning-kind');
  box.append(el('h3', undefined, `${t.kind}: ${SETTING_TEXT[t.setting] ?? t.setting}${t.frozen ? ' · frozen' : ''}`));
  box.append(el('p', 'muted', t.why));
  const table = el('table');
  table.setAttribute('aria-label', `How each recipe did on ${t.kind} tasks`);
  const head = el('tr');
  head.append(el('th', undefined, 'Recipe'), el('th', undefined, 'Tasks'), el('th', undefined, 'Kept'), el('th', undefined, '$/task'), el('th', undefined, 'Value'));
  table.append(head);
  for (const a of t.arms) {
    const tr = el('tr', a.arm === t.setting ? 'current' : undefined);
    const kept = a.keptRate === null ? '—' : `${Math.round(a.keptRate * 100)}% of ${a.decided}`;
    tr.append(el('td', undefined, a.arm), el('td', undefined, String(a.tasks)), el('td', undefined, kept), el('td', undefined, a.costPerTaskUsd === null ? '—' : formatUsd(a.costPerTaskUsd)), el('td', undefined, a.value.toFixed(2)));
    table.append(tr);
  }
  box.append(table);
  if (t.history.length > 0) {
    const list = el('ul', 'history');
    list.setAttribute('aria-label', `Recent changes to ${t.kind}`);
    for (const h of [...t.history].reverse()) list.append(el('li', undefined, `${h.at.slice(0, 10)}: ${h.from} → ${h.to} — ${h.why}`));
    box.append(list);
  }
  box.append(el('p', 'muted', `Escalates by itself: ${t.autoEscalate.on ? 'yes' : 'no'} (${t.autoEscalate.why}).`));
  const acts = el('div', 'actions');
  acts.append(
    actionButton(t.frozen ? 'Unfreeze' : 'Freeze', { type: 'tuning/control', kind: t.kind, action: t.frozen ? 'unfreeze' : 'freeze' }, send, { secondary: true, ariaLabel: `${t.frozen ? 'Unfreeze' : 'Freeze'} the tuning of ${t.kind}`, action: 'tuning-freeze' }),
    actionButton('Reset…', { type: 'tuning/control', kind: t.kind, action: 'reset' }, send, { secondary: true, ariaLabel: `Reset the tuning of ${t.kind}`, action: 'tuning-reset' }),
  );
  box.append(acts);
  return box;
}

export function renderTuning(r: BudgetReport, send: Send): HTMLElement[] {
  if (!r.tuning || r.tuning.length === 0) return [];
  const section = details('tuning', 'tuning', false);
  const quiet = r.tuning.filter((t) => t.setting === 'silent').map((t) => t.kind);
  section.append(el('summary', undefined, `Tuning · ${quiet.length > 0 ? `${quiet.join(', ')} kept quiet` : 'learning from your decisions'}`));
  section.append(el('p', 'muted', 'Nightshift tunes each kind of task from what you accept, reject, ignore or undo: which recipe it uses, or whether to stay quiet. Exploring other recipes uses at most 5% of what a kind spends, and never goes past your budget or the team policy.'));
  for (const t of r.tuning) section.append(kindBlock(t, send));
  return [section];
}
