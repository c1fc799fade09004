/**
 * Proposals kept from an earlier session are judged against their files when an engine starts:
 * a file changed meanwhile makes one stale (it leaves the inbox, saying why), files that hold its
 * result book it as applied outside, and one whose files are as it found them stays current.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { applyBlocks } from '../../../../src/core/edits/searchReplace';
import { fileChange } from '../../../../src/core/proposals/hunks';
import { ProposalStore } from '../../../../src/core/proposals/ProposalStore';
import { judgeKept } from '../../../../src/core/proposals/appliedOnDisk';
import type { Proposal } from '../../../../src/shared/types';
import { loopbackModel, recordingHost } from '../agent/recordingHost';

const BAD = 'export const answer: number = "42";\nexport const other = 1;\n';

function proposalFor(root: string, rel: string, id: string): { proposal: Proposal; result: string } {
  const applied = applyBlocks(BAD, [{ search: 'export const answer: number = "42";', replace: 'export const answer: number = 42;' }]);
  assert.ok(applied.ok);
  const uri = pathToFileURL(path.join(root, rel)).href;
  const proposal: Proposal = {
    id,
    kind: 'fix',
    title: `Fix ${rel}`,
    rationale: 'r',
    files: [fileChange(uri, rel, BAD, applied.replacements)],
    model: 'MiniMax-M2.7',
    usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1, reasoningTokens: 0 },
    costUsd: 0.001,
    createdAt: '2026-11-21T12:00:00.000Z',
    targets: [{ message: "Type 'string' is not assignable to type 'number'.", severity: 'error', source: 'ts', code: '2322', range: { startLine: 0, startCharacter: 13, endLine: 0, endCharacter: 19 } }],
  };
  return { proposal, result: applied.newText };
}

const read = async (uri: string) => {
  try {
    return fs.readFileSync(new URL(uri), 'utf8');
  } catch {
    return undefined;
  }
};

describe('proposals kept from an earlier session', () => {
  const { url } = loopbackModel();

  it('are judged against their files at start: changed → stale with why, holding the result → booked as applied outside, untouched → current', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-kept-'));
    fs.mkdirSync(path.join(root, 'src'));
    const storeFile = path.join(root, 'state', 'proposals.json');
    fs.mkdirSync(path.dirname(storeFile));
    const made = ['same', 'edited', 'applied', 'deleted'].map((name) => proposalFor(root, `src/${name}.ts`, name));
    // A first session made four proposals on the same bad text, then stopped.
    const first = new ProposalStore(storeFile);
    for (const { proposal } of made) first.add({ proposal, taskKey: `key-${proposal.id}`, taskId: proposal.id, taskKind: 'fix' });
    // While no engine ran: one file was fixed by hand, one got the proposal's own result, one was deleted.
    fs.writeFileSync(path.join(root, 'src/same.ts'), BAD);
    fs.writeFileSync(path.join(root, 'src/edited.ts'), 'export const answer = 42;\nexport const other = 1;\n');
    fs.writeFileSync(path.join(root, 'src/applied.ts'), made[2].result);

    const rec = recordingHost(url);
    rec.host.readFile = read;
    const agent = new BackgroundAgent(rec.host, new ProposalStore(storeFile));
    await agent.publishAll();

    const byId = new Map(rec.proposals().map((p) => [p.id, p]));
    assert.equal(byId.get('same')?.stale, undefined, 'untouched: still current');
    assert.equal(byId.get('edited')?.stale, 'src/edited.ts changed since it was made');
    assert.equal(byId.get('deleted')?.stale, 'src/deleted.ts is gone or cannot be read');
    assert.equal(byId.has('applied'), false, 'applied outside: decided, out of the inbox');
    const decisions = rec.ledger.load().decisions;
    assert.deepEqual(
      decisions.map((d) => [d.proposalId, d.decision, d.reason]),
      [['applied', 'accepted', 'applied outside Nightshift']],
    );
    assert.ok(rec.logs.includes('Proposal "Fix src/applied.ts" was applied outside Nightshift; booked as accepted.'), rec.logs.join('\n'));
    // Kept: the next start sees the same (nothing booked twice).
    const again = recordingHost(url);
    again.host.readFile = read;
    await new BackgroundAgent(again.host, new ProposalStore(storeFile)).publishAll();
    assert.deepEqual(
      again
        .proposals()
        .map((p) => [p.id, p.stale ?? null])
        .sort(),
      [
        ['deleted', 'src/deleted.ts is gone or cannot be read'],
        ['edited', 'src/edited.ts changed since it was made'],
        ['same', null],
      ],
    );
    assert.equal(again.ledger.load().decisions.length, 0);
  });

  it('a proposal over two files with only one holding its result is stale, not applied', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-kept-'));
    fs.mkdirSync(path.join(root, 'src'));
    const a = proposalFor(root, 'src/a.ts', 'a');
    const b = proposalFor(root, 'src/b.ts', 'b');
    const both: Proposal = { ...a.proposal, files: [...a.proposal.files, ...b.proposal.files] };
    fs.writeFileSync(path.join(root, 'src/a.ts'), a.result);
    fs.writeFileSync(path.join(root, 'src/b.ts'), BAD);
    assert.deepEqual(await judgeKept(both, read), { kind: 'stale', reason: 'only some of its files hold its change' });
    fs.writeFileSync(path.join(root, 'src/b.ts'), b.result);
    assert.deepEqual(await judgeKept(both, read), { kind: 'applied' });
  });

  it('a headless first look stales a kept fix whose problem its own checker finds gone, and only that checker', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-kept-'));
    fs.mkdirSync(path.join(root, 'src'));
    const storeFile = path.join(root, 'state', 'proposals.json');
    fs.mkdirSync(path.dirname(storeFile));
    const made = ['gone', 'still', 'unlooked', 'pylance'].map((name) => proposalFor(root, `src/${name}.ts`, name));
    made[3].proposal.targets = [{ ...made[3].proposal.targets![0], source: 'Pylance' }];
    const first = new ProposalStore(storeFile);
    for (const { proposal } of made) {
      first.add({ proposal, taskKey: `key-${proposal.id}`, taskId: proposal.id, taskKind: 'fix' });
      fs.writeFileSync(new URL(proposal.files[0].uri), BAD);
    }
    const rec = recordingHost(url);
    rec.host.readFile = read;
    const agent = new BackgroundAgent(rec.host, new ProposalStore(storeFile));
    await agent.publishAll();
    const target = made[0].proposal.targets![0];
    // TypeScript looked at every file but "unlooked" and finds the error only in "still"; no Pylance ran.
    await agent.recheckKept(async (uri) => {
      const name = path.basename(new URL(uri).pathname, '.ts');
      if (name === 'unlooked') return undefined;
      return { text: BAD, sources: ['ts', 'eslint'], problems: name === 'still' ? [target] : [] };
    });
    const stale = new Map(rec.proposals().map((p) => [p.id, p.stale ?? null]));
    assert.deepEqual(Object.fromEntries(stale), { gone: 'the problem it fixes is gone', still: null, unlooked: null, pylance: null });
    assert.ok(rec.logs.includes('Proposal "Fix src/gone.ts" is stale: the problem it fixes is gone.'), rec.logs.join('\n'));
  });

  it('follows a file changed meanwhile outside its edits (blank lines added), and a file back at its text gets a new task once its proposal went stale', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-kept-'));
    fs.mkdirSync(path.join(root, 'src'));
    const storeFile = path.join(root, 'state', 'proposals.json');
    fs.mkdirSync(path.dirname(storeFile));
    const spaced = proposalFor(root, 'src/spaced.ts', 'spaced');
    const first = new ProposalStore(storeFile);
    first.add({ proposal: spaced.proposal, taskKey: 'key-spaced', taskId: 'spaced', taskKind: 'fix' });
    // A formatter added blank lines at the top while no engine ran: the edit's anchor is still there, once.
    fs.writeFileSync(path.join(root, 'src/spaced.ts'), `\n\n${BAD}`);
    const rec = recordingHost(url);
    rec.host.readFile = read;
    const store = new ProposalStore(storeFile);
    await new BackgroundAgent(rec.host, store).publishAll();
    const followed = rec.proposals().find((p) => p.id === 'spaced')!;
    assert.equal(followed.stale, undefined, 'it follows the file');
    assert.notEqual(followed.files[0].baseHash, spaced.proposal.files[0].baseHash);
    assert.deepEqual(
      followed.files[0].replacements.map((r) => r.offset),
      [spaced.proposal.files[0].replacements[0].offset + 2],
    );
    assert.ok(rec.logs.includes('Proposal "Fix src/spaced.ts" follows src/spaced.ts, changed meanwhile.'), rec.logs.join('\n'));
    // A stale proposal answers no task: its text back, the problem is there to fix again.
    assert.equal(store.hasOpenTask('key-spaced'), true);
    store.markStale('spaced', 'src/spaced.ts changed since it was made');
    assert.equal(store.hasOpenTask('key-spaced'), false);
  });
});
