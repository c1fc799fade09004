/**
 * Faults of the headless host, on the built binary: a process killed mid-call, a state folder that
 * cannot be used, files a scan skips. Model calls go to the loopback server.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import * as os from 'node:os';
import { after, before, describe, it } from 'node:test';
import Ajv from 'ajv';
import { DecideProposalRequest } from '../../src/shared/agentProtocol';
import { connectDaemon } from '../../src/cli/daemonClient';
import { FakeModelServer } from '../fakes/fakeModelServer';
import { CART_FIX } from '../harness/fixtureAnswers';
import { REPO_ROOT } from '../harness/testEnv';
import { cliEnv, runCli, RunningCli, workspaceFrom } from './cliHarness';

interface LedgerLine {
  kind?: string;
  decision?: string;
  costUsd?: number;
  costSource?: string;
  taskKind?: string;
  backend?: string;
  model?: string;
  outcome?: string;
}

const ledgerLines = (stateDir: string): LedgerLine[] =>
  fs
    .readdirSync(path.join(stateDir, 'ledger'))
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) =>
      fs
        .readFileSync(path.join(stateDir, 'ledger', f), 'utf8')
        .split('\n')
        .filter(Boolean),
    )
    .map((l) => JSON.parse(l) as LedgerLine);

const held = (stateDir: string): Array<{ pid: number; nano: number }> => {
  try {
    return (JSON.parse(fs.readFileSync(path.join(stateDir, 'ledger', 'reservations.json'), 'utf8')) as { held: Array<{ pid: number; nano: number }> }).held;
  } catch {
    return [];
  }
};

describe('nightshift (the built binary) under faults', () => {
  const server = new FakeModelServer();
  let url = '';
  const profiles = () => JSON.stringify([{ name: 'team', backend: 'litellm', baseUrl: url.replace(/\/v1$/, ''), model: 'MiniMax-M2.7' }]);

  before(async () => {
    url = await server.start();
    server.getRoutes.set('/key/info', () => ({ body: { info: { spend: 0, max_budget: 1000, team_id: null } } }));
  });
  after(() => server.close());

  it('books a call cut by kill -9 at its worst case, as an estimate, when the next process finds it', async () => {
    const { root, stateDir } = workspaceFrom('ts-error');
    const env = cliEnv(stateDir, { NIGHTSHIFT_API_KEY_TEAM: 'sk-team' });
    // The backend starts answering, then holds the reply open: the call is under way (and billed) when the process dies.
    server.enqueue({ content: 'TITLE: a fix that takes its time to arrive', stallAfterChunks: 1 });
    const before = server.chatRequests().length;
    const scan = new RunningCli(['scan', root, '--profiles', profiles(), '--backgroundProfile', 'team', '--streamIdleSeconds', '600', '--json'], env);
    await server.waitForChatRequests(before + 1);
    const [hold] = held(stateDir);
    assert.equal(hold?.pid, scan.child.pid, 'the call under way is reserved for the others to see');
    assert.equal(await scan.stop('SIGKILL'), null);
    assert.deepEqual(
      ledgerLines(stateDir).filter((l) => l.costUsd !== undefined),
      [],
      'the killed process booked nothing',
    );

    const next = await runCli(['budget', root, '--profiles', profiles(), '--backgroundProfile', 'team', '--json'], env);
    assert.equal(next.code, 0, next.stderr);
    const cut = ledgerLines(stateDir).filter((l) => l.costSource === 'estimate (call cut off)');
    assert.equal(cut.length, 1, JSON.stringify(ledgerLines(stateDir)));
    assert.deepEqual([cut[0].costUsd, cut[0].taskKind, cut[0].model, cut[0].outcome], [hold.nano / 1e9, 'fix', 'MiniMax-M2.7', 'error']);
    assert.deepEqual(held(stateDir), [], 'booked, so no longer held');
    assert.ok((JSON.parse(next.stdout) as { spentYearUsd: number }).spentYearUsd >= hold.nano / 1e9, 'the budget counts it');
    const again = await runCli(['budget', root, '--profiles', profiles(), '--backgroundProfile', 'team', '--json'], env);
    assert.equal(again.code, 0);
    assert.equal(ledgerLines(stateDir).filter((l) => l.costSource === 'estimate (call cut off)').length, 1, 'booked once');
  });

  it("books a client's \"accepted, applied\" on the daemon's socket only when the file holds the proposal's result, and says so", async () => {
    server.respondWith((r) => (JSON.stringify(r.body).includes('cart.ts') ? { content: CART_FIX } : { content: 'TITLE: none' }));
    const { root, stateDir } = workspaceFrom('ts-error');
    const env = cliEnv(stateDir);
    const watch = new RunningCli(['watch', root, '--json', '--baseUrl', url, '--settleDelayMs', '200', '--reviewSavedChanges', 'false'], env);
    try {
      await watch.waitFor(/"event":"proposal".*cart\.ts/, 60_000);
      const start = watch.events().find((e) => e.event === 'start' && typeof e.socket === 'string')!;
      const listed = JSON.parse((await runCli(['proposals', 'list', '--workspace', root, '--json'], env)).stdout) as Array<{ id: string; files: string[] }>;
      const proposal = listed.find((p) => p.files.includes('src/cart.ts'))!;
      const before = fs.readFileSync(path.join(root, 'src', 'cart.ts'), 'utf8');
      // Any process of the user can connect: this one says it applied the change, and did not.
      const client = await connectDaemon(String(start.socket));
      let answer: { ok: boolean; reason?: string };
      try {
        answer = await client.rpc.request(DecideProposalRequest, { id: proposal.id, decision: 'accept', applied: true });
      } finally {
        client.close();
      }
      assert.deepEqual(answer, { ok: false, reason: 'src/cart.ts does not hold its change: not booked as accepted' });
      assert.equal(fs.readFileSync(path.join(root, 'src', 'cart.ts'), 'utf8'), before);
      assert.deepEqual(
        ledgerLines(stateDir).filter((l) => l.kind === 'decision'),
        [],
        'no accepted decision on its word',
      );
      await watch.waitFor(/reported applied, but src\/cart\.ts does not hold its change: it is not booked as accepted/, 10_000).catch(() => undefined);
    } finally {
      assert.equal(await watch.stop('SIGTERM'), 0, watch.stderr);
    }
  });

  describe('a state folder that cannot be used', () => {
    const scan = (root: string, stateDir: string) => runCli(['scan', root, '--baseUrl', url], cliEnv(stateDir));
    const month = () => `spend-${new Date().toISOString().slice(0, 7)}.jsonl`;

    it("ends with exit 5, naming the path and the fix, when the ledger's month file is a folder", async () => {
      const { root, stateDir } = workspaceFrom('ts-error');
      const where = path.join(stateDir, 'ledger', month());
      fs.mkdirSync(where, { recursive: true });
      const run = await scan(root, stateDir);
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, new RegExp(`nightshift: ${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is a folder where Nightshift keeps a file\\. Move it out of the way`));
    });

    it('ends with exit 5 when the ledger folder is a file, never reading it as an empty ledger', async () => {
      const { root, stateDir } = workspaceFrom('ts-error');
      fs.mkdirSync(stateDir, { recursive: true });
      fs.writeFileSync(path.join(stateDir, 'ledger'), 'not a folder');
      const before = server.chatRequests().length;
      const run = await scan(root, stateDir);
      assert.equal(run.code, 5, run.stderr);
      assert.match(run.stderr, /ledger is a file where Nightshift needs a folder/);
      assert.equal(server.chatRequests().length, before, 'no call is made on a ledger that cannot be read');
    });

    it('ends with exit 5 on a full disk, naming the file and the fix', { skip: process.getuid?.() !== 0 && 'needs root to mount a small tmpfs' }, async () => {
      const { root } = workspaceFrom('ts-error');
      const disk = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-full-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', disk]);
      try {
        const stateDir = path.join(disk, 'state');
        fs.mkdirSync(stateDir);
        try {
          fs.writeFileSync(path.join(disk, 'filler'), Buffer.alloc(1024 * 1024));
        } catch {
          // Full: as meant.
        }
        const run = await scan(root, stateDir);
        assert.equal(run.code, 5, run.stderr);
        assert.match(run.stderr, new RegExp(`nightshift: The disk that holds ${stateDir}/\\S+ is full \\(ENOSPC\\)\\. Free some space there, or point NIGHTSHIFT_STATE_DIR at a folder on another disk`));
      } finally {
        execFileSync('umount', [disk]);
      }
    });
  });

  it('lists every file a scan skipped, and why, in the text output, the JSON report and SARIF', async () => {
    server.respondWith(() => ({ content: 'TITLE: none' }));
    const { root, stateDir } = workspaceFrom('ts-error');
    // Latin-1, not UTF-8, with a type error; and ten megabytes on one line, with a type error.
    fs.writeFileSync(path.join(root, 'src', 'latin1.ts'), Buffer.concat([Buffer.from('export const price: number = "caf'), Buffer.from([0xe9]), Buffer.from('";\n')]));
    fs.writeFileSync(path.join(root, 'src', 'huge.ts'), `export const blob: number = "${'a'.repeat(10 * 1024 * 1024)}";\n`);
    const json = await runCli(['scan', root, '--baseUrl', url], cliEnv(stateDir));
    assert.ok(json.code === 0 || json.code === 1, json.stderr);
    const report = JSON.parse(json.stdout) as { skipped: Array<{ path: string; reason: string }> };
    const byPath = Object.fromEntries(report.skipped.map((s) => [s.path, s.reason]));
    assert.equal(byPath['src/latin1.ts'], 'it is not valid UTF-8 text (it holds undecodable bytes)');
    assert.equal(byPath['src/huge.ts'], 'it is larger than 512 KB');
    assert.match(json.stderr, /Skipped src\/latin1\.ts: it is not valid UTF-8 text/);
    assert.match(json.stderr, /Skipped src\/huge\.ts: it is larger than 512 KB\./);
    assert.match(json.stderr, /2 file\(s\) skipped, each named above/);

    const sarifRun = await runCli(['scan', root, '--baseUrl', url, '--format', 'sarif'], cliEnv(stateDir));
    const sarif = JSON.parse(sarifRun.stdout) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string }; locations?: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> }> };
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    for (const file of ['src/latin1.ts', 'src/huge.ts']) {
      const note = notes.find((n) => n.locations?.[0].physicalLocation.artifactLocation.uri === file);
      assert.ok(note, `${file} in ${JSON.stringify(notes)}`);
      assert.match(note.message.text, new RegExp(`^Skipped ${file.replace('.', '\\.')}: `));
    }
    assert.ok(sarifValidator()(sarif), 'still valid SARIF 2.1.0');
  });
});

/** The SARIF 2.1.0 schema (OASIS), vendored: test/harness/sarif/README.md (as in scan.test.ts). */
function sarifValidator() {
  const schema = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'test', 'harness', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  return new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }).compile(schema);
}
