/**
 * In the real workbench (code-server, headless Chromium, the packaged .vsix): the time from a
 * click on a card's Accept to the fixed file on disk. The proposal comes from the loopback model
 * for a real TypeScript error, as in the end-to-end test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FakeModelServer } from '../test/fakes/fakeModelServer';
import { makeRunDir, workbenchUrl } from '../test/harness/codeServer';
import { REPO_ROOT } from '../test/harness/testEnv';
import { startWorkbench } from '../test/harness/workbench';
import type { Measured } from './providerBench';

const BROKEN = '  const count: number = cart.items.length.toString();';
const FIXED = '  const count: number = cart.items.length;';
const RUNS = 3;

export async function workbenchRows(): Promise<Measured[]> {
  const model = new FakeModelServer();
  const runDir = makeRunDir('bench-workbench');
  const workspace = path.join(runDir, 'project');
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'ts-error'), workspace, { recursive: true });
  fs.mkdirSync(path.join(workspace, 'node_modules'));
  fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(workspace, 'node_modules', 'typescript'), 'dir');
  // One file with the error per run: each proposal is a new one.
  const cart = fs.readFileSync(path.join(workspace, 'src', 'cart.ts'), 'utf8');
  for (let run = 0; run < RUNS; run++) fs.writeFileSync(path.join(workspace, 'src', `cart${run}.ts`), cart.replace(/\bCart\b/g, `Cart${run}`).replace('itemCount', `itemCount${run}`));
  const baseUrl = await model.start();
  model.respondWith(() => ({ content: ['TITLE: Drop the string conversion', '<<<<<<< SEARCH', BROKEN, '=======', FIXED, '>>>>>>> REPLACE'].join('\n') }));
  const session = await startWorkbench({
    runDir,
    settings: {
      'nightshift.profiles': [{ name: 'm', baseUrl, model: 'MiniMax-M2.7', price: { input: 0.3, cachedInput: 0.06, output: 1.2 } }],
      'nightshift.backgroundProfile': 'm',
      'nightshift.settleDelayMs': 300,
    },
  });
  const { page, wb } = session;
  const samples: number[] = [];
  try {
    await page.goto(workbenchUrl(session.server, workspace));
    await page.locator('.activitybar [aria-label^="Nightshift"]').first().waitFor({ timeout: 60_000 });
    for (let run = 0; run < RUNS; run++) {
      const file = path.join(workspace, 'src', `cart${run}.ts`);
      await wb.open(`cart${run}.ts`);
      await page.locator('.editor-instance .monaco-editor').first().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(`// run ${run}`);
      await page.keyboard.press('Control+S');
      const view = await wb.panel();
      const accept = view.locator('.proposal', { hasText: `src/cart${run}.ts` }).locator('button[data-action="accept"]');
      await accept.waitFor({ timeout: 120_000 });
      const t0 = Date.now();
      await accept.click();
      while (!fs.readFileSync(file, 'utf8').includes(FIXED)) {
        if (Date.now() - t0 > 30_000) throw new Error('the accepted fix never reached the disk');
        await new Promise((r) => setTimeout(r, 2));
      }
      samples.push(Date.now() - t0);
    }
  } finally {
    await session.stop();
    await model.close();
  }
  const median = [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)];
  return [{ metric: `workbench: click Accept → fixed file on disk (median of ${RUNS})`, measured: median, unit: 'ms', target: 300, kind: 'max' }];
}
