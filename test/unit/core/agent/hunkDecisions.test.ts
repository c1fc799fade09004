/** Deciding a proposal hunk by hunk: keyed to its text, the rest re-based and checked again, the outcome booked as accepted in part. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { applyReplacements } from '../../../../src/core/edits/searchReplace';
import { takeHunk } from '../../../../src/core/proposals/hunks';
import type { VerifyRequest } from '../../../../src/core/verify/Verifier';
import { loopbackModel, recordingHost, signal } from './recordingHost';

const TEXT = ['export const a: number = "1";', 'export const keep = true;', '', '', '', '', '', 'export const b: number = "2";', ''].join('\n');
const block = (from: string, to: string) => ['<<<<<<< SEARCH', from, '=======', to, '>>>>>>> REPLACE'].join('\n');
const TWO = ['TITLE: Make a and b numbers', 'WHY: strings were assigned to numbers', block('export const a: number = "1";', 'export const a: number = 1;'), block('export const b: number = "2";', 'export const b: number = 2;')].join('\n');

describe('hunk by hunk', { timeout: 60_000 }, () => {
  const { server, url } = loopbackModel();

  async function twoHunkProposal() {
    const checks: VerifyRequest[] = [];
    const rec = recordingHost(url, {}, {}, { verify: async (r) => (checks.push(r), { status: 'passed', detail: 'Checked.' }) });
    const agent = new BackgroundAgent(rec.host);
    server.enqueue({ content: TWO });
    agent.onSettledDiagnostics(signal(TEXT));
    await rec.until(() => rec.proposals().length === 1);
    return { rec, agent, checks, p: rec.proposals()[0] };
  }

  it('shows each hunk on its own, and accepting one leaves the other applying to the file as it then is, checked again', async () => {
    const { rec, agent, checks, p } = await twoHunkProposal();
    const file = p.files[0];
    assert.equal(file.hunks?.length, 2);
    assert.match(file.hunks![0], /^@@ .*\n-export const a: number = "1";\n\+export const a: number = 1;/m);
    assert.doesNotMatch(file.hunks![0], /const b/, 'a hunk shows only its own change');
    assert.deepEqual(
      p.targets?.map((t) => t.code),
      ['2322'],
    );
    const done = checks.length;
    assert.deepEqual(await agent.decide({ id: p.id, decision: 'acceptHunk', hunk: { uri: file.uri, index: 0, base: TEXT } }), { ok: true });
    await rec.until(() => rec.proposals()[0]?.check?.detail === 'Checked.' && checks.length > done);
    const rest = rec.proposals()[0];
    const now = applyReplacements(TEXT, [file.replacements[0]]);
    assert.equal(rest.files[0].replacements.length, 1);
    assert.equal(applyReplacements(now, rest.files[0].replacements), applyReplacements(TEXT, file.replacements), 'the rest, on the file with the first applied, gives the whole fix');
    assert.equal(checks.at(-1)!.before, now, 'the re-check ran on the file as it now is');
    assert.deepEqual(rest.partial, { accepted: 1, rejected: 0 });
    // The other hunk rejected: the proposal is decided, accepted in part.
    assert.deepEqual(await agent.decide({ id: p.id, decision: 'rejectHunk', hunk: { uri: file.uri, index: 0, base: now } }), { ok: true });
    assert.equal(rec.proposals().length, 0);
    const [d] = rec.ledger.load().decisions;
    assert.deepEqual([d.decision, d.partial], ['accepted', { accepted: 1, of: 2 }]);
  });

  it('refuses a hunk whose text changed, and applies nothing elsewhere', async () => {
    const { agent, p } = await twoHunkProposal();
    const file = p.files[0];
    const edited = TEXT.replace('keep', 'kept');
    const r = await agent.decide({ id: p.id, decision: 'acceptHunk', hunk: { uri: file.uri, index: 0, base: edited } });
    assert.equal(r.ok, false);
    assert.match(r.reason!, /changed since this hunk was made/);
    assert.deepEqual(takeHunk(file, TEXT, 5, true), { ok: false, reason: 'there is no such hunk' });
  });

  it('books a whole accept after part of it was rejected as accepted in part, and all hunks rejected as rejected', async () => {
    const one = await twoHunkProposal();
    const f = one.p.files[0];
    await one.agent.decide({ id: one.p.id, decision: 'rejectHunk', hunk: { uri: f.uri, index: 1, base: TEXT } });
    assert.deepEqual(one.rec.proposals()[0].partial, { accepted: 0, rejected: 1 });
    await one.agent.decide({ id: one.p.id, decision: 'accept', applied: true });
    assert.deepEqual(
      one.rec.ledger.load().decisions.map((d) => [d.decision, d.partial]),
      [['accepted', { accepted: 1, of: 2 }]],
    );
    const two = await twoHunkProposal();
    const g = two.p.files[0];
    await two.agent.decide({ id: two.p.id, decision: 'rejectHunk', hunk: { uri: g.uri, index: 0, base: TEXT } });
    await two.agent.decide({ id: two.p.id, decision: 'rejectHunk', hunk: { uri: g.uri, index: 0, base: TEXT } });
    assert.deepEqual(
      two.rec.ledger.load().decisions.map((d) => [d.decision, d.partial]),
      [['rejected', { accepted: 0, of: 2 }]],
    );
  });
});
