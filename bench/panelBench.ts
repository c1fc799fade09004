/**
 * The panel's render cost in Chromium: the production webview bundle on a page of its own, given
 * 1,000 proposals (first render), then the same list with one card changed (an update must touch
 * that card only). The bundle talks to a stand-in for VS Code's webview API that records messages.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launchBrowser, makeRunDir } from '../test/harness/codeServer';
import { REPO_ROOT } from '../test/harness/testEnv';
import type { Proposal } from '../src/shared/types';
import type { Measured } from './providerBench';

const CARDS = 1000;
const RUNS = 5;

function proposal(i: number): Proposal {
  const name = `value${i}`;
  return {
    id: `p${String(i).padStart(15, '0')}`,
    kind: i % 4 === 0 ? 'review' : 'fix',
    title: `Make ${name} a number`,
    rationale: 'a string was assigned to a number',
    files: [
      {
        uri: `file:///ws/src/f${i}.ts`,
        relativePath: `src/f${i}.ts`,
        baseHash: 'a'.repeat(64),
        replacements: [{ offset: 0, length: 10, newText: 'x', search: 'y'.repeat(10) }],
        diff: `--- a/src/f${i}.ts\n+++ b/src/f${i}.ts\n@@ -1,1 +1,1 @@\n-export const ${name}: number = "1";\n+export const ${name}: number = 1;\n`,
      },
    ],
    model: 'MiniMax-M2.7',
    usage: { inputTokens: 1800, cachedInputTokens: 1000, outputTokens: 200, reasoningTokens: 50 },
    costUsd: 0.0006,
    createdAt: new Date(Date.UTC(2026, 11, 1) + i * 1000).toISOString(),
    check: { status: i % 3 === 0 ? 'unchecked' : 'passed', detail: 'Checked with TypeScript 5.9.3: the problem is gone, no new error.' },
  };
}

export async function panelRows(): Promise<Measured[]> {
  const runDir = makeRunDir('bench-panel');
  const browser = await launchBrowser(runDir);
  try {
    const { page } = browser;
    const css = fs.readFileSync(path.join(REPO_ROOT, 'dist', 'webview.css'), 'utf8');
    await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body><main id="app"></main></body></html>`);
    await page.evaluate('window.acquireVsCodeApi = () => ({ postMessage() {}, getState() { return undefined; }, setState() {} })');
    await page.addScriptTag({ content: fs.readFileSync(path.join(REPO_ROOT, 'dist', 'webview.js'), 'utf8') });
    const proposals = Array.from({ length: CARDS }, (_, i) => proposal(i));
    const status = { state: 'idle', detail: 'Idle.', spendTodayUsd: 0, queued: 0 };
    /** Posts a snapshot and times the synchronous render, layout included (a forced reflow). */
    const timed = (list: Proposal[]) =>
      page.evaluate(
        `(() => {
          const data = { type: 'state/update', snapshot: { status: ${JSON.stringify(status)}, proposals: ${JSON.stringify(list)}, escalations: [] } };
          const t0 = performance.now();
          window.dispatchEvent(new MessageEvent('message', { data }));
          document.body.offsetHeight;
          return [performance.now() - t0, document.querySelectorAll('.proposal').length];
        })()`,
      ) as Promise<[number, number]>;
    const first: number[] = [];
    const update: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // A fresh list each run: an empty snapshot clears the cards, so the next render is a first one.
      await timed([]);
      const [ms, cards] = await timed(proposals);
      if (cards !== CARDS) throw new Error(`the panel rendered ${cards} cards, not ${CARDS}`);
      first.push(ms);
      const changed = proposals.map((p, i) => (i === 500 ? { ...p, title: `${p.title} (run ${run})` } : p));
      update.push((await timed(changed))[0]);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return [
      { metric: `panel: first render of ${CARDS.toLocaleString('en-US')} proposals (Chromium, median of ${RUNS})`, measured: median(first), unit: 'ms', target: 150, kind: 'max' },
      { metric: `panel: update of one card among ${CARDS.toLocaleString('en-US')} (median of ${RUNS})`, measured: median(update), unit: 'ms', target: 16, kind: 'max' },
    ];
  } finally {
    await browser.close();
  }
}
