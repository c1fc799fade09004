/**
 * End to end, as a user: the packaged .vsix installed into code-server, a TypeScript project with
 * a real compiler error, the file saved, the proposal seen in the Nightshift panel and accepted
 * with a click inside the webview; the fix must land on disk. Then a problem the background model
 * cannot fix is escalated from the panel: the cost is read in the workbench's dialog before the
 * click that spends it. Drives headless Chromium with playwright-core. The model is the loopback
 * server, reached through the real `openai` SDK.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startWorkbench, type WorkbenchSession } from '../harness/workbench';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { makeRunDir, workbenchUrl, type RunningCodeServer } from '../harness/codeServer';
import { REPO_ROOT } from '../harness/testEnv';
import { PANEL_LOOKS } from '../harness/panelLooks';

const BROKEN = '  const count: number = cart.items.length.toString();';
const ESCALATE_BROKEN = "export const shout: number = greet('you');";
const ESCALATE_FIXED = "export const shout: string = greet('you');";
const FIXED = '  const count: number = cart.items.length;';
/** More files with errors, for the review tests: each line `export const <name>: number = "<n>";`. */
const NUMBERED = { total: 12, one: 1, two: 2, three: 3, typed: 7 } as const;
const broken = (name: string, n: number) => `export const ${name}: number = "${n}";`;
const fixed = (name: string, n: number) => `export const ${name}: number = ${n};`;
const PAIR = [broken('width', 3), '', '', '', '', '', '', '', '', broken('height', 4), ''].join('\n');
const fixBlock = (name: string, n: number) => ['<<<<<<< SEARCH', broken(name, n), '=======', fixed(name, n), '>>>>>>> REPLACE'].join('\n');
/** The README's screenshots; refreshed when NIGHTSHIFT_UPDATE_SCREENSHOTS=1, else kept in the run folder. */
const screenshotPath = (name: string, runDir: string) => (process.env.NIGHTSHIFT_UPDATE_SCREENSHOTS === '1' ? path.join(REPO_ROOT, 'docs', 'images', name) : path.join(runDir, name));

/** The fix for one of the NUMBERED files, found by the file the prompt is about (other files' text may be in it too); "none" otherwise. */
function answerNumbered(prompt: string): { content: string; chunkDelayMs?: number } {
  for (const [name, n] of Object.entries(NUMBERED)) {
    if (prompt.includes(`File: src/${name}.ts (`)) {
      return { content: [`TITLE: Make ${name} a number`, 'WHY: a string was assigned to a number.', fixBlock(name, n)].join('\n'), ...(name === 'typed' ? { chunkDelayMs: 150 } : {}) };
    }
  }
  return { content: 'TITLE: none' };
}

describe('the Nightshift panel in a real workbench', { timeout: 480_000 }, () => {
  const model = new FakeModelServer();
  const runDir = makeRunDir('e2e');
  const workspace = path.join(runDir, 'project');
  let server: RunningCodeServer;
  let session: WorkbenchSession;
  let page: Page;
  let wb: WorkbenchSession['wb'];
  const open = (file: string) => wb.open(file);
  const frameWith = (selector: string) => wb.frameWith(selector);
  const panel = () => wb.panel();
  const pane = (title: string) => wb.pane(title);
  const focusOn = (target: Locator) => wb.focusOn(target);

  before(async () => {
    fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'ts-error'), workspace, { recursive: true });
    // A TypeScript project has its compiler installed: Nightshift checks proposals with it.
    fs.mkdirSync(path.join(workspace, 'node_modules'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(workspace, 'node_modules', 'typescript'), 'dir');
    for (const [name, n] of Object.entries(NUMBERED)) fs.writeFileSync(path.join(workspace, 'src', `${name}.ts`), `${broken(name, n)}\n`);
    fs.writeFileSync(path.join(workspace, 'src', 'pair.ts'), PAIR);
    const baseUrl = await model.start();
    model.respondWith((req) =>
      (req.body as { model?: string }).model === 'gpt-5.4'
        ? { content: ['TITLE: Return the greeting as a number', 'WHY: the greeting is text.', '<<<<<<< SEARCH', ESCALATE_BROKEN, '=======', ESCALATE_FIXED, '>>>>>>> REPLACE'].join('\n') }
        : req.rawBody.includes('File: src/cart.ts (')
          ? {
              content: ['<think>length is already a number</think>TITLE: Drop the string conversion of the item count', 'WHY: `length` is a number; `.toString()` made it a string, which cannot be returned as a number.', '<<<<<<< SEARCH', BROKEN, '=======', FIXED, '>>>>>>> REPLACE'].join('\n'),
              usage: { prompt_tokens: 1834, completion_tokens: 212, cached_tokens: 1024, reasoning_tokens: 96 },
            }
          : req.rawBody.includes('File: src/pair.ts (')
            ? { content: ['TITLE: Make width and height numbers', 'WHY: both were strings.', fixBlock('width', 3), fixBlock('height', 4)].join('\n') }
            : answerNumbered(req.rawBody),
    );
    const options = {
      runDir,
      settings: {
        // A profile priced like MiniMax M2.7, so the panel shows what a real call would cost.
        'nightshift.profiles': [
          { name: 'minimax-like', baseUrl, model: 'MiniMax-M2.7', price: { input: 0.3, cachedInput: 0.06, output: 1.2 } },
          // The loopback server plays a remote frontier API here: it needs a key and is priced.
          { name: 'frontier', baseUrl, model: 'gpt-5.4', local: false },
        ],
        'nightshift.backgroundProfile': 'minimax-like',
        'nightshift.escalationProfile': 'frontier',
        'nightshift.settleDelayMs': 500,
        'workbench.colorTheme': 'Default Dark Modern',
      },
    };
    session = await startWorkbench(options);
    ({ server, page, wb } = session);
  });

  after(async () => {
    await session?.stop();
    await model.close();
  });

  it('shows the proposal for a saved file with an error, and Accept fixes the file on disk', async () => {
    await page.goto(workbenchUrl(server, workspace));
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page.locator('.activitybar [aria-label^="Nightshift"]').first().waitFor({ timeout: 60_000 });
    const view = await panel();
    await view.locator('.status').waitFor({ timeout: 60_000 });

    // Open the file with Quick Open and save it, as a user would after editing.
    await open('cart.ts');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click();
    await page.keyboard.press('End');
    await page.keyboard.type(' ');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+S');

    const card = view.locator('.proposal').first();
    await card.waitFor({ timeout: 120_000 });
    assert.equal(await card.locator('.title').textContent(), 'Drop the string conversion of the item count');
    // Compact: one line of facts, the diff collapsed until asked for.
    // The workspace has no tests: type-checked is what its check can prove.
    assert.match((await card.locator('.meta').first().textContent()) ?? '', /^src\/cart\.ts · fix · type-checked · \$0\.\d{4}/);
    assert.equal(await card.locator('.diff').count(), 0);
    await card.locator('.card-head').click();
    assert.match((await card.locator('.diff').textContent()) ?? '', /- {2}const count: number = cart\.items\.length\.toString\(\);/);
    assert.match((await card.locator('.check-detail').textContent()) ?? '', /^type-checked — Checked with TypeScript \d+\.\d+\.\d+: the problem is gone/);
    assert.match((await card.locator('.meta').last().textContent()) ?? '', /^MiniMax-M2\.7 · 1,834 in \/ 212 out tokens/);
    // The view's badge counts the checked proposal waiting (type-checked counts where there are no tests).
    await page.locator('.activitybar .action-item:has([aria-label^="Nightshift"]) .badge-content', { hasText: '1' }).waitFor({ timeout: 10_000 });
    // The Budget view follows from the ledger: this call's cost is in it.
    await pane('Budget');
    const budget = await frameWith('.budget');
    await budget.locator('.budget > summary', { hasText: /\$0\.0\d{3} today/ }).waitFor({ timeout: 10_000 });
    // Activity: the call just made, with its model, cost and latency.
    const activity = await pane('Activity');
    await activity.locator('.monaco-list-row', { hasText: 'fix · src/cart.ts' }).waitFor({ timeout: 10_000 });
    assert.match((await activity.locator('.monaco-list-row', { hasText: 'fix · src/cart.ts' }).first().textContent()) ?? '', /MiniMax-M2\.7 · \$0\.\d{4} · \d+\.\d s · proposal/);
    await page.screenshot({ path: screenshotPath('panel-proposal.png', runDir) });

    await card.locator('button[data-action="accept"]').click();
    const file = path.join(workspace, 'src', 'cart.ts');
    const deadline = Date.now() + 30_000;
    while (!fs.readFileSync(file, 'utf8').includes(FIXED)) {
      assert.ok(Date.now() < deadline, 'the accepted fix did not reach the file on disk');
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(!fs.readFileSync(file, 'utf8').includes(BROKEN));
    await view.locator('.empty').waitFor({ timeout: 10_000 });
    assert.equal(await view.locator('.proposal').count(), 0);

    // The decision reaches the tuner: the weekly line and the Tuning section show it; Freeze holds the setting.
    const tuning = await frameWith('.tuning');
    await tuning.locator('.weekly', { hasText: /^This week \$\d+\.\d{4} per accepted · last week nothing accepted/ }).waitFor({ timeout: 10_000 });
    await tuning.locator('.tuning > summary').click();
    const fixKind = tuning.locator('.tuning-kind', { has: tuning.locator('h3', { hasText: /^fix: / }) });
    await fixKind.locator('h3', { hasText: 'fix: standard recipe' }).waitFor({ timeout: 10_000 });
    await fixKind.locator('tr.current', { hasText: /^standard1100% of 1/ }).waitFor({ timeout: 10_000 });
    await fixKind.locator('button[data-action="tuning-freeze"]').click();
    await fixKind.locator('h3', { hasText: 'fix: standard recipe · frozen' }).waitFor({ timeout: 10_000 });
    await fixKind.locator('button[data-action="tuning-freeze"]', { hasText: 'Unfreeze' }).click();
    await fixKind.locator('h3', { hasText: /^fix: standard recipe$/ }).waitFor({ timeout: 10_000 });
  });

  it('escalates what the background model cannot fix, showing the cost before the click that spends it', async () => {
    // The escalation profile's key, through the command palette.
    await page.keyboard.press('Control+Shift+P');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>Nightshift: Set API Key');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Set API Key' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'frontier' }).first().click();
    await input.waitFor();
    await input.fill('sk-test-frontier');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });

    // A new error the background model answers "none" to.
    await open('greeting.ts');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText(ESCALATE_BROKEN);
    await page.keyboard.press('Control+S');
    const view = await panel();
    // "Needs a Stronger Model", a native view: the task waits there with its reason.
    const needs = await pane('Needs a Stronger Model');
    const waiting = needs.locator('.monaco-list-row', { hasText: 'src/greeting.ts' });
    await waiting.waitFor({ timeout: 120_000 });
    await waiting.hover();
    assert.match((await waiting.getAttribute('aria-label')) ?? '', /the model found no safe fix/);

    const before = model.chatRequests().length;
    await waiting.locator('.action-label[aria-label^="Escalate"]').click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    const text = (await dialog.textContent()) ?? '';
    assert.match(text, /Escalate the fix for src\/greeting\.ts to gpt-5\.4 \(.+\)\? Likely about \$\d+\.\d+; one call costs at most \$\d+\.\d+\. The escalation budget has \$400\.00 left this year\./);
    assert.equal(model.chatRequests().length, before, 'nothing is spent before the click');
    await page.screenshot({ path: screenshotPath('escalation-quote.png', runDir) });
    await dialog.locator('a.monaco-button, .monaco-button', { hasText: 'Escalate' }).first().click();

    const card = view.locator('.proposal', { hasText: 'Return the greeting as a number' });
    await card.waitFor({ timeout: 60_000 });
    await card.locator('.card-head').click();
    assert.match((await card.locator('.meta').last().textContent()) ?? '', /^gpt-5\.4 · /);
    const sent = model.chatRequests().at(-1)!;
    assert.equal((sent.body as { model: string }).model, 'gpt-5.4');
    assert.equal(sent.headers.authorization, 'Bearer sk-test-frontier');
    await waiting.waitFor({ state: 'detached', timeout: 10_000 });
  });

  /** Opens a file, makes it dirty and saves it, as a user would after editing. */
  async function touchAndSave(file: string): Promise<void> {
    await open(file);
    await page.locator('.editor-instance .monaco-editor').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Control+S');
  }

  async function onDisk(file: string, text: string, present = true): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (fs.readFileSync(path.join(workspace, 'src', file), 'utf8').includes(text) !== present) {
      assert.ok(Date.now() < deadline, `${file} ${present ? 'never got' : 'still has'} ${text}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('offers the checked fix at the error: Ctrl+. applies it', async () => {
    await touchAndSave('total.ts');
    const view = await panel();
    await view.locator('.proposal', { hasText: 'Make total a number' }).waitFor({ timeout: 120_000 });
    // The CodeLens hint on the line, then the quick fix from the keyboard.
    await page.locator('.codelens-decoration', { hasText: 'Nightshift: type-checked fix waiting' }).waitFor({ timeout: 30_000 });
    await page.locator('.editor-instance .monaco-editor').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+.');
    const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Nightshift: apply type-checked fix — Make total a number' });
    await fix.waitFor({ timeout: 15_000 });
    await fix.click();
    await onDisk('total.ts', fixed('total', 12));
    await view.locator('.proposal', { hasText: 'Make total a number' }).waitFor({ state: 'detached', timeout: 10_000 });
  });

  it('accepts one hunk of a proposal: only that hunk reaches the file, the rest waits, checked again', async () => {
    await touchAndSave('pair.ts');
    const view = await panel();
    const card = view.locator('.proposal', { hasText: 'Make width and height numbers' });
    await card.waitFor({ timeout: 120_000 });
    await card.locator('.card-head').click();
    assert.equal(await card.locator('.hunk-box').count(), 2);
    await card.locator('.hunk-box').first().locator('button[data-action="accept-hunk"]').click();
    await onDisk('pair.ts', fixed('width', 3));
    assert.ok(fs.readFileSync(path.join(workspace, 'src', 'pair.ts'), 'utf8').includes(broken('height', 4)), 'the other hunk is not applied');
    await card.locator('.meta', { hasText: '1 hunk(s) accepted' }).waitFor({ timeout: 10_000 });
    await card.locator('.check-type-checked').waitFor({ timeout: 60_000 });
    await card.locator('button[data-action="accept"]').click();
    await onDisk('pair.ts', fixed('height', 4));
  });

  it('reviews three proposals from the keyboard alone: accept, reject with a reason and undo, snooze and wake', async () => {
    for (const f of ['one.ts', 'two.ts', 'three.ts']) await touchAndSave(f);
    const view = await panel();
    for (const name of ['one', 'two', 'three']) await view.locator('.proposal', { hasText: `Make ${name} a number` }).waitFor({ timeout: 120_000 });
    assert.match((await view.locator('.help').textContent()) ?? '', /j\/k move · Enter expands · a accept · r reject · s snooze/);
    // Grouped by file: a heading per file with its count, each card under its own; then back to one list.
    await view.locator('.inbox-controls select').nth(2).selectOption('file');
    for (const name of ['one', 'two', 'three']) await view.locator('.group-heading', { hasText: `src/${name}.ts · 1` }).waitFor();
    assert.equal(await view.locator(`.group-heading:has-text("src/one.ts") + .proposal`).getAttribute('aria-label'), await view.locator('.proposal', { hasText: 'Make one a number' }).getAttribute('aria-label'));
    await view.locator('.inbox-controls select').nth(2).selectOption('none');
    assert.equal(await view.locator('.group-heading').count(), 0);
    // Into the list with the keyboard: the filter controls, then the first card.
    await view.locator('.inbox-controls select').last().focus();
    await page.keyboard.press('Tab');
    const focused = () => view.locator('.proposal:focus').getAttribute('data-proposal-id');
    const titleOf = async () => (await view.locator('.proposal:focus .title').textContent()) ?? '';
    const first = await focused();
    assert.ok(first, 'a card has the focus');
    await page.keyboard.press('j');
    assert.notEqual(await focused(), first, 'j moves to the next card');
    await page.keyboard.press('k');
    assert.equal(await focused(), first, 'k moves back');
    await page.keyboard.press('Enter');
    await view.locator('.proposal.expanded:focus .diff').waitFor();
    // a: accept the focused one.
    const accepted = (await titleOf()).replace(/^Make (\w+) a number$/, '$1');
    await page.keyboard.press('a');
    await onDisk(`${accepted}.ts`, fixed(accepted, NUMBERED[accepted as keyof typeof NUMBERED]));
    // r: reject, with a reason picked in the workbench's quick pick, then undone.
    await focusOn(view.locator('.proposal'));
    const rejected = await titleOf();
    await page.keyboard.press('r');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Not worth changing' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await view.locator('.undo', { hasText: `Rejected “${rejected}”` }).waitFor();
    assert.equal(await view.locator('.proposal', { hasText: rejected }).count(), 0);
    await focusOn(view.locator('.undo button'));
    await page.keyboard.press('Enter');
    await view.locator('.proposal', { hasText: rejected }).waitFor();
    // s: snooze; it shows under "1 snoozed", and Wake brings it back.
    await focusOn(view.locator('.proposal', { hasText: rejected }));
    await page.keyboard.press('s');
    await view.locator('.snoozed > summary', { hasText: '1 snoozed' }).waitFor();
    assert.equal(await view.locator('.proposal', { hasText: rejected }).count(), 0);
    await focusOn(view.locator('.snoozed > summary'));
    await page.keyboard.press('Enter');
    await focusOn(view.locator('.snoozed button[data-action="unsnooze"]'));
    await page.keyboard.press('Enter');
    await view.locator('.proposal', { hasText: rejected }).waitFor();
    assert.equal(await view.locator('.snoozed').count(), 0);
  });

  it('while a proposal arrives, typing in the editor loses no keystroke and keeps the focus; the status shows a spinning ring meanwhile', async () => {
    // The working ring (plain CSS, no web component): there while the answer streams, turning, in the theme's progress colour (its layout width: a turning box's bounding rectangle grows).
    const inbox = await panel();
    const ringSeen = (async () => {
      // Polled with evaluate: the webview's CSP allows no string eval, which waitForFunction would need.
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        const seen = (await inbox.evaluate(`(() => {
          const r = document.querySelector('.status .ring[role="progressbar"]');
          if (!r) return null;
          const probe = document.createElement('span');
          probe.style.color = 'var(--vscode-progressBar-background)';
          document.body.append(probe);
          const theme = getComputedStyle(probe).color;
          probe.remove();
          const s = getComputedStyle(r);
          return { animation: s.animationName, iterations: s.animationIterationCount, width: r.offsetWidth, colour: s.borderTopColor, theme, label: r.getAttribute('aria-label') };
        })()`)) as { animation: string; iterations: string; width: number; colour: string; theme: string; label: string } | null;
        if (seen) return seen;
      }
      return undefined;
    })();
    await open('typed.ts');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+S');
    // The answer streams slowly; type through it.
    const words = '// typing while Nightshift works on this file';
    await page.keyboard.type(words, { delay: 40 });
    const view = await panel();
    await view.locator('.proposal', { hasText: 'Make typed a number' }).waitFor({ timeout: 120_000 });
    const ring = await ringSeen;
    assert.ok(ring, 'the status showed no working ring while the answer streamed');
    assert.deepEqual(ring, { animation: 'ring-spin', iterations: 'infinite', width: 14, colour: ring.theme, theme: ring.theme, label: 'Working' });
    await page.keyboard.type(' and after', { delay: 20 });
    assert.ok(await page.evaluate("!!document.activeElement?.closest('.monaco-editor')"), 'the editor kept the focus');
    const text = await editor.locator('.view-lines').textContent();
    assert.ok(text?.replace(/\u00a0/g, ' ').includes(`${words} and after`), `every keystroke is in the editor: ${text}`);
    await page.keyboard.press('Control+S');
  });

  it('reads at 4.5:1 or better in light, dark and both high-contrast themes, with Accept unlike Reject', async () => {
    const themes: Array<[string, string, string]> = [
      ['Light Modern', 'vs', 'light'],
      ['Dark Modern', 'vs-dark', 'dark'],
      ['Dark High Contrast', 'hc-black', 'high-contrast'],
      ['Light High Contrast', 'hc-light', 'high-contrast-light'],
    ];
    const view = await panel();
    await view.locator('.proposal').first().waitFor({ timeout: 30_000 });
    for (const [theme, workbenchClass, name] of themes) {
      // As a user would: the theme picker from the command palette.
      await page.locator('.part.editor').click();
      await page.keyboard.press('Control+Shift+P');
      const input = page.locator('.quick-input-widget input');
      await input.fill('>Preferences: Color Theme');
      await page.locator('.quick-input-list .monaco-list-row[aria-label^="Preferences: Color Theme"]').first().click();
      // The theme picker lists every installed theme.
      await page.locator('.quick-input-list .monaco-list-row[aria-label^="Light Modern"]').first().waitFor({ timeout: 10_000 });
      await page.keyboard.type(theme);
      await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${theme}"]`).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator(`.monaco-workbench.${workbenchClass}`).waitFor({ state: 'attached', timeout: 30_000 });
      const inbox = await panel();
      await inbox.locator(`body.vscode-${name}`).waitFor({ timeout: 30_000 });
      const card = inbox.locator('.proposal').first();
      if ((await card.getAttribute('aria-expanded')) !== 'true') await card.locator('.card-head').click();
      const ratios = (await inbox.evaluate(PANEL_LOOKS)) as Record<string, number | boolean>;
      await page.locator('.part.sidebar').screenshot({ path: screenshotPath(`panel-${name}.png`, runDir) });
      for (const [sel, r] of Object.entries(ratios)) {
        if (sel === 'acceptLooksLikeReject') assert.equal(r, false, `${theme}: Accept looks like Reject`);
        else if (sel === 'acceptInThemeColour') assert.equal(r, true, `${theme}: Accept is not in the theme's button colour`);
        else assert.ok((r as number) >= 4.5, `${theme}: ${sel} has a contrast of ${(r as number).toFixed(2)}:1`);
      }
      console.log(
        `# ${theme}: ${Object.entries(ratios)
          .filter(([k]) => typeof ratios[k] === 'number')
          .map(([k, v]) => `${k} ${(v as number).toFixed(2)}`)
          .join(', ')}`,
      );
    }
  });
});
