import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyProposalToDisk } from '../../../../src/core/proposals/applyToDisk';
import { sha256 } from '../../../../src/core/hash';
import type { Proposal } from '../../../../src/shared/types';

function proposalFor(files: Record<string, { base: string; search: string; newText: string }>): Proposal {
  return {
    id: 'p1',
    kind: 'fix',
    title: 't',
    rationale: '',
    model: 'm',
    usage: { inputTokens: 0, cachedInputTokens: 0, outputTokens: 0, reasoningTokens: 0 },
    costUsd: 0,
    createdAt: new Date().toISOString(),
    files: Object.entries(files).map(([rel, f]) => ({
      uri: `file:///x/${rel}`,
      relativePath: rel,
      baseHash: sha256(f.base),
      replacements: [{ offset: f.base.indexOf(f.search), length: f.search.length, newText: f.newText, search: f.search }],
      diff: '',
    })),
  };
}

describe('applying a proposal without an editor', () => {
  it('writes every file, keeping its mode', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-apply-'));
    fs.writeFileSync(path.join(root, 'a.sh'), 'echo one\n', { mode: 0o755 });
    fs.writeFileSync(path.join(root, 'b.ts'), 'let b = 1;\n');
    const r = applyProposalToDisk(root, proposalFor({ 'a.sh': { base: 'echo one\n', search: 'one', newText: 'two' }, 'b.ts': { base: 'let b = 1;\n', search: '1', newText: '2' } }));
    assert.deepEqual(r, { ok: true, files: ['a.sh', 'b.ts'] });
    assert.equal(fs.readFileSync(path.join(root, 'a.sh'), 'utf8'), 'echo two\n');
    assert.equal(fs.statSync(path.join(root, 'a.sh')).mode & 0o777, 0o755);
    assert.equal(fs.readFileSync(path.join(root, 'b.ts'), 'utf8'), 'let b = 2;\n');
  });

  it('writes nothing when any file changed since, or a path leaves the workspace', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-apply-'));
    fs.writeFileSync(path.join(root, 'a.ts'), 'let a = 1;\n');
    fs.writeFileSync(path.join(root, 'b.ts'), 'let b = 1; // edited\n');
    const r = applyProposalToDisk(root, proposalFor({ 'a.ts': { base: 'let a = 1;\n', search: '1', newText: '2' }, 'b.ts': { base: 'let b = 1;\n', search: '1', newText: '2' } }));
    assert.deepEqual(r, { ok: false, reason: 'b.ts changed since the proposal was made' });
    assert.equal(fs.readFileSync(path.join(root, 'a.ts'), 'utf8'), 'let a = 1;\n', 'the first file is untouched too');
    const out = applyProposalToDisk(root, proposalFor({ '../evil.ts': { base: 'x', search: 'x', newText: 'y' } }));
    assert.deepEqual(out, { ok: false, reason: '../evil.ts is outside the workspace' });
    // A folder linked out of the workspace is outside it (outside test: apply rewrote a file through `src/ext -> elsewhere`).
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-apply-out-'));
    fs.writeFileSync(path.join(elsewhere, 'outcls.ts'), 'x');
    fs.symlinkSync(elsewhere, path.join(root, 'ext'));
    assert.deepEqual(applyProposalToDisk(root, proposalFor({ 'ext/outcls.ts': { base: 'x', search: 'x', newText: 'y' } })), { ok: false, reason: 'ext/outcls.ts is outside the workspace' });
    assert.equal(fs.readFileSync(path.join(elsewhere, 'outcls.ts'), 'utf8'), 'x');
    fs.rmSync(elsewhere, { recursive: true, force: true });
    assert.match(JSON.stringify(applyProposalToDisk(root, { ...proposalFor({}), stale: 'the file changed' })), /stale/);
  });
});
