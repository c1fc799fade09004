import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyBlocks } from '../../../../src/core/edits/searchReplace';
import { unifiedDiff } from '../../../../src/core/edits/unifiedDiff';
import { sha256 } from '../../../../src/core/hash';
import { ProposalStore } from '../../../../src/core/proposals/ProposalStore';
import type { Proposal } from '../../../../src/shared/types';

const URI = 'file:///ws/src/a.ts';
const BASE = ['import { x } from "./x";', '', 'export const answer: number = "42";', 'export const other = 1;', ''].join('\n');

function proposal(id = 'p1'): Proposal {
  const applied = applyBlocks(BASE, [{ search: 'export const answer: number = "42";', replace: 'export const answer: number = 42;' }]);
  assert.ok(applied.ok);
  return {
    id,
    kind: 'fix',
    title: 'Make answer a number',
    rationale: 'r',
    files: [{ uri: URI, relativePath: 'src/a.ts', baseHash: sha256(BASE), replacements: applied.replacements, resultHash: sha256(applied.newText), diff: unifiedDiff('src/a.ts', BASE, applied.newText) }],
    model: 'MiniMax-M2.7',
    usage: { inputTokens: 1, cachedInputTokens: 0, outputTokens: 1, reasoningTokens: 0 },
    costUsd: 0.001,
    createdAt: '2026-11-21T12:00:00.000Z',
  };
}

const tmpFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-proposals-')), 'proposals.json');
const entry = (p = proposal()) => ({ proposal: p, taskKey: `key-${p.id}`, taskId: 't', taskKind: 'fix' });

describe('ProposalStore', () => {
  it('follows an edit elsewhere in the file: new offsets, new base hash, same change', () => {
    const store = new ProposalStore(undefined);
    store.add(entry());
    const edited = BASE.replace('import { x } from "./x";', 'import { x, y } from "./x";\nimport { z } from "./z";');
    assert.equal(store.onFileChanged(URI, edited), true);
    const [p] = store.list();
    assert.equal(p.stale, undefined);
    assert.equal(p.files[0].baseHash, sha256(edited));
    const r = p.files[0].replacements[0];
    assert.equal(edited.slice(r.offset, r.offset + r.length), 'export const answer: number = "42";');
    assert.match(p.files[0].diff, /^\+export const answer: number = 42;$/m);
  });

  it('no longer calls a moved proposal checked: its check was made on the text before; others keep theirs', () => {
    const store = new ProposalStore(undefined);
    const check = { status: 'passed' as const, detail: 'Checked with TypeScript 6.0.3: the problem is gone and no new error appeared in a.ts.' };
    store.add(entry({ ...proposal('a'), check }));
    store.add(entry({ ...proposal('b'), check, files: proposal('b').files.map((f) => ({ ...f, uri: 'file:///ws/src/b.ts' })) }));
    store.onFileChanged(URI, `// header\n${BASE}`);
    const [a, b] = store.list();
    assert.equal(a.check?.status, 'unchecked');
    assert.match(a.check!.detail, /^Checked before src\/a\.ts changed elsewhere; not checked again since\./);
    assert.deepEqual(b.check, check);
  });

  it('goes stale when the text it edits changed, and when its file is deleted', () => {
    const store = new ProposalStore(undefined);
    store.add(entry(proposal('a')));
    store.onFileChanged(URI, BASE.replace('"42"', '"43"'));
    assert.equal(store.get('a')!.proposal.stale, 'the file changed where this proposal edits it');
    const other = new ProposalStore(undefined);
    other.add(entry(proposal('b')));
    assert.equal(other.onFilesDeleted([URI]), true);
    assert.equal(other.get('b')!.proposal.stale, 'the file was deleted');
    assert.equal(other.onFilesDeleted(['file:///ws/unrelated.ts']), false);
  });

  it('stays as it was when its file now holds exactly what it makes of it: it was just applied, its decision is on the way', () => {
    const store = new ProposalStore(undefined);
    store.add(entry(proposal('a')));
    assert.equal(store.onFileChanged(URI, BASE.replace('"42"', '42')), false);
    assert.equal(store.get('a')!.proposal.stale, undefined);
    // After it moved with an edit elsewhere, the result it is known by moves too.
    const moved = `// header\n${BASE}`;
    store.onFileChanged(URI, moved);
    assert.equal(store.onFileChanged(URI, moved.replace('"42"', '42')), false);
    assert.equal(store.get('a')!.proposal.stale, undefined);
  });

  it('read mid-write, then saved with an edit elsewhere, it follows the new text (its anchors are back, once)', () => {
    const store = new ProposalStore(undefined);
    store.add(entry(proposal('a')));
    store.onFileChanged(URI, BASE.slice(0, 5));
    assert.equal(store.get('a')!.proposal.stale, 'the file changed where this proposal edits it');
    assert.equal(store.onFileChanged(URI, `// header\n${BASE}`), true);
    const p = store.get('a')!.proposal;
    assert.equal(p.stale, undefined);
    assert.equal(p.files[0].replacements[0].offset, BASE.indexOf(p.files[0].replacements[0].search) + '// header\n'.length);
  });

  it('is current again when its file, read mid-write, then holds its base or its result', () => {
    const store = new ProposalStore(undefined);
    store.add(entry(proposal('a')));
    store.onFileChanged(URI, '');
    assert.equal(store.get('a')!.proposal.stale, 'the file changed where this proposal edits it');
    assert.equal(store.onFileChanged(URI, BASE.replace('"42"', '42')), true);
    assert.equal(store.get('a')!.proposal.stale, undefined);
    store.onFileChanged(URI, 'something else');
    store.onFileChanged(URI, 'still something else');
    assert.equal(store.get('a')!.proposal.stale, 'the file changed where this proposal edits it', 'other text keeps it stale');
    const gone = new ProposalStore(undefined);
    gone.add(entry(proposal('b')));
    gone.onFilesDeleted([URI]);
    gone.onFileChanged(URI, BASE);
    assert.equal(gone.get('b')!.proposal.stale, 'the file was deleted', 'a deletion is not undone by a text');
  });

  it('keeps open proposals and decided tasks across restarts, written atomically', () => {
    const file = tmpFile();
    const first = new ProposalStore(file);
    first.add(entry(proposal('keep')));
    first.add(entry(proposal('reject-me')));
    first.decide('reject-me');
    const second = new ProposalStore(file);
    assert.deepEqual(
      second.list().map((p) => p.id),
      ['keep'],
    );
    assert.equal(second.isDecided('key-reject-me'), true);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['proposals.json']);
  });

  it('sets an unreadable file aside with a message and starts empty', () => {
    const file = tmpFile();
    fs.writeFileSync(file, '{"version":1,"open":[');
    const problems: string[] = [];
    const store = new ProposalStore(file, (m) => problems.push(m));
    assert.deepEqual(store.list(), []);
    assert.match(problems[0], /could not be read .* set aside as proposals\.json\.unreadable-\d+/);
    store.add(entry());
    assert.equal(new ProposalStore(file).list().length, 1);
  });
});

describe('ProposalStore.onProblemsSettled: a fix whose problem is gone leaves the inbox', () => {
  const PROBLEM = { message: "Type 'string' is not assignable to type 'number'.", severity: 'error' as const, source: 'ts', code: '2322', range: { startLine: 2, startCharacter: 13, endLine: 2, endCharacter: 19 } };
  const OTHER_URI = 'file:///ws/src/b.ts';
  const targeted = (targetUri = URI) => ({ ...proposal(), targets: [PROBLEM], targetUri });

  it('marks a fix stale once its problem no longer settles in the file it was about, also when the fix edits another file', () => {
    const store = new ProposalStore(undefined);
    store.add(entry(targeted(OTHER_URI)));
    assert.equal(store.onProblemsSettled(OTHER_URI, 'whatever', [{ ...PROBLEM, range: { ...PROBLEM.range, startLine: 9 } }]), false, 'the problem only moved: still open');
    assert.equal(store.list()[0].stale, undefined);
    assert.equal(store.onProblemsSettled(URI, BASE, []), false, 'the fix’s own file says nothing about the problem’s file');
    assert.equal(store.onProblemsSettled(OTHER_URI, 'fixed by hand', []), true);
    assert.equal(store.list()[0].stale, 'the problem it fixes is gone');
  });

  it('keeps a fix whose file holds its own result (accepted, the decision on the way) and a proposal with no targets', () => {
    const store = new ProposalStore(undefined);
    const p = targeted();
    store.add(entry(p));
    store.add(entry(proposal('p2')));
    const applied = applyBlocks(BASE, [{ search: 'export const answer: number = "42";', replace: 'export const answer: number = 42;' }]);
    assert.ok(applied.ok);
    assert.equal(store.onProblemsSettled(URI, applied.newText, []), false);
    assert.ok(store.list().every((q) => q.stale === undefined));
  });
});
