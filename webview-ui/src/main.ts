/**
 * The Nightshift side panel. Renders what the extension sends (status and proposals) and sends
 * back requests; it keeps no state of its own beyond which diffs are collapsed. Built with plain
 * DOM and @vscode-elements components; every string from the model is set as text, never HTML.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { PanelRequest, PanelSnapshot, PanelUpdate } from '../../src/shared/panelProtocol';
import { formatBackendHealth, formatUsd } from '../../src/shared/format';
import type { AgentStatus, EscalationItem, Proposal } from '../../src/shared/types';
import { renderBudget } from './budgetView';
import { renderPolicy } from './policyView';
import { el } from './dom';

interface VsCodeApi {
  postMessage(message: PanelRequest): void;
  getState(): UiState | undefined;
  setState(state: UiState): void;
}
interface UiState {
  collapsed: string[];
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
let uiState: UiState = vscode.getState() ?? { collapsed: [] };
let snapshot: PanelSnapshot | undefined;


function button(label: string, request: PanelRequest, options: { secondary?: boolean; ariaLabel?: string; action?: string } = {}): HTMLElement {
  const b = document.createElement('vscode-button');
  b.textContent = label;
  if (options.secondary) b.setAttribute('secondary', '');
  if (options.ariaLabel) b.setAttribute('aria-label', options.ariaLabel);
  if (options.action) b.dataset.action = options.action;
  b.addEventListener('click', () => {
    b.setAttribute('disabled', '');
    vscode.postMessage(request);
  });
  return b;
}

const STATE_LABEL: Record<AgentStatus['state'], string> = {
  starting: 'Starting',
  idle: 'Idle',
  working: 'Working',
  paused: 'Paused',
  error: 'Error',
  needsSetup: 'Needs setup',
  untrusted: 'Not running',
};

function renderStatus(status: AgentStatus): HTMLElement {
  const section = el('section', `status status-${status.state}`);
  section.setAttribute('aria-label', 'Agent status');
  const head = el('div', 'status-head');
  if (status.state === 'working' || status.state === 'starting') {
    const ring = document.createElement('vscode-progress-ring');
    ring.className = 'ring';
    head.append(ring);
  } else {
    head.append(el('span', 'dot'));
  }
  head.append(el('strong', 'state', STATE_LABEL[status.state]));
  head.append(el('span', 'spend', `${formatUsd(status.spendTodayUsd)} today`));
  section.append(head, el('p', 'detail', status.detail));

  const actions = el('div', 'actions');
  if (status.action === 'setApiKey') actions.append(button('Set API Key', { type: 'command/run', action: 'setApiKey' }));
  if (status.action === 'openSettings') actions.append(button('Open Settings', { type: 'command/run', action: 'openSettings' }));
  if (status.state === 'paused') actions.append(button('Resume', { type: 'agent/setPaused', paused: false }));
  else if (status.state === 'idle' || status.state === 'working') {
    actions.append(button('Pause', { type: 'agent/setPaused', paused: true }, { secondary: true }));
  }
  if (status.state === 'error' || status.state === 'paused') {
    actions.append(button('Show Log', { type: 'command/run', action: 'showLog' }, { secondary: true }));
  }
  if (actions.childElementCount > 0) section.append(actions);
  if (status.backends && status.backends.length > 0) {
    const health = el('details', 'health');
    health.append(el('summary', undefined, 'Backends, last hour'));
    const list = el('ul');
    for (const b of status.backends) list.append(el('li', b.errors > 0 ? 'has-errors' : undefined, formatBackendHealth(b)));
    health.append(list);
    section.append(health);
  }
  return section;
}

function renderDiff(diff: string): HTMLElement {
  const pre = el('pre', 'diff');
  pre.tabIndex = 0;
  pre.setAttribute('aria-label', 'Proposed change');
  for (const line of diff.split('\n')) {
    if (line.startsWith('---') || line.startsWith('+++') || line === '\\ No newline at end of file') continue;
    const kind = line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx';
    pre.append(el('span', `line ${kind}`, line + '\n'));
  }
  return pre;
}

function formatTokens(n: number): string {
  return n.toLocaleString('en-US');
}

const KIND_LABEL: Record<string, string> = { fix: 'fix', todo: 'marker comment', review: 'review', refactor: 'refactor' };

function renderProposal(p: Proposal): HTMLElement {
  const card = el('article', p.stale ? 'proposal stale' : 'proposal');
  card.dataset.proposalId = p.id;
  card.setAttribute('aria-label', `${p.stale ? 'Stale proposal' : 'Proposal'}: ${p.title}`);
  card.append(el('h2', 'title', p.title));
  if (p.stale) card.append(el('p', 'stale-note', `Stale: ${p.stale}. It can no longer be applied.`));
  if (p.rationale) card.append(el('p', 'rationale', p.rationale));
  const collapsed = uiState.collapsed.includes(p.id);
  for (const file of p.files) {
    const toggle = el('button', 'file', `${collapsed ? '▸' : '▾'} ${file.relativePath}`);
    toggle.setAttribute('aria-expanded', String(!collapsed));
    toggle.addEventListener('click', () => {
      uiState = {
        collapsed: collapsed ? uiState.collapsed.filter((id) => id !== p.id) : [...uiState.collapsed, p.id],
      };
      vscode.setState(uiState);
      render();
    });
    card.append(toggle);
    if (!collapsed) card.append(renderDiff(file.diff));
  }
  if (p.check) {
    const label = p.check.status === 'passed' ? `✓ ${p.check.detail}` : p.check.status === 'failed' ? `✗ ${p.check.detail}` : `Not checked: ${p.check.detail}`;
    card.append(el('p', `check check-${p.check.status}`, label));
  }
  const u = p.usage;
  const cost = p.costUsd === null ? 'cost unknown' : formatUsd(p.costUsd);
  card.append(el('p', 'meta', `${KIND_LABEL[p.kind] ?? p.kind} · ${p.model} · ${formatTokens(u.inputTokens)} in / ${formatTokens(u.outputTokens)} out tokens · ${cost}`));
  const actions = el('div', 'actions');
  if (p.stale) {
    actions.append(button('Dismiss', { type: 'proposal/reject', id: p.id }, { secondary: true, ariaLabel: `Dismiss: ${p.title}`, action: 'reject' }));
  } else {
    actions.append(
      button('Accept', { type: 'proposal/accept', id: p.id }, { ariaLabel: `Accept: ${p.title}`, action: 'accept' }),
      button('Reject', { type: 'proposal/reject', id: p.id }, { secondary: true, ariaLabel: `Reject: ${p.title}`, action: 'reject' }),
      button('Open diff', { type: 'proposal/openDiff', id: p.id }, { secondary: true, ariaLabel: `Open diff: ${p.title}`, action: 'open-diff' }),
      button('Snooze', { type: 'proposal/snooze', id: p.id }, { secondary: true, ariaLabel: `Snooze for 4 hours: ${p.title}`, action: 'snooze' }),
    );
  }
  card.append(actions);
  return card;
}

/** Tasks the background model could not do: each may go to the escalation profile, its cost asked first. */
function renderEscalations(items: EscalationItem[]): HTMLElement[] {
  if (items.length === 0) return [];
  const section = el('section', 'escalations');
  section.setAttribute('aria-label', 'Tasks that need a stronger model');
  section.append(el('h2', 'section-title', 'Needs a stronger model'));
  for (const item of items) {
    const row = el('div', 'escalation');
    row.dataset.escalationId = item.id;
    row.append(el('p', 'escalation-what', `${KIND_LABEL[item.kind] ?? item.kind} · ${item.relativePath}`), el('p', 'escalation-why', item.reason));
    const actions = el('div', 'actions');
    actions.append(button('Escalate…', { type: 'escalation/escalate', id: item.id }, { secondary: true, ariaLabel: `Escalate the ${item.kind} for ${item.relativePath}; the cost is shown first`, action: 'escalate' }));
    row.append(actions);
    section.append(row);
  }
  return [section];
}

function render(): void {
  if (!snapshot) return;
  const focusedId = (document.activeElement?.closest('[data-proposal-id]') as HTMLElement | null)?.dataset.proposalId;
  const list = el('section', 'proposals');
  list.setAttribute('aria-label', 'Proposals');
  if (snapshot.proposals.length === 0) {
    list.append(el('p', 'empty', 'No proposals yet. Save a file that has an error and Nightshift will work out a fix.'));
  }
  for (const p of snapshot.proposals) list.append(renderProposal(p));
  const budget = snapshot.budget ? [renderBudget(snapshot.budget, () => vscode.postMessage({ type: 'command/run', action: 'exportLedger' }))] : [];
  const policy = snapshot.budget ? renderPolicy(snapshot.budget) : [];
  app.replaceChildren(renderStatus(snapshot.status), list, ...renderEscalations(snapshot.escalations ?? []), ...budget, ...policy);
  if (focusedId) (app.querySelector(`[data-proposal-id="${CSS.escape(focusedId)}"] vscode-button`) as HTMLElement | null)?.focus();
  const known = new Set(snapshot.proposals.map((p) => p.id));
  if (uiState.collapsed.some((id) => !known.has(id))) {
    uiState = { collapsed: uiState.collapsed.filter((id) => known.has(id)) };
    vscode.setState(uiState);
  }
}

window.addEventListener('message', (event: MessageEvent<PanelUpdate>) => {
  const message = event.data;
  if (message?.type !== 'state/update') return;
  snapshot = message.snapshot;
  render();
});

vscode.postMessage({ type: 'panel/ready' });
