/**
 * The proposals inbox: a keyed list that re-renders only the cards that changed (a thousand cards
 * stay cheap to update), filtered, sorted and grouped (by file or kind) as the user chose, driven by the keyboard as well as
 * the mouse (arrows or j/k between cards, Enter to expand, a/r/s to accept, reject or snooze), with
 * new cards announced to screen readers, with what their check proved. "Checked" here is what counts
 * as checked everywhere (countsAsChecked): tested, or type-checked where that is enough.
 */
import { countsAsChecked, evidenceOf } from '../../src/shared/evidence';
import type { Proposal } from '../../src/shared/types';
import { el } from './dom';
import { KIND_LABEL, renderCard, type Send } from './proposalCard';

export interface InboxView {
  filter: 'all' | 'checked' | 'stale' | 'fix' | 'todo' | 'review' | 'refactor';
  sort: 'newest' | 'oldest' | 'checkedFirst';
  /** Absent in a state saved before grouping existed: none. */
  group?: 'none' | 'file' | 'kind';
  expanded: string[];
}

export const DEFAULT_VIEW: InboxView = { filter: 'all', sort: 'checkedFirst', group: 'none', expanded: [] };

const FILTERS: Array<[InboxView['filter'], string]> = [
  ['all', 'All proposals'],
  ['checked', 'Checked (tested…)'],
  ['stale', 'Stale'],
  ['fix', KIND_LABEL.fix],
  ['todo', KIND_LABEL.todo],
  ['review', KIND_LABEL.review],
  ['refactor', KIND_LABEL.refactor],
];
const GROUPS: Array<[NonNullable<InboxView['group']>, string]> = [
  ['none', 'No grouping'],
  ['file', 'Group by file'],
  ['kind', 'Group by kind'],
];
const SORTS: Array<[InboxView['sort'], string]> = [
  ['checkedFirst', 'Checked first'],
  ['newest', 'Newest first'],
  ['oldest', 'Oldest first'],
];

/** `typeCheckedCounts`: the user's nightshift.typeCheckedCounts, for what counts as checked. */
function shown(list: readonly Proposal[], view: InboxView, typeCheckedCounts: boolean): Proposal[] {
  const f = view.filter;
  const checked = (p: Proposal) => countsAsChecked(p.check, typeCheckedCounts);
  const kept = list.filter((p) => f === 'all' || (f === 'checked' ? checked(p) && !p.stale : f === 'stale' ? !!p.stale : p.kind === f));
  const keyed = kept.map((p) => ({ p, age: Date.parse(p.createdAt) || 0, rank: p.stale ? 2 : checked(p) ? 0 : 1 }));
  keyed.sort((a, b) => (view.sort === 'oldest' ? a.age - b.age : view.sort === 'newest' ? b.age - a.age : a.rank - b.rank || b.age - a.age));
  const sorted = keyed.map((k) => k.p);
  if ((view.group ?? 'none') === 'none') return sorted;
  // Groups in the order their first card comes; the chosen order within each.
  const order = new Map<string, number>();
  for (const p of sorted) if (!order.has(groupOf(p, view))) order.set(groupOf(p, view), order.size);
  return sorted
    .map((p, i) => ({ p, i }))
    .sort((a, b) => order.get(groupOf(a.p, view))! - order.get(groupOf(b.p, view))! || a.i - b.i)
    .map((x) => x.p);
}

/** The group a card is in: its first file, or its kind's label. */
function groupOf(p: Proposal, view: InboxView): string {
  return view.group === 'file' ? (p.files[0]?.relativePath ?? '') : (KIND_LABEL[p.kind] ?? p.kind);
}

/** Everything a card shows, as one string: a card is rebuilt only when it changes. */
function signature(p: Proposal, expanded: boolean): string {
  const files = p.files.map((f) => `${f.relativePath}\u0001${f.diff}\u0001${f.hunks?.join('\u0002') ?? ''}`).join('\u0003');
  const u = p.usage;
  return [expanded, p.kind, p.title, p.rationale, p.stale, p.check?.status, p.check?.level, p.check?.untested, p.check?.detail, p.costUsd, p.source, p.model, u.inputTokens, u.outputTokens, p.partial?.accepted, p.partial?.rejected, files].join('\u0000');
}

export class Inbox {
  readonly root = el('section', 'proposals');
  private readonly controls = el('div', 'inbox-controls');
  private readonly list = el('div', 'cards');
  private readonly empty = el('p', 'empty');
  private readonly live = el('div', 'sr-only');
  private readonly cards = new Map<string, { node: HTMLElement; sig: string }>();
  /** Group headings by group, when grouped (visual only: each card names its file and kind itself). */
  private readonly headings = new Map<string, HTMLElement>();
  private known: Set<string> | undefined;
  /** The cards the live region last announced. */
  private announced: string[] = [];
  private current: Proposal[] = [];
  /** What `update` was last given, for re-sorting and toggling without a new snapshot. */
  private allLast: readonly Proposal[] = [];
  private emptyLast = '';
  private typeCheckedCountsLast = false;

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
    // The key help goes below the cards: nothing above the first card but one line of controls.
    this.root.append(this.controls, this.empty, this.list, help, this.live);
    this.renderControls();
  }

  /** Shows `proposals` (the ones waiting, snoozed ones already taken out); `emptyText` when none. */
  update(proposals: readonly Proposal[], emptyText: string, typeCheckedCounts = this.typeCheckedCountsLast): void {
    this.allLast = proposals;
    this.emptyLast = emptyText;
    this.typeCheckedCountsLast = typeCheckedCounts;
    this.announce(proposals);
    this.current = shown(proposals, this.view, typeCheckedCounts);
    const focusedId = (document.activeElement?.closest('[data-proposal-id]') as HTMLElement | null)?.dataset.proposalId;
    const keep = new Set<string>();
    const keepHeadings = new Set<string>();
    let previous: Element | null = null;
    const place = (node: Element) => {
      // Moves a node only when it is out of place.
      const want: Element | null = previous ? previous.nextElementSibling : this.list.firstElementChild;
      if (want !== node) this.list.insertBefore(node, want);
      previous = node;
    };
    const grouped = (this.view.group ?? 'none') !== 'none';
    const counts = new Map<string, number>();
    if (grouped) for (const p of this.current) counts.set(groupOf(p, this.view), (counts.get(groupOf(p, this.view)) ?? 0) + 1);
    let group: string | undefined;
    for (const p of this.current) {
      if (grouped && groupOf(p, this.view) !== group) {
        group = groupOf(p, this.view);
        const text = `${group || '(no file)'} · ${counts.get(group)}`;
        let heading = this.headings.get(group);
        if (!heading) {
          heading = el('h3', 'group-heading');
          heading.setAttribute('aria-hidden', 'true');
          this.headings.set(group, heading);
        }
        if (heading.textContent !== text) heading.textContent = text;
        keepHeadings.add(group);
        place(heading);
      }
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
      place(entry.node);
    }
    for (const [id, entry] of this.cards) {
      if (keep.has(id)) continue;
      entry.node.remove();
      this.cards.delete(id);
    }
    for (const [key, heading] of this.headings) {
      if (keepHeadings.has(key)) continue;
      heading.remove();
      this.headings.delete(key);
    }
    this.empty.textContent = this.current.length === 0 ? (proposals.length === 0 ? emptyText : 'No proposal matches this filter.') : '';
    this.empty.hidden = this.current.length > 0;
    // Nothing to show, sort or group: no controls.
    this.controls.hidden = proposals.length === 0;
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
      if (fresh.length === 1) this.live.textContent = `New proposal: ${fresh[0].title}, ${evidenceOf(fresh[0].check)}.`;
      else if (fresh.length > 1) this.live.textContent = `${fresh.length} new proposals.`;
      if (fresh.length > 0) this.announced = fresh.map((p) => p.id);
      // The announcement does not outlive its cards (accepted, rejected or gone stale out of the list).
      else if (this.announced.length > 0 && this.announced.every((id) => !ids.has(id))) {
        this.live.textContent = '';
        this.announced = [];
      }
    }
    this.known = ids;
  }

  /** One card in the tab order (roving tabindex); `focus`: move the focus there too. */
  private rove(id: string | undefined, focus: boolean): void {
    const first = this.current[0] && this.cards.get(this.current[0].id)?.node;
    const target = (id && this.cards.get(id)?.node) || first;
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
    // One line: each select says what it does in its chosen option; its label is for screen readers.
    const select = <T extends string>(label: string, options: Array<[T, string]>, value: T, set: (v: T) => void) => {
      const wrap = el('label', 'control');
      wrap.append(el('span', 'sr-only', `${label} `));
      const s = el('select');
      s.title = label;
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
      select('Group', GROUPS, this.view.group ?? 'none', (group) => this.setView({ ...this.view, group })),
    );
  }
}
