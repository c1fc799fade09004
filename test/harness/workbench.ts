/**
 * Driving the real workbench as a user would, for the end-to-end tests: Quick Open, the Nightshift
 * container and its views, the webview frames, the keyboard focus.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import { launchBrowser, runCodeServerCli, startCodeServer, type Browser, type CodeServerOptions, type RunningCodeServer } from './codeServer';
import { REPO_ROOT } from './testEnv';

export interface WorkbenchSession {
  server: RunningCodeServer;
  browser: Browser;
  page: Page;
  wb: ReturnType<typeof workbench>;
  /** Keeps a last screenshot in the run folder, then closes the browser and code-server. */
  stop(): Promise<void>;
}

/** The packaged .vsix installed into a fresh code-server, and headless Chromium to drive it. */
export async function startWorkbench(options: CodeServerOptions): Promise<WorkbenchSession> {
  const vsix = path.join(REPO_ROOT, 'dist-vsix', 'nightshift.vsix');
  assert.ok(fs.existsSync(vsix), 'run `npm run package` first');
  await runCodeServerCli(options, ['--install-extension', vsix]);
  const server = await startCodeServer(options);
  const browser = await launchBrowser(options.runDir);
  const page = browser.page;
  return {
    server,
    browser,
    page,
    wb: workbench(page),
    async stop() {
      await page.screenshot({ path: path.join(options.runDir, 'last.png') }).catch(() => undefined);
      await browser.close();
      await server.stop();
    },
  };
}

export function workbench(page: Page) {
  /** Opens a file with Quick Open. */
  async function open(file: string): Promise<void> {
    await page.locator('.part.editor').click();
    await page.keyboard.press('Control+P');
    const quickOpen = page.locator('.quick-input-widget input');
    await quickOpen.waitFor();
    await quickOpen.fill(file);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: file.split('/').pop()! }).waitFor();
    await page.locator('.editor-instance .monaco-editor').first().waitFor();
  }

  /** Runs a command from the palette by its title. */
  async function command(title: string): Promise<void> {
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.fill(`>${title}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
    await page.keyboard.press('Enter');
  }

  /** The webview frame that shows `selector` (the container has two webviews: Proposals and Budget). */
  async function frameWith(selector: string, timeoutMs = 60_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const f of page.frames())
        if (
          (await f
            .locator(selector)
            .count()
            .catch(() => 0)) > 0
        )
          return f;
      assert.ok(Date.now() < deadline, `no webview shows ${selector}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Shows the Nightshift container; its activity bar entry is clicked only when it is not showing (a click would hide it). */
  async function showContainer(): Promise<void> {
    const shown = (await page.locator('.part.sidebar').isVisible()) && (await page.locator('.activitybar .action-item.checked [aria-label^="Nightshift"]').count()) > 0;
    if (!shown) await page.locator('.activitybar [aria-label^="Nightshift"]').first().click();
  }

  /**
   * The Proposals view's content. The container is shown again while its webview does not come: a
   * workbench still restoring its layout (just after a reload, on a busy machine) may show the side
   * bar after a click that meant to, and that click then hides it.
   */
  async function panel(): Promise<Frame> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      await showContainer();
      try {
        return await frameWith('section.proposals', 10_000);
      } catch (err) {
        if (Date.now() > deadline) throw err;
      }
    }
  }

  /** A view of the container, by its title (expanded if it was collapsed). */
  async function pane(title: string): Promise<Locator> {
    await showContainer();
    const p = page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });
    const header = p.locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    return p;
  }

  /**
   * Moves the keyboard focus to `target` in a webview and waits until it is there: the workbench
   * hands the focus back to a webview a moment after a quick pick closes, and a key pressed before
   * that goes nowhere.
   */
  async function focusOn(target: Locator): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      await target.first().focus();
      await new Promise((r) => setTimeout(r, 100));
      if (await target.first().evaluate((el) => el === el.ownerDocument.activeElement && el.ownerDocument.hasFocus())) return;
      assert.ok(Date.now() < deadline, `the focus did not stay on ${String(target)}`);
    }
  }

  return { open, command, frameWith, showContainer, panel, pane, focusOn };
}
