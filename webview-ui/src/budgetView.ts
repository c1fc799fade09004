/** The Budget section of the panel: where the year stands, a burn chart, and where the money went. */
import { formatUsd, taskKindLabel } from '../../src/shared/format';
import type { BudgetReport, GatewayView, SpendLine } from '../../src/shared/types';
import { section as details, el, svg } from './dom';

const STEP_TEXT: Record<BudgetReport['step'], string> = {
  normal: 'On pace.',
  throttled: 'Ahead of pace: only high-priority work runs.',
  localOnly: 'Allowance used up: only local backends run.',
  paused: 'Allowance used up: background work is paused.',
};

function row(label: string, value: string): HTMLElement {
  const r = el('div', 'kv');
  r.append(el('span', 'k', label), el('span', 'v', value));
  return r;
}

/** Spend (solid) against the paced allowance (dashed) from the year's start to today. */
function burnChart(r: BudgetReport): SVGSVGElement {
  const width = 300;
  const height = 90;
  const days = Math.max(1, Math.round((Date.parse(r.yearEnd) - Date.parse(r.yearStart)) / 86_400_000));
  const top = Math.max(r.backgroundBudgetUsd, ...r.burn.map((b) => b.spentUsd), 0.01);
  const x = (i: number) => ((i + 1) / days) * width;
  const y = (usd: number) => height - (usd / top) * (height - 4);
  const path = (values: number[]) => values.map((v, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'burn', role: 'img', preserveAspectRatio: 'none' });
  chart.setAttribute('aria-label', `Spent ${formatUsd(r.backgroundSpentUsd)} against an allowance to date of ${formatUsd(r.allowanceToDateUsd)}`);
  chart.append(svg('line', { x1: 0, y1: y(r.backgroundBudgetUsd), x2: width, y2: y(r.backgroundBudgetUsd), class: 'budget-line' }));
  chart.append(svg('path', { d: `M0,${height} L${width},${y(r.backgroundBudgetUsd).toFixed(1)}`, class: 'pace-line' }));
  if (r.burn.length > 0) {
    chart.append(svg('path', { d: path(r.burn.map((b) => b.allowanceUsd)), class: 'allowance-line' }));
    chart.append(svg('path', { d: path(r.burn.map((b) => b.spentUsd)), class: 'spent-line' }));
  }
  return chart;
}

/** The team's gateway: its count is the one every machine shares; a gap with this machine's ledger is flagged. */
function gatewayRows(g: GatewayView): HTMLElement[] {
  const money = (v: number | null) => (v === null ? 'not set' : formatUsd(v));
  const out = [el('h3', undefined, `Team gateway · ${g.label}`), row('Spent (gateway)', money(g.spentUsd)), row('Limit', money(g.limitUsd)), row('Left', money(g.remainingUsd)), row('Read', `${g.readAt.slice(11, 16)} UTC${g.stale ? ' (last good read)' : ''}`)];
  if (g.stale) out.push(el('p', 'gap', `The last read failed: ${g.stale}.`));
  if (g.gapNote) out.push(el('p', 'gap', g.gapNote));
  return out;
}

function top(lines: SpendLine[], title: string): HTMLElement {
  const box = el('div', 'split');
  box.append(el('h3', undefined, title));
  const list = el('ul');
  for (const l of lines.slice(0, 5)) list.append(el('li', undefined, `${l.name}: ${formatUsd(l.usd)} · ${l.calls} call${l.calls === 1 ? '' : 's'}`));
  if (lines.length === 0) list.append(el('li', 'muted', 'nothing yet'));
  box.append(list);
  return box;
}

export function renderBudget(r: BudgetReport, onExport: () => void): HTMLElement {
  const section = details('budget', 'budget', true);
  const summary = el('summary', undefined, `Budget · ${formatUsd(r.spentYearUsd)} this year · ${formatUsd(r.spentTodayUsd)} today`);
  section.append(summary);
  section.append(el('p', `step step-${r.step}`, STEP_TEXT[r.step]));
  section.append(
    row('Background', `${formatUsd(r.backgroundSpentUsd)} of ${formatUsd(r.backgroundBudgetUsd)}`),
    row('Allowance to date', formatUsd(r.allowanceToDateUsd)),
    row('Escalation', `${formatUsd(r.escalationSpentUsd)} of ${formatUsd(r.escalationBudgetUsd)}`),
    row('This month', formatUsd(r.spentMonthUsd)),
    row('Runway', r.runwayDate ? `until ${r.runwayDate.slice(0, 10)}` : 'lasts the year'),
    row('Projected year end', formatUsd(r.projectedYearEndUsd)),
  );
  // What the same tokens would have cost at a frontier model's list price: the escalation profile's model, else GPT-5.4's.
  const saved = row(`Saved vs ${r.frontierModel} prices`, formatUsd(r.savedVsFrontierUsd));
  saved.title = `What the same calls would have cost at ${r.frontierModel}'s list price, minus what they cost (the escalation profile's model when one is chosen).`;
  section.append(saved);
  if (r.gateway) section.append(...gatewayRows(r.gateway));
  const ceiling = Math.max(r.backgroundBudgetUsd, ...r.burn.map((b) => b.spentUsd), 0.01);
  const yAxis = el('div', 'axis y-axis');
  yAxis.append(el('span', undefined, formatUsd(ceiling)), el('span', undefined, '$0'));
  const chart = el('div', 'chart');
  chart.append(yAxis, burnChart(r));
  const xAxis = el('div', 'axis x-axis');
  xAxis.append(el('span', undefined, r.yearStart.slice(0, 10)), el('span', undefined, `today ${r.at.slice(0, 10)}`), el('span', undefined, r.yearEnd.slice(0, 10)));
  section.append(chart, xAxis);
  const legend = el('p', 'legend');
  legend.append(el('span', 'key spent', 'spent'), el('span', 'key allowance', 'allowance'), el('span', 'key pace', 'even pace'), el('span', 'key cap', "year's background budget"));
  section.append(legend);
  const kinds = r.byKind.map((k) => ({
    ...k,
    name: `${taskKindLabel(k.name)} (${k.accepted} accepted${k.acceptedInPart ? `, ${k.acceptedInPart} of them in part` : ''}${k.costPerAcceptedUsd === null ? '' : `, ${formatUsd(k.costPerAcceptedUsd)} each`})`,
  }));
  section.append(top(kinds, 'By task kind'), top(r.byModel, 'By model'), top(r.byBackend, 'By backend'));
  if (r.ledgerProblems > 0) section.append(el('p', 'muted', `${r.ledgerProblems} unreadable ledger line(s) were skipped (see the log).`));
  const exportButton = el('button', 'btn secondary export', 'Export ledger…');
  exportButton.type = 'button';
  exportButton.addEventListener('click', onExport);
  section.append(exportButton);
  return section;
}
