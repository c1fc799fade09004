/**
 * One proposal as a compact card: title, then file · kind · what its check proved · cost on one line; the
 * diff collapsed until asked for, wrapped (never a sideways scrollbar), hunk by hunk with its own
 * Accept / Reject where there is more than one. Every string is set as text.
 */
import { evidenceKey, evidenceLine, evidenceOf } from '../../src/shared/evidence';
import { formatUsd } from '../../src/shared/format';
import type { PanelRequest } from '../../src/shared/panelProtocol';
import type { Proposal } from '../../src/shared/types';
import { el } from './dom';

export const KIND_LABEL: Record<string, string> = { fix: 'fix', todo: 'marker comment', review: 'review', refactor: 'refactor' };

export type Send = (request: PanelRequest) => void;

/** Requests that may be sent again from the same button: opening the diff, running a command (whose prompt the user may have cancelled). */
const REPEATABLE = new Set<PanelRequest['type']>(['proposal/openDiff', 'command/run']);

/**
 * A button that sends `request` — once, for a decision (the card goes when it is taken); again on
 * every click for what can be repeated (REPEATABLE). Plain <button>s styled with the theme's
 * button colours: a thousand cards of web components cost too much to render (measured in the
 * panel bench).
 */
export function actionButton(label: string, request: PanelRequest, send: Send, options: { secondary?: boolean; ariaLabel?: string; action?: string } = {}): HTMLElement {
  const b = el('button', options.secondary ? 'btn secondary' : 'btn');
  b.type = 'button';
  b.textContent = label;
  if (options.ariaLabel) b.setAttribute('aria-label', options.ariaLabel);
  if (options.action) b.dataset.action = options.action;
  b.addEventListener('click', (e) => {
    e.stopPropagation();
    if (!REPEATABLE.has(request.type)) b.disabled = true;
    send(request);
  });
  return b;
}

function renderDiff(diff: string, label: string): HTMLElement {
  const pre = el('pre', 'diff');
  pre.setAttribute('aria-label', label);
  for (const line of diff.split('\n')) {
    if (line.startsWith('---') || line.startsWith('+++') || line === '\\ No newline at end of file') continue;
    const kind = line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx';
    pre.append(el('span', `line ${kind}`, line + '\n'));
  }
  return pre;
}

/** The evidence word, and its style: check-tested, check-type-checked, check-unchecked, check-silences, check-failed. */
function checkLabel(p: Proposal): { text: string; key: string } {
  return { text: evidenceOf(p.check), key: evidenceKey(p.check) };
}

export function renderCard(p: Proposal, expanded: boolean, send: Send, onToggle: () => void): HTMLElement {
  const card = el('article', `proposal${p.stale ? ' stale' : ''}${expanded ? ' expanded' : ''}`);
  card.dataset.proposalId = p.id;
  card.tabIndex = -1;
  const check = checkLabel(p);
  card.setAttribute('aria-label', `${p.stale ? 'Stale ' : ''}${KIND_LABEL[p.kind] ?? p.kind}: ${p.title}, ${check.text}`);
  card.setAttribute('aria-expanded', String(expanded));

  const head = el('button', 'card-head');
  head.setAttribute('aria-label', `${expanded ? 'Collapse' : 'Expand'}: ${p.title}`);
  head.append(el('span', 'chevron', expanded ? '▾' : '▸'), el('span', 'title', p.title));
  head.addEventListener('click', onToggle);
  card.append(head);

  const files = p.files.map((f) => f.relativePath).join(', ');
  const cost = p.source === 'compiler' ? 'compiler fix, free' : p.costUsd === null ? 'cost unknown' : p.costUsd === 0 ? 'free' : formatUsd(p.costUsd);
  const meta = el('p', 'meta');
  meta.append(el('span', 'where', files), el('span', undefined, ` · ${KIND_LABEL[p.kind] ?? p.kind} · `), el('span', `check check-${check.key}`, check.text), el('span', undefined, ` · ${cost}`));
  if (p.partial) meta.append(el('span', undefined, ` · ${p.partial.accepted} hunk(s) accepted, ${p.partial.rejected} rejected`));
  card.append(meta);
  if (p.stale) card.append(el('p', 'stale-note', `Stale: ${p.stale}. It can no longer be applied.`));

  if (expanded) {
    if (p.rationale) card.append(el('p', 'rationale', p.rationale));
    card.append(el('p', 'check-detail', evidenceLine(p.check)));
    p.files.forEach((file, fi) => {
      if (p.files.length > 1) card.append(el('h3', 'file', file.relativePath));
      if (!file.hunks || p.stale) {
        card.append(renderDiff(file.diff, `Proposed change to ${file.relativePath}`));
        return;
      }
      file.hunks.forEach((hunk, hi) => {
        const box = el('div', 'hunk-box');
        box.append(renderDiff(hunk, `Hunk ${hi + 1} of ${file.hunks!.length} in ${file.relativePath}`));
        const acts = el('div', 'actions hunk-actions');
        acts.append(
          actionButton('Accept hunk', { type: 'proposal/acceptHunk', id: p.id, file: fi, hunk: hi }, send, { secondary: true, ariaLabel: `Accept hunk ${hi + 1} of ${p.title}`, action: 'accept-hunk' }),
          actionButton('Reject hunk', { type: 'proposal/rejectHunk', id: p.id, file: fi, hunk: hi }, send, { secondary: true, ariaLabel: `Reject hunk ${hi + 1} of ${p.title}`, action: 'reject-hunk' }),
        );
        box.append(acts);
        card.append(box);
      });
    });
    const u = p.usage;
    card.append(el('p', 'meta', p.source === 'compiler' ? `${p.model}'s own code fix · no model asked` : `${p.model} · ${u.inputTokens.toLocaleString('en-US')} in / ${u.outputTokens.toLocaleString('en-US')} out tokens`));
  }

  const actions = el('div', 'actions');
  if (p.stale) {
    actions.append(actionButton('Dismiss', { type: 'proposal/reject', id: p.id }, send, { secondary: true, ariaLabel: `Dismiss: ${p.title}`, action: 'reject' }));
  } else {
    actions.append(
      actionButton('✓ Accept', { type: 'proposal/accept', id: p.id }, send, { ariaLabel: `Accept: ${p.title}`, action: 'accept' }),
      actionButton('✕ Reject', { type: 'proposal/reject', id: p.id }, send, { secondary: true, ariaLabel: `Reject: ${p.title}`, action: 'reject' }),
      actionButton('Diff', { type: 'proposal/openDiff', id: p.id }, send, { secondary: true, ariaLabel: `Open diff: ${p.title}`, action: 'open-diff' }),
      actionButton('Snooze', { type: 'proposal/snooze', id: p.id }, send, { secondary: true, ariaLabel: `Snooze for 4 hours: ${p.title}`, action: 'snooze' }),
    );
  }
  card.append(actions);
  return card;
}
