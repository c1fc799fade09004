import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { TypeScriptVerifier } from '../../../../src/core/verify/TypeScriptVerifier';
import { REPO_ROOT } from '../../../harness/testEnv';
import type { SettledDiagnosticsParams } from '../../../../src/shared/agentProtocol';
import { loopbackModel, recordingHost } from '../../../unit/core/agent/recordingHost';

describe('BackgroundAgent checks proposals, with the real provider and the loopback server', { timeout: 120_000 }, () => {
  const { server, url } = loopbackModel();

  describe("checking proposals with the workspace's TypeScript before showing them", () => {
    const root = path.join(REPO_ROOT, 'test', 'fixtures', 'ts-error');
    const file = path.join(root, 'src', 'cart.ts');
    const text = fs.readFileSync(file, 'utf8');
    const broken = '  const count: number = cart.items.length.toString();';
    const answer = (replace: string) => ['TITLE: Fix the count', 'WHY: w', '<<<<<<< SEARCH', broken, '=======', replace, '>>>>>>> REPLACE'].join('\n');
    const right = answer('  const count: number = cart.items.length;');
    const wrong = answer('  const count: string = cart.items.length.toString();');
    const cartSignal = (): SettledDiagnosticsParams => ({
      uri: pathToFileURL(file).toString(),
      relativePath: 'src/cart.ts',
      languageId: 'typescript',
      text,
      diagnostics: [{ message: "Type 'string' is not assignable to type 'number'.", severity: 'error', source: 'ts', code: '2322', range: { startLine: 6, startCharacter: 8, endLine: 6, endCharacter: 13 } }],
    });
    const verifier = new TypeScriptVerifier(root);

    it('gives a failed check back to the model; the right fix is shown as checked', async () => {
      server.enqueue({ content: wrong }, { content: right });
      const rec = recordingHost(url, {}, {}, verifier);
      const agent = new BackgroundAgent(rec.host);
      const before = server.chatRequests().length;
      agent.onSettledDiagnostics(cartSignal());
      await rec.until(() => rec.proposals().length === 1);
      const p = rec.proposals()[0];
      assert.equal(p.check?.status, 'passed');
      assert.match(p.check!.detail, /the problem is gone and no new error appeared in cart\.ts/);
      assert.equal(server.chatRequests().length, before + 2);
      const retry = JSON.stringify(server.chatRequests().at(-1)!.body);
      assert.match(retry, /does not pass the check/);
      assert.match(retry, /line 8: TS2322/);
      assert.ok(p.usage.inputTokens > server.chatRequests().at(-1)!.rawBody.length / 8, 'usage covers both calls');
      const calls = rec.ledger.load().calls;
      assert.deepEqual(
        calls.map((c) => c.outcome),
        ['checkFailed', 'proposal'],
        'the answer that failed its check is booked as such',
      );
      const inTokens = calls[0].inputTokens + calls[1].inputTokens;
      assert.equal(p.usage.inputTokens, inTokens);
      const line = rec.logs.find((l) => l.startsWith('Proposal "'))!;
      assert.match(line, new RegExp(`2 calls, ${inTokens} in / ${calls[0].outputTokens + calls[1].outputTokens} out`), line);
    });

    it('never shows a fix that keeps failing its check: the task is left for escalation', async () => {
      server.enqueue({ content: wrong }, { content: wrong }, { content: wrong });
      const rec = recordingHost(url, {}, {}, verifier);
      const agent = new BackgroundAgent(rec.host);
      const before = server.chatRequests().length;
      agent.onSettledDiagnostics(cartSignal());
      await rec.until(() => rec.logs.some((l) => l.startsWith('No proposal')));
      assert.equal(rec.proposals().length, 0);
      assert.equal(server.chatRequests().length, before + 3);
      assert.match(rec.logs.join('\n'), /needs escalation: the fix failed its check 3 times \(The problem is still there/);
      assert.deepEqual(
        rec.ledger.load().calls.map((c) => c.outcome),
        ['checkFailed', 'checkFailed', 'checkFailed'],
      );
      assert.match(
        rec.logs.find((l) => l.startsWith('No proposal'))!,
        /, 3 calls, \d+ in \/ \d+ out/,
      );
    });
  });
});
