/**
 * The agent's signals beyond settled errors — saved changes, new commits, idle time — and its
 * model loop with read-only lookups, multi-file edits and more than one task at a time, through
 * the real provider, a real git repository and the loopback model server.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { REVIEW_INTERVAL_MS } from '../../../../src/core/agent/taskSources';
import { MAX_TOOL_STEPS } from '../../../../src/core/agent/runTask';
import { WorkspaceContext } from '../../../../src/core/context/WorkspaceContext';
import { WorkspaceFiles } from '../../../../src/core/context/WorkspaceFiles';
import { newCommit } from '../../../../src/core/signals/commits';
import type { SettledDiagnosticsParams } from '../../../../src/shared/agentProtocol';
import type { RecordedRequest } from '../../../fakes/fakeModelServer';
import { tempRepo } from '../../../harness/gitRepo';
import { loopbackModel, recordingHost } from '../../../unit/core/agent/recordingHost';

const CART = ['export interface Item { price: number }', '', 'export function total(items: Item[]): number {', '  return items.reduce((sum, i) => sum + i.price, 0);', '}', ''].join('\n');
const MAIN = ['import { total } from "./cart";', '', 'export const due: string = total([]);', ''].join('\n');
const LONG_FN = ['export function report(rows: number[]): string {', ...Array.from({ length: 45 }, (_, i) => `  const r${i} = rows[${i}] ?? 0;`), '  return String(r0);', '}', ''].join('\n');

/** A git repository with a small TypeScript project, committed. */
function repo(): { root: string; git: (...args: string[]) => string; uri: (rel: string) => string } {
  const { root, git } = tempRepo('repo');
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'shop' }));
  fs.writeFileSync(path.join(root, 'src/cart.ts'), CART);
  fs.writeFileSync(path.join(root, 'src/main.ts'), MAIN);
  fs.writeFileSync(path.join(root, 'src/report.ts'), LONG_FN);
  git('add', '.');
  git('commit', '-qm', 'start');
  return { root, git, uri: (rel) => pathToFileURL(path.join(root, rel)).toString() };
}

function settled(uri: string, relativePath: string, text: string, errorLine?: number): SettledDiagnosticsParams {
  const diagnostics = errorLine === undefined ? [] : [{ message: "Type 'number' is not assignable to type 'string'.", severity: 'error' as const, source: 'ts', code: '2322', range: { startLine: errorLine, startCharacter: 13, endLine: errorLine, endCharacter: 16 } }];
  return { uri, relativePath, languageId: 'typescript', text, diagnostics };
}

const messagesOf = (r: RecordedRequest) => (r.body as { messages: Array<{ role: string; content: string }> }).messages;

describe('agent signals and the model loop', { timeout: 120_000 }, () => {
  const { server, url } = loopbackModel();

  it('looks things up, then proposes one edit across two files; lookups are booked', async () => {
    const { root, uri } = repo();
    const rec = recordingHost(url, {}, {}, undefined, new WorkspaceContext(new WorkspaceFiles(root), undefined));
    const agent = new BackgroundAgent(rec.host);
    const start = server.chatRequests().length;
    server.enqueue(
      { content: 'I need the callee.\nREAD: src/cart.ts:3-5\nREAD: ../../etc/passwd:1-3' },
      {
        content: [
          'TITLE: Make due a number',
          'WHY: total returns a number',
          '<<<<<<< SEARCH',
          'export const due: string = total([]);',
          '=======',
          'export const due: number = total([]);',
          '>>>>>>> REPLACE',
          'FILE: src/cart.ts',
          '<<<<<<< SEARCH',
          'export function total(items: Item[]): number {',
          '=======',
          '/** The sum of the prices. */',
          'export function total(items: Item[]): number {',
          '>>>>>>> REPLACE',
        ].join('\n'),
      },
    );
    agent.onSettledDiagnostics(settled(uri('src/main.ts'), 'src/main.ts', MAIN, 2));
    await rec.until(() => rec.proposals().length === 1);
    const sent = server.chatRequests().slice(start);
    assert.equal(sent.length, 2);
    assert.match(messagesOf(sent[0])[0].content, /Workspace facts[\s\S]*src\/cart\.ts: interface Item; function total\(items: Item\[\]\): number/, 'the facts follow the system prompt');
    const results = messagesOf(sent[1]).at(-1)!.content;
    assert.match(results, /READ src\/cart\.ts:3-5 \(of 6 lines\):\n```\nexport function total/);
    assert.match(results, /READ \.\.\/\.\.\/etc\/passwd: not available — it is outside the workspace/);
    const p = rec.proposals()[0];
    assert.deepEqual(
      p.files.map((f) => f.relativePath),
      ['src/main.ts', 'src/cart.ts'],
    );
    assert.equal(p.files[1].uri, uri('src/cart.ts'));
    assert.equal(p.usage.inputTokens > 0, true);
    assert.deepEqual(
      rec.ledger.load().calls.map((c) => c.outcome),
      ['lookup', 'proposal'],
    );
    assert.ok(rec.logs.includes('The model looked things up for the fix task of src/main.ts: READ src/cart.ts:3-5 (of 6 lines) | READ ../../etc/passwd: not available — it is outside the workspace.'), rec.logs.join('\n'));
  });

  it("gives each root folder's file that folder's facts, and a file in no folder none", async () => {
    const first = repo();
    const second = repo();
    fs.writeFileSync(path.join(second.root, 'src/onlyHere.ts'), 'export function onlyHere(): void {}\n');
    second.git('add', '.');
    second.git('commit', '-qm', 'more');
    const outside = repo();
    const rec = recordingHost(
      url,
      {},
      {},
      undefined,
      [first, second].map((r) => new WorkspaceContext(new WorkspaceFiles(r.root), undefined)),
    );
    const agent = new BackgroundAgent(rec.host);
    const start = server.chatRequests().length;
    server.enqueue({ content: 'TITLE: none' }, { content: 'TITLE: none' });
    agent.onSettledDiagnostics(settled(second.uri('src/main.ts'), 'src/main.ts', MAIN, 2));
    await server.waitForChatRequests(start + 1);
    agent.onSettledDiagnostics(settled(outside.uri('src/main.ts'), 'src/main.ts', MAIN, 2));
    await server.waitForChatRequests(start + 2);
    const [inSecond, inNone] = server
      .chatRequests()
      .slice(start)
      .map((r) => messagesOf(r)[0].content);
    assert.match(inSecond, /src\/onlyHere\.ts: function onlyHere\(\): void/, "the second folder's own facts");
    assert.ok(!inNone.includes('Workspace facts'), 'a file in no folder is worked on alone');
  });

  it(`stops looking things up after ${MAX_TOOL_STEPS} rounds and makes the model answer`, async () => {
    const { root, uri } = repo();
    const rec = recordingHost(url, {}, {}, undefined, new WorkspaceContext(new WorkspaceFiles(root), undefined));
    const agent = new BackgroundAgent(rec.host);
    const start = server.chatRequests().length;
    server.enqueue(...Array.from({ length: MAX_TOOL_STEPS + 1 }, () => ({ content: 'FIND: total(' })));
    agent.onSettledDiagnostics(settled(uri('src/main.ts'), 'src/main.ts', MAIN, 2));
    await rec.until(() => rec.logs.some((l) => l.startsWith('No proposal for src/main.ts')));
    const sent = server.chatRequests().slice(start);
    assert.equal(sent.length, MAX_TOOL_STEPS + 1);
    assert.match(messagesOf(sent[1]).at(-1)!.content, /FIND "total\(": 2 match\(es\):\nsrc\/cart\.ts:3: export function total[\s\S]*src\/main\.ts:3: export const due/);
    assert.match(messagesOf(sent[MAX_TOOL_STEPS]).at(-1)!.content, /Answer now, in the format given\./);
  });

  it('reviews the new hunks of a saved file once, then not again within the interval', async () => {
    const { root, uri } = repo();
    const rec = recordingHost(url, {}, {}, undefined, new WorkspaceContext(new WorkspaceFiles(root), undefined));
    const agent = new BackgroundAgent(rec.host);
    const start = server.chatRequests().length;
    const edited = CART.replace('  return items.reduce', '  if (items.length === 0) return 0;\n  const first = items[0].price;\n  const rest = items.slice(1);\n  return first + rest.reduce');
    server.enqueue({ content: 'TITLE: none' });
    agent.onSettledDiagnostics(settled(uri('src/cart.ts'), 'src/cart.ts', edited));
    await server.waitForChatRequests(start + 1);
    const user = messagesOf(server.chatRequests()[start]).at(-1)!.content;
    assert.match(user, /Task: review the changes saved since the last review in this file[\s\S]*\+ {2}const first = items\[0\]\.price;/);
    await rec.until(() => rec.logs.some((l) => l.startsWith('No proposal for src/cart.ts: the model found nothing worth changing')));

    agent.onSettledDiagnostics(settled(uri('src/cart.ts'), 'src/cart.ts', `${edited}export const a = 1;\nexport const b = 2;\nexport const c = 3;\n`));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(server.chatRequests().length, start + 1, 'throttled per file');

    rec.clock.now = new Date(rec.clock.now.getTime() + REVIEW_INTERVAL_MS);
    server.enqueue({ content: 'TITLE: none' });
    agent.onSettledDiagnostics(settled(uri('src/cart.ts'), 'src/cart.ts', `${edited}export const a = 1;\nexport const b = 2;\nexport const c = 3;\n`));
    await server.waitForChatRequests(start + 2);
    const second = messagesOf(server.chatRequests()[start + 1]).at(-1)!.content;
    assert.match(second, /\+export const c = 3;/);
    assert.ok(!second.includes('+  const first'), 'what was reviewed is not reviewed again');
  });

  it('reviews a new commit on the current branch', async () => {
    const { root, git } = repo();
    const rec = recordingHost(url, {}, {}, undefined, new WorkspaceContext(new WorkspaceFiles(root), undefined));
    const agent = new BackgroundAgent(rec.host);
    const head = git('rev-parse', 'HEAD');
    fs.writeFileSync(path.join(root, 'src/cart.ts'), CART.replace('  return items', '  const n = items.length;\n  const avg = total / n;\n  console.log(avg);\n  return items'));
    git('commit', '-qam', 'log the average');
    const start = server.chatRequests().length;
    server.enqueue({ content: ['TITLE: Drop the debug average', 'WHY: it divides a function by a count', '<<<<<<< SEARCH', '  const avg = total / n;\n  console.log(avg);', '=======', '>>>>>>> REPLACE'].join('\n') });
    const { commit } = await newCommit(root, head);
    agent.onCommit(commit!, root);
    await rec.until(() => rec.proposals().length === 1);
    assert.match(messagesOf(server.chatRequests()[start]).at(-1)!.content, /Task: review commit [0-9a-f]{7} "log the average"/);
    assert.equal(rec.proposals()[0].kind, 'review');
  });

  it('sweeps for a refactor when the user is idle, once per content', async () => {
    const { root } = repo();
    const rec = recordingHost(url, {}, {}, undefined, new WorkspaceContext(new WorkspaceFiles(root), undefined));
    const agent = new BackgroundAgent(rec.host);
    const start = server.chatRequests().length;
    server.enqueue({ content: 'TITLE: none' });
    await agent.onUserIdle();
    await server.waitForChatRequests(start + 1);
    assert.match(messagesOf(server.chatRequests()[start]).at(-1)!.content, /File: src\/report\.ts[\s\S]*Task: lines 1-48 are a refactor candidate/);
    await rec.until(() => rec.statuses.length > 0 && rec.last().state === 'idle');
    await agent.onUserIdle();
    assert.ok(rec.logs.includes('Idle sweep: no refactor candidate left that was not already looked at.'));
    assert.equal(server.chatRequests().length, start + 1);
  });

  it('runs as many tasks at once as the concurrency setting allows', async () => {
    for (const limit of [1, 2]) {
      const { root, uri } = repo();
      const rec = recordingHost(url, {}, {}, undefined, new WorkspaceContext(new WorkspaceFiles(root), undefined));
      rec.concurrency.value = limit;
      const agent = new BackgroundAgent(rec.host);
      const start = server.chatRequests().length;
      server.enqueue({ content: 'TITLE: none\n'.repeat(8), chunkDelayMs: 40 }, { content: 'TITLE: none\n'.repeat(8), chunkDelayMs: 40 });
      agent.onSettledDiagnostics(settled(uri('src/main.ts'), 'src/main.ts', MAIN, 2));
      agent.onSettledDiagnostics(settled(uri('src/cart.ts'), 'src/cart.ts', CART, 2));
      await rec.until(() => rec.logs.filter((l) => l.startsWith('No proposal')).length === 2);
      const t = server.timings.slice(start);
      // Each reply streams 6 chunks 40 ms apart: a second request within 200 ms ran beside the first.
      const overlapped = t[1].receivedAt < t[0].receivedAt + 200;
      assert.equal(overlapped, limit === 2, `concurrency ${limit}`);
    }
  });
});
