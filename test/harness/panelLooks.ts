/**
 * What the panel looks like, measured inside its webview: the WCAG contrast ratio of its text and
 * buttons against what shows behind them, whether Accept looks unlike Reject, and whether Accept is
 * in the theme's own button colour. An expression for `frame.evaluate` (the webview's CSP allows no
 * other way in).
 */
export const PANEL_LOOKS = `(() => {
    const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
    const bg = (el) => { for (let e = el; e && e !== document.documentElement; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c; } return hex(getComputedStyle(document.documentElement).getPropertyValue('--vscode-sideBar-background')); };
    // A sidebar webview is transparent: what shows through is the side bar's background.
    function hex(v) { const h = v.trim().replace('#', ''); return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)); }
    const ratio = (el) => { const a = lum(rgb(getComputedStyle(el).color)), b = lum(bg(el)); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
    const out = {};
    for (const sel of ['.proposal .title', '.proposal .meta', '.check-type-checked, .check-tested, .check-unchecked', '.help', '.btn[data-action="accept"]', '.btn[data-action="reject"]', '.check-detail']) {
      const el = document.querySelector(sel);
      if (el) out[sel] = ratio(el);
    }
    const accept = document.querySelector('.btn[data-action="accept"]'), reject = document.querySelector('.btn[data-action="reject"]');
    const look = (el) => { const s = getComputedStyle(el); return [s.backgroundColor, s.borderTopWidth, s.borderTopColor, s.fontWeight].join(' '); };
    out.acceptLooksLikeReject = accept && reject ? look(accept) === look(reject) : true;
    // Plain buttons in the theme's own button colours (no web component draws them).
    const themed = (v) => { const p = document.createElement('span'); p.style.color = 'var(' + v + ')'; document.body.append(p); const c = getComputedStyle(p).color; p.remove(); return c; };
    out.acceptInThemeColour = !!accept && getComputedStyle(accept).backgroundColor === themed('--vscode-button-background');
    return out;
  })()`;
