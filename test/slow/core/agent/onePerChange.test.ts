/**
 * One review per change, counted at the loopback model server: lines reviewed as a saved change
 * are not reviewed again as part of the commit that holds them, and lines a commit's review covered
 * are not reviewed again as a saved change — through the real provider and a real git repository.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { REVIEW_INTERVAL_MS } from '../../../../src/core/agent/taskSources';
import { WorkspaceContext } from '../../../../src/core/context/WorkspaceContext';
import { WorkspaceFiles } from '../../../../src/core/context/WorkspaceFiles';
import { newCommit } from '../../../../src/core/signals/commits';
import type { SettledDiagnosticsParams } from '../../../../src/shared/agentProtocol';
import type { RecordedRequest } from '../../../fakes/fakeModelServer';
import { tempRepo } from '../../../harness/gitRepo';
import { loopbackModel, recordingHost } from '../../../unit/core/agent/recordingHost';

const CART = ['export interface Item { price: number }', '', 'export function total(items: Item[]): number {', '  return items.reduce((sum, i) => sum + i.price, 0);', '}', '', ...Array.from({ length: 12 }, (_, i) => `export const limit${i} = ${i};`), ''].join('\n');
/** A change worth a review (three new lines). */
const FIRST = CART.replace('  return items.reduce', '  if (items.length === 0) return 0;\n  const first = items[0].price;\n  const rest = items.slice(1);\n  return first + rest.reduce');
/** Another change after it, at the end of the file. */
const SECOND = `${FIRST}export function average(items: Item[]): number {\n  const sum = total(items);\n  return sum / items.length;\n}\n`;

const lastMessage = (r: RecordedRequest) => (r.body as { messages: Array<{ content: string }> }).messages.at(-1)!.content;

function setUp() {
  const { root, git } = tempRepo('one-review');
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src/cart.ts'), CART);
  git('add', '.');
  git('commit', '-qm', 'start');
  const uri = pathToFileURL(path.join(root, 'src/cart.ts')).toString();
  const save = (text: string): SettledDiagnosticsParams => {
    fs.writeFileSync(path.join(root, 'src/cart.ts'), text);
    return { uri, relativePath: 'src/cart.ts', languageId: 'typescript', text, diagnostics: [] };
  };
  const commit = async (message: string) => {
    const head = git('rev-parse', 'HEAD');
    git('commit', '-qam', message);
    return (await newCommit(root, head)).commit!;
  };
  return { root, save, commit, workspace: new WorkspaceContext(new WorkspaceFiles(root), undefined) };
}

describe('one review per change', { timeout: 60_000 }, () => {
  const { server, url } = loopbackModel();
  /** Lets a review that would be queued reach the server (and be counted) before the count is read. */
  const settle = () => new Promise((r) => setTimeout(r, 300));
  /** An agent on a fresh repository whose first save (FIRST) has been reviewed, once. */
  async function firstSaveReviewed() {
    const repo = setUp();
    const rec = recordingHost(url, {}, {}, undefined, repo.workspace);
    const agent = new BackgroundAgent(rec.host);
    const start = server.chatRequests().length;
    server.respondWith(() => ({ content: 'TITLE: none' }));
    agent.onSettledDiagnostics(repo.save(FIRST));
    await server.waitForChatRequests(start + 1);
    await rec.until(() => rec.logs.filter((l) => l.startsWith('No proposal for src/cart.ts')).length === 1);
    return { ...repo, rec, agent, start };
  }

  it('a saved change that is then committed is reviewed once (as the save), not again as the commit', async () => {
    const { root, commit, agent, start } = await firstSaveReviewed();
    agent.onCommit(await commit('guard the empty cart'), root);
    await settle();
    assert.equal(server.chatRequests().length - start, 1, 'one paid review for one change');
  });

  it('lines a commit review covered are not reviewed again as a saved change; only what is new is', async () => {
    // A first save is reviewed; a second one within the interval waits for the next review.
    const { root, save, commit, rec, agent, start } = await firstSaveReviewed();
    agent.onSettledDiagnostics(save(SECOND));
    await settle();
    assert.equal(server.chatRequests().length - start, 1, 'throttled');
    // The commit holds both changes: only the second is new to a review.
    agent.onCommit(await commit('average'), root);
    await server.waitForChatRequests(start + 2);
    const commitReview = lastMessage(server.chatRequests()[start + 1]);
    assert.match(commitReview, /Task: review commit [0-9a-f]{7} "average"[\s\S]*\+ {2}return sum \/ items\.length;/);
    assert.ok(!commitReview.includes('+  const first = items[0].price;'), 'the saved change already reviewed is not in it');
    await rec.until(() => rec.logs.filter((l) => l.startsWith('No proposal for src/cart.ts')).length === 2);
    // After the interval the same text is saved again: everything in it since the last saved review was the commit's.
    rec.clock.now = new Date(rec.clock.now.getTime() + REVIEW_INTERVAL_MS);
    agent.onSettledDiagnostics(save(`${SECOND}\n`));
    await settle();
    assert.equal(server.chatRequests().length - start, 2, 'two changes, two paid reviews');
    // Something new is still reviewed.
    rec.clock.now = new Date(rec.clock.now.getTime() + REVIEW_INTERVAL_MS);
    agent.onSettledDiagnostics(save(SECOND.replace('export const limit3 = 3;\n', 'export const limit3 = 3;\nexport const a = 1;\nexport const b = 2;\nexport const c = 3;\n')));
    await server.waitForChatRequests(start + 3);
    const third = lastMessage(server.chatRequests()[start + 2]);
    assert.match(third, /\+export const c = 3;/);
    assert.ok(!third.includes('+  return sum / items.length;'), third);
  });
});
