/**
 * The Nightshift side panel. Renders what the extension sends (status, proposals, budget, policy)
 * and sends back requests; it keeps no state of its own beyond how the inbox is filtered and which
 * cards are open (kept across hiding and reloading the view). Plain DOM in the theme's colours
 * (panel.css, VS Code's CSS variables), no web components; every string from the model is set as
 * text, never HTML.
 */
import type { PanelRequest, PanelSnapshot, PanelUpdate } from '../../src/shared/panelProtocol';
import { formatBackendHealth, formatUsd } from '../../src/shared/format';
import type { AgentStatus, Proposal } from '../../src/shared/types';
import { renderBudget } from './budgetView';
import { section as details, el, restoreSections } from './dom';
import { DEFAULT_VIEW, Inbox, type InboxView } from './inbox';
import { actionButton, KIND_LABEL } from './proposalCard';
import { renderPolicy } from './policyView';
import { renderTuning, renderWeekly } from './tuningView';

/** What the panel keeps across hiding and reloading: the inbox's view and which sections are open. */
interface PanelState extends InboxView {
  open?: Record<string, boolean>;
}
interface VsCodeApi {
  postMessage(message: PanelRequest): void;
  getState(): PanelState | undefined;
  setState(state: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const send = (request: PanelRequest) => vscode.postMessage(request);
const app = document.getElementById('app')!;
const saved = vscode.getState();
let state: PanelState = { ...DEFAULT_VIEW, ...(saved && typeof saved === 'object' && Array.isArray(saved.expanded) ? saved : {}) };
restoreSections(state.open, (open) => vscode.setState((state = { ...state, open })));
const inbox = new Inbox(state, send, (v) => vscode.setState((state = { ...state, ...v })));
const statusSlot = el('div');
const undoSlot = el('div');
const snoozedSlot = el('div');
const restSlot = el('div');
/** This view's part of the panel: the inbox, or the Budget (with the Policy). */
const part = document.body.dataset.part === 'budget' ? 'budget' : 'inbox';
if (part === 'budget') app.append(restSlot);
else app.append(statusSlot, undoSlot, inbox.root, snoozedSlot);

const STATE_LABEL: Record<AgentStatus['state'], string> = {
  starting: 'Starting',
  idle: 'Idle',
  working: 'Working',
  paused: 'Paused',
  error: 'Error',
  needsSetup: 'Needs setup',
  untrusted: 'Not running',
};

function renderStatus(status: AgentStatus, host: string | undefined): HTMLElement {
  // Idle or working with nothing to ask of the user: one line of status, the rest of the view for cards.
  const compact = (status.state === 'idle' || status.state === 'working') && !status.action;
  const section = el('section', `status status-${status.state}${compact ? ' compact' : ''}`);
  section.setAttribute('aria-label', 'Agent status');
  const head = el('div', 'status-head');
  if (status.state === 'working' || status.state === 'starting') {
    const ring = el('span', 'ring');
    ring.setAttribute('role', 'progressbar');
    ring.setAttribute('aria-label', 'Working');
    head.append(ring);
  } else {
    head.append(el('span', 'dot'));
  }
  head.append(el('strong', 'state', STATE_LABEL[status.state] + (host ? ' (daemon)' : '')));
  head.append(el('span', 'spend', `${formatUsd(status.spendTodayUsd)} today`));
  const detail = el('p', 'detail', status.detail);
  if (compact) detail.title = status.detail;
  section.append(head, detail);

  const actions = el('div', 'actions');
  if (status.action === 'setApiKey') {
    // No key yet: the two ways in.
    actions.append(
      actionButton('Use MiniMax — set key', { type: 'command/run', action: 'setApiKey' }, send, { action: 'set-key' }),
      actionButton('Use a local model — detect', { type: 'command/run', action: 'detectLocalModels' }, send, { secondary: true, action: 'detect-local' }),
      actionButton('Set up step by step', { type: 'command/run', action: 'openWalkthrough' }, send, { secondary: true, action: 'walkthrough' }),
    );
  }
  if (status.state === 'untrusted') actions.append(actionButton('Trust this workspace…', { type: 'command/run', action: 'manageTrust' }, send, { action: 'trust' }));
  if (status.action === 'openSettings') actions.append(actionButton('Open Settings', { type: 'command/run', action: 'openSettings' }, send));
  if (status.state === 'paused') actions.append(actionButton('Resume', { type: 'agent/setPaused', paused: false }, send));
  // Pause while idle or working is in the view's title bar (it takes no room from the cards).
  if (status.state === 'error' || status.state === 'paused') actions.append(actionButton('Show Log', { type: 'command/run', action: 'showLog' }, send, { secondary: true }));
  if (actions.childElementCount > 0) section.append(actions);
  if (status.backends && status.backends.length > 0) {
    const health = details('health', 'health', false);
    health.append(el('summary', undefined, 'Backends, last hour'));
    const list = el('ul');
    for (const b of status.backends) list.append(el('li', b.errors > 0 ? 'has-errors' : undefined, formatBackendHealth(b)));
    health.append(list);
    section.append(health);
  }
  return section;
}

/** "Rejected “…”. Undo" for a few seconds after a reject; "Snoozed “…”. Undo" after a snooze. */
function renderUndo(undo: PanelSnapshot['undo']): HTMLElement[] {
  if (!undo) return [];
  const bar = el('div', 'undo');
  bar.setAttribute('role', 'status');
  bar.append(el('span', undefined, `${undo.what === 'rejected' ? 'Rejected' : 'Snoozed'} “${undo.title}”. `));
  bar.append(actionButton('Undo', { type: 'proposal/undo', id: undo.id }, send, { secondary: true, ariaLabel: `Undo: ${undo.what} ${undo.title}`, action: 'undo' }));
  return [bar];
}

/** "N snoozed", each with the time it comes back and a Wake button. */
function renderSnoozed(snoozed: Proposal[]): HTMLElement[] {
  if (snoozed.length === 0) return [];
  const box = details('snoozed', 'snoozed', false);
  box.append(el('summary', undefined, `${snoozed.length} snoozed`));
  for (const p of snoozed) {
    const row = el('div', 'snoozed-row');
    const until = p.snoozedUntil ? new Date(p.snoozedUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
    row.append(el('span', undefined, `${p.title} · ${KIND_LABEL[p.kind] ?? p.kind} · back at ${until} `));
    row.append(actionButton('Wake', { type: 'proposal/unsnooze', id: p.id }, send, { secondary: true, ariaLabel: `Un-snooze: ${p.title}`, action: 'unsnooze' }));
    box.append(row);
  }
  return [box];
}

/** What the empty inbox says, true to the agent's state. */
function emptyText(status: AgentStatus): string {
  switch (status.state) {
    case 'untrusted':
      return 'Nothing to review: Nightshift runs once this workspace is trusted.';
    case 'needsSetup':
      return 'Nothing to review yet: Nightshift needs setting up first (see above).';
    case 'paused':
      return 'Nothing to review. Nightshift is paused.';
    default:
      return 'No proposals yet. Save a file that has an error and Nightshift will work out a fix.';
  }
}

function render(snapshot: PanelSnapshot): void {
  if (part === 'budget') {
    const budget = snapshot.budget
      ? [...renderWeekly(snapshot.budget), renderBudget(snapshot.budget, () => send({ type: 'command/run', action: 'exportLedger' })), ...renderTuning(snapshot.budget, send), ...renderPolicy(snapshot.budget)]
      : [el('p', 'empty', 'The budget shows once the agent has started.')];
    restSlot.replaceChildren(...budget);
    return;
  }
  statusSlot.replaceChildren(renderStatus(snapshot.status, snapshot.host));
  undoSlot.replaceChildren(...renderUndo(snapshot.undo));
  inbox.update(
    snapshot.proposals.filter((p) => !p.snoozedUntil),
    emptyText(snapshot.status),
    snapshot.typeCheckedCounts === true,
  );
  snoozedSlot.replaceChildren(...renderSnoozed(snapshot.proposals.filter((p) => p.snoozedUntil)));
}

window.addEventListener('message', (event: MessageEvent<PanelUpdate>) => {
  const message = event.data;
  if (message?.type === 'state/update') render(message.snapshot);
  else if (message?.type === 'reveal' && typeof message.id === 'string') inbox.reveal(message.id);
});

send({ type: 'panel/ready' });
