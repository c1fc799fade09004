/**
 * The proposals inbox: a keyed list that re-renders only the cards that changed (a thousand cards
 * stay cheap to update), filtered and sorted as the user chose, driven by the keyboard as well as
 * the mouse (arrows or j/k between cards, Enter to expand, a/r/s to accept, reject or snooze), with
 * new cards announced to screen readers.
 */
import type { Proposal } from '../../src/shared/types';
import { el } from './dom';
import { KIND_LABEL, renderCard, type Send } from './proposalCard';

export interface InboxView {
  filter: 'all' | 'checked' | 'stale' | 'fix' | 'todo' | 'review' | 'refactor';
  sort: 'newest' | 'oldest' | 'checkedFirst';
  expanded: string[];
}

export const DEFAULT_VIEW: InboxView = { filter: 'all', sort: 'checkedFirst', expanded: [] };

const FILTERS: Array<[InboxView['filter'], string]> = [
  ['all', 'All'],
  ['checked', 'Checked'],
  ['stale', 'Stale'],
  ['fix', KIND_LABEL.fix],
  ['todo', KIND_LABEL.todo],
  ['review', KIND_LABEL.review],
  ['refactor', KIND_LABEL.refactor],
];
const SORTS: Array<[InboxView['sort'], string]> = [
  ['checkedFirst', 'Checked first'],
  ['newest', 'Newest first'],
  ['oldest', 'Oldest first'],
];

function shown(list: readonly Proposal[], view: InboxView): Proposal[] {
  const f = view.filter;
  const kept = list.filter((p) => f === 'all' || (f === 'checked' ? p.check?.status === 'passed' && !p.stale : f === 'stale' ? !!p.stale : p.kind === f));
  const keyed = kept.map((p) => ({ p, age: Date.parse(p.createdAt) || 0, rank: p.stale ? 2 : p.check?.status === 'passed' ? 0 : 1 }));
  keyed.sort((a, b) => (view.sort === 'oldest' ? a.age - b.age : view.sort === 'newest' ? b.age - a.age : a.rank - b.rank || b.age - a.age));
  return keyed.map((k) => k.p);
}

/** Everything a card shows, as one string: a card is rebuilt only when it changes. */
function signature(p: Proposal, expanded: boolean): string {
  const files = p.files.map((f) => `${f.relativePath}\u0001${f.diff}\u0001${f.hunks?.join('\u0002') ?? ''}`).join('\u0003');
  const u = p.usage;
  return [expanded, p.kind, p.title, p.rationale, p.stale, p.check?.status, p.check?.detail, p.costUsd, p.source, p.model, u.inputTokens, u.outputTokens, p.partial?.accepted, p.partial?.rejected, files].join('\u0000');
}

export class Inbox {
  readonly root = el('section', 'proposals');
  private readonly controls = el('div', 'inbox-controls');
  private readonly list = el('div', 'cards');
  private readonly empty = el('p', 'empty');
  private readonly live = el('div', 'sr-only');
  private readonly cards = new Map<string, { node: HTMLElement; sig: string }>();
  private known: Set<string> | undefined;
  private current: Proposal[] = [];
  /** What `update` was last given, for re-sorting and toggling without a new snapshot. */
  private allLast: readonly Proposal[] = [];
  private emptyLast = '';

  constructor(
    private view: InboxView,
    private readonly send: Send,
    private readonly saveView: (view: InboxView) => void,
  ) {
    this.root.setAttribute('aria-label', 'Proposals');
    this.live.setAttribute('aria-live', 'polite');
    this.live.setAttribute('role', 'status');
    this.list.setAttribute('role', 'list');
    this.list.addEventListener('keydown', (e) => this.onKey(e));
    const help = el('p', 'help', 'Keys: ↑/↓ or j/k move · Enter expands · a accept · r reject · s snooze');
    this.root.append(this.controls, help, this.empty, this.list, this.live);
    this.renderControls();
  }

  /** Shows `proposals` (the ones waiting, snoozed ones already taken out); `emptyText` when none. */
  update(proposals: readonly Proposal[], emptyText: string): void {
    this.allLast = proposals;
    this.emptyLast = emptyText;
    this.announce(proposals);
    this.current = shown(proposals, this.view);
    const focusedId = (document.activeElement?.closest('[data-proposal-id]') as HTMLElement | null)?.dataset.proposalId;
    const keep = new Set<string>();
    let previous: Element | null = null;
    for (const p of this.current) {
      const expanded = this.view.expanded.includes(p.id);
      const sig = signature(p, expanded);
      let entry = this.cards.get(p.id);
      if (!entry || entry.sig !== sig) {
        const node = renderCard(p, expanded, this.send, () => this.toggle(p.id));
        node.setAttribute('role', 'listitem');
        if (entry) entry.node.replaceWith(node);
        entry = { node, sig };
        this.cards.set(p.id, entry);
      }
      keep.add(p.id);
      // Moves a card only when it is out of place.
      const want: Element | null = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (want !== entry.node) this.list.insertBefore(entry.node, want);
      previous = entry.node;
    }
    for (const [id, entry] of this.cards) {
      if (keep.has(id)) continue;
      entry.node.remove();
      this.cards.delete(id);
    }
    this.empty.textContent = this.current.length === 0 ? (proposals.length === 0 ? emptyText : 'No proposal matches this filter.') : '';
    this.empty.hidden = this.current.length > 0;
    this.rove(focusedId && this.cards.has(focusedId) ? focusedId : undefined, focusedId !== undefined);
  }

  /** Scrolls to a card and focuses it (a "Show in Nightshift" from the editor). */
  reveal(id: string): void {
    const entry = this.cards.get(id);
    if (!entry) return;
    entry.node.scrollIntoView({ block: 'nearest' });
    this.rove(id, true);
  }

  private announce(proposals: readonly Proposal[]): void {
    const ids = new Set(proposals.map((p) => p.id));
    if (this.known) {
      const fresh = proposals.filter((p) => !this.known!.has(p.id));
      if (fresh.length === 1) this.live.textContent = `New proposal: ${fresh[0].title}${fresh[0].check?.status === 'passed' ? ', checked' : ''}.`;
      else if (fresh.length > 1) this.live.textContent = `${fresh.length} new proposals.`;
    }
    this.known = ids;
  }

  /** One card in the tab order (roving tabindex); `focus`: move the focus there too. */
  private rove(id: string | undefined, focus: boolean): void {
    const target = (id && this.cards.get(id)?.node) || (this.list.firstElementChild as HTMLElement | null);
    for (const { node } of this.cards.values()) {
      const want = node === target ? 0 : -1;
      if (node.tabIndex !== want) node.tabIndex = want;
    }
    if (focus && target && !target.contains(document.activeElement)) target.focus();
  }

  private toggle(id: string): void {
    const open = this.view.expanded.includes(id);
    this.setView({ ...this.view, expanded: open ? this.view.expanded.filter((x) => x !== id) : [...this.view.expanded, id] });
    this.update(this.allLast, this.emptyLast);
    this.rove(id, true);
  }


  private setView(view: InboxView): void {
    const open = new Set([...this.cards.keys(), ...this.allLast.map((p) => p.id)]);
    this.view = { ...view, expanded: view.expanded.filter((id) => open.has(id)) };
    this.saveView(this.view);
  }

  private onKey(e: KeyboardEvent): void {
    const card = (e.target as HTMLElement).closest('[data-proposal-id]') as HTMLElement | null;
    if (!card || e.altKey || e.ctrlKey || e.metaKey) return;
    const id = card.dataset.proposalId!;
    const at = this.current.findIndex((p) => p.id === id);
    const move = (to: number) => {
      const p = this.current[Math.max(0, Math.min(this.current.length - 1, to))];
      if (p) this.rove(p.id, true);
    };
    const onButton = (e.target as HTMLElement).tagName === 'BUTTON';
    const act = (action: string) => (card.querySelector(`:scope > .actions button[data-action="${action}"]`) as HTMLElement | null)?.click();
    switch (e.key) {
      case 'ArrowDown':
      case 'j':
        move(at + 1);
        break;
      case 'ArrowUp':
      case 'k':
        move(at - 1);
        break;
      case 'Enter':
        if (onButton) return;
        this.toggle(id);
        break;
      case 'a':
        act('accept');
        break;
      case 'r':
        act('reject');
        break;
      case 's':
        act('snooze');
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  private renderControls(): void {
    const select = <T extends string>(label: string, options: Array<[T, string]>, value: T, set: (v: T) => void) => {
      const wrap = el('label', 'control', `${label} `);
      const s = el('select');
      for (const [v, text] of options) {
        const o = el('option', undefined, text);
        o.value = v;
        o.selected = v === value;
        s.append(o);
      }
      s.addEventListener('change', () => {
        set(s.value as T);
        this.update(this.allLast, this.emptyLast);
      });
      wrap.append(s);
      return wrap;
    };
    this.controls.replaceChildren(
      select('Show', FILTERS, this.view.filter, (filter) => this.setView({ ...this.view, filter })),
      select('Sort', SORTS, this.view.sort, (sort) => this.setView({ ...this.view, sort })),
    );
  }
}
