/** Small DOM helpers: every string is set as text, never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
}

/** Which sections the user opened or closed: kept across updates (and, through `onChange`, across reloads). */
const sectionState = new Map<string, boolean>();
let sectionsChanged: (open: Record<string, boolean>) => void = () => undefined;

export function restoreSections(open: Record<string, boolean> | undefined, onChange: (open: Record<string, boolean>) => void): void {
  for (const [k, v] of Object.entries(open ?? {})) if (typeof v === 'boolean') sectionState.set(k, v);
  sectionsChanged = onChange;
}

/** A <details> whose open state is the user's, not reset by the next render. */
export function section(key: string, className: string, defaultOpen: boolean): HTMLDetailsElement {
  const d = el('details', className);
  d.open = sectionState.get(key) ?? defaultOpen;
  d.addEventListener('toggle', () => {
    if (sectionState.get(key) === d.open) return;
    sectionState.set(key, d.open);
    sectionsChanged(Object.fromEntries(sectionState));
  });
  return d;
}
