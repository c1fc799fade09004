/**
 * End to end, as a user: the packaged .vsix installed into code-server, a TypeScript project with
 * a real compiler error, the file saved, the proposal seen in the Nightshift panel and accepted
 * with a click inside the webview; the fix must land on disk. Drives headless Chromium with
 * playwright-core. The model is the loopback server, reached through the real `openai` SDK.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { launchBrowser, makeRunDir, runCodeServerCli, startCodeServer, workbenchUrl, type Browser, type RunningCodeServer } from '../harness/codeServer';
import { REPO_ROOT } from '../harness/testEnv';

const BROKEN = '  const count: number = cart.items.length.toString();';
const FIXED = '  const count: number = cart.items.length;';
/** The README's screenshot; refreshed when NIGHTSHIFT_UPDATE_SCREENSHOTS=1, else kept in the run folder. */
const README_SCREENSHOT = path.join(REPO_ROOT, 'docs', 'images', 'panel-proposal.png');

describe('the Nightshift panel in a real workbench', { timeout: 240_000 }, () => {
  const model = new FakeModelServer();
  const runDir = makeRunDir('e2e');
  const workspace = path.join(runDir, 'project');
  let server: RunningCodeServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'ts-error'), workspace, { recursive: true });
    // A TypeScript project has its compiler installed: Nightshift checks proposals with it.
    fs.mkdirSync(path.join(workspace, 'node_modules'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(workspace, 'node_modules', 'typescript'), 'dir');
    const baseUrl = await model.start();
    model.respondWith((req) =>
      req.rawBody.includes('cart.items.length.toString()')
        ? {
            content: [
              '<think>length is already a number</think>TITLE: Drop the string conversion of the item count',
              'WHY: `length` is a number; `.toString()` made it a string, which cannot be returned as a number.',
              '<<<<<<< SEARCH',
              BROKEN,
              '=======',
              FIXED,
              '>>>>>>> REPLACE',
            ].join('\n'),
            usage: { prompt_tokens: 1834, completion_tokens: 212, cached_tokens: 1024, reasoning_tokens: 96 },
          }
        : { content: 'TITLE: none' },
    );
    const options = {
      runDir,
      settings: {
        // A profile priced like MiniMax M2.7, so the panel shows what a real call would cost.
        'nightshift.profiles': [{ name: 'minimax-like', baseUrl, model: 'MiniMax-M2.7', price: { input: 0.3, cachedInput: 0.06, output: 1.2 } }],
        'nightshift.backgroundProfile': 'minimax-like',
        'nightshift.settleDelayMs': 500,
        'workbench.colorTheme': 'Default Dark Modern',
      },
    };
    const vsix = path.join(REPO_ROOT, 'dist-vsix', 'nightshift.vsix');
    assert.ok(fs.existsSync(vsix), 'run `npm run package` first');
    await runCodeServerCli(options, ['--install-extension', vsix]);
    server = await startCodeServer(options);
    browser = await launchBrowser(runDir);
    page = browser.page;
  });

  after(async () => {
    await page?.screenshot({ path: path.join(runDir, 'last.png') }).catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await model.close();
  });

  async function panel(): Promise<FrameLocator> {
    await page.locator('.activitybar [aria-label^="Nightshift"]').first().click();
    return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  }

  it('shows the proposal for a saved file with an error, and Accept fixes the file on disk', async () => {
    await page.goto(workbenchUrl(server, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Nightshift"]').first().waitFor({ timeout: 60_000 });
    const view = await panel();
    await view.locator('.status').waitFor({ timeout: 60_000 });

    // Open the file with Quick Open and save it, as a user would after editing.
    await page.locator('.part.editor').click();
    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget input');
    await quickOpen.waitFor();
    await quickOpen.fill('cart.ts');
    await page.locator('.quick-input-list .monaco-list-row').first().waitFor();
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.waitFor();
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' ');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+S');

    const card = view.locator('.proposal').first();
    await card.waitFor({ timeout: 120_000 });
    assert.equal(await card.locator('.title').textContent(), 'Drop the string conversion of the item count');
    assert.match((await card.locator('.meta').textContent()) ?? '', /^fix · MiniMax-M2\.7 · 1,834 in \/ 212 out tokens · \$0\.\d{4}/);
    assert.match((await card.locator('.diff').textContent()) ?? '', /- {2}const count: number = cart\.items\.length\.toString\(\);/);
    assert.match((await card.locator('.check').textContent()) ?? '', /^✓ Checked with TypeScript \d+\.\d+\.\d+: the problem is gone/);
    // The Budget view follows from the ledger: this call's cost is in it.
    await view.locator('.budget > summary', { hasText: /\$0\.0\d{3} today/ }).waitFor({ timeout: 10_000 });
    const screenshot = process.env.NIGHTSHIFT_UPDATE_SCREENSHOTS === '1' ? README_SCREENSHOT : path.join(runDir, 'panel-proposal.png');
    await page.screenshot({ path: screenshot });

    await card.locator('vscode-button[data-action="accept"]').click();
    const file = path.join(workspace, 'src', 'cart.ts');
    const deadline = Date.now() + 30_000;
    while (!fs.readFileSync(file, 'utf8').includes(FIXED)) {
      assert.ok(Date.now() < deadline, 'the accepted fix did not reach the file on disk');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(!fs.readFileSync(file, 'utf8').includes(BROKEN));
    await view.locator('.empty').waitFor({ timeout: 10_000 });
    assert.equal(await view.locator('.proposal').count(), 0);
  });
});
