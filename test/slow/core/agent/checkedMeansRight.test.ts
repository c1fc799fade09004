/**
 * "Checked" means right, through the whole agent: a scripted model (over the real SDK and the
 * loopback server) answers the way cheap models do — silencing the error, editing only another
 * file — and the real TypeScript check, composed as the engine composes it, must not show the
 * answer as checked.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { WorkspaceContext } from '../../../../src/core/context/WorkspaceContext';
import { WorkspaceFiles } from '../../../../src/core/context/WorkspaceFiles';
import { TypeScriptVerifier } from '../../../../src/core/verify/TypeScriptVerifier';
import { weakestOf } from '../../../../src/core/verify/Verifier';
import { silencingCheck } from '../../../../src/core/verify/silencingCheck';
import { evidenceOf } from '../../../../src/shared/evidence';
import { REPO_ROOT } from '../../../harness/testEnv';
import { fixTaskFor } from './freeFix.test';
import { loopbackModel, recordingHost } from '../../../unit/core/agent/recordingHost';

const ROOT = path.join(REPO_ROOT, 'test', 'fixtures', 'compiler-fixes');
const verifier = weakestOf([silencingCheck, new TypeScriptVerifier(ROOT)]);
const LINE = '  const out: number = String(n / 2);';

const answer = (search: string, replace: string, file?: string) => ['TITLE: Fix half', 'WHY: the type', ...(file ? [`FILE: ${file}`] : []), '<<<<<<< SEARCH', search, '=======', replace, '>>>>>>> REPLACE'].join('\n');

describe('the agent shows no wrong answer as checked (real TypeScript, scripted model)', () => {
  const { server, url } = loopbackModel();
  const signal = () => {
    const { input } = fixTaskFor('typeMismatch.ts');
    return { uri: input.uri, relativePath: input.relativePath, languageId: input.languageId, text: input.text, diagnostics: input.diagnostics };
  };
  async function run(...replies: string[]) {
    server.enqueue(...replies.map((content) => ({ content })));
    const rec = recordingHost(url, {}, {}, verifier, new WorkspaceContext(new WorkspaceFiles(ROOT), undefined));
    const agent = new BackgroundAgent(rec.host);
    const before = server.chatRequests().length;
    agent.onSettledDiagnostics(signal());
    await rec.until(() => server.chatRequests().length >= before + replies.length && rec.last().state === 'idle');
    await agent.dispose();
    return { rec, requests: server.chatRequests().slice(before) };
  }

  it('sends a silencing answer back once with the reason, and shows it labelled when it comes back the same', async () => {
    const hush = answer(LINE, `  // @ts-expect-error the number is fine\n${LINE}`);
    const { rec, requests } = await run(hush, hush);
    assert.equal(requests.length, 2, 'asked again once');
    const feedback = JSON.stringify(requests[1].body);
    assert.match(feedback, /silences the problem instead of fixing it/);
    assert.match(feedback, /@ts-expect-error/);
    const [p] = rec.proposals();
    assert.equal(evidenceOf(p.check), 'silences the error');
    const calls = rec.ledger.load().calls;
    assert.deepEqual(
      calls.map((c) => c.evidence),
      ['silences', 'silences'],
    );
  });

  it('takes the right answer that follows a silencing one, as type-checked', async () => {
    const { rec } = await run(answer(LINE, `${LINE.replace('String(n / 2)', 'String(n / 2) as any')}`), answer(LINE, '  const out: number = n / 2;'));
    const [p] = rec.proposals();
    assert.equal(evidenceOf(p.check), 'type-checked', JSON.stringify(p.check));
  });

  it('never shows an answer that edits only another file as checked: the problem travels with the check', async () => {
    const other = fs.readFileSync(path.join(ROOT, 'src', 'money.ts'), 'utf8').split('\n')[0];
    const elsewhere = answer(other, `${other}\n  // half is fine`, 'src/money.ts');
    const { rec, requests } = await run(elsewhere, elsewhere, elsewhere);
    assert.equal(requests.length, 3, 'each answer went back to the model');
    assert.match(JSON.stringify(requests[1].body), /The problem is still there/, 'the check had the problem to prove, and it was not gone');
    assert.equal(rec.proposals().length, 0, 'a change that does not fix the problem is never shown');
  });
});
