import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LedgerWriteError, SpendLedger } from '../../../../src/core/budget/SpendLedger';
import { entry } from '../../../unit/core/budget/ledgerFixtures';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-ledger-'));
const WORKER = path.join(__dirname, 'appendWorker.js');

describe('SpendLedger', () => {
  it('appends entries to one file per month and reads them back', async () => {
    const dir = tmp();
    const ledger = new SpendLedger(dir);
    await ledger.append(entry({ taskId: 'a', at: '2026-10-31T23:59:59.000Z' }));
    await ledger.append(entry({ taskId: 'b' }));
    await ledger.append({ v: 1, at: '2026-11-21T12:01:00.000Z', kind: 'decision', taskId: 'b', taskKind: 'fix', proposalId: 'p', decision: 'accepted' });
    await ledger.close();
    assert.deepEqual(fs.readdirSync(dir).sort(), ['spend-2026-10.jsonl', 'spend-2026-11.jsonl']);
    const got = new SpendLedger(dir).load();
    assert.deepEqual(
      got.calls.map((c) => c.taskId),
      ['a', 'b'],
    );
    assert.equal(got.decisions[0].decision, 'accepted');
    assert.deepEqual(got.problems, []);
    assert.deepEqual(
      new SpendLedger(dir).load('2026-11').calls.map((c) => c.taskId),
      ['b'],
    );
  });

  it('closes only after the appends already asked for are on disk (a stop loses no decision)', async () => {
    const dir = tmp();
    const ledger = new SpendLedger(dir);
    const writes = ['a', 'b', 'c'].map((id) => ledger.append(entry({ taskId: id })));
    await ledger.close();
    await Promise.all(writes);
    assert.deepEqual(
      new SpendLedger(dir).load().calls.map((c) => c.taskId),
      ['a', 'b', 'c'],
    );
  });

  it('skips and reports a torn last line, and a later append does not run into it', async () => {
    const dir = tmp();
    const file = path.join(dir, 'spend-2026-11.jsonl');
    fs.writeFileSync(file, `${JSON.stringify(entry({ taskId: 'ok' }))}\n${JSON.stringify(entry({ taskId: 'torn' })).slice(0, 40)}`);
    let got = new SpendLedger(dir).load();
    assert.deepEqual(
      got.calls.map((c) => c.taskId),
      ['ok'],
    );
    assert.deepEqual(got.problems, [{ file: 'spend-2026-11.jsonl', line: 2, kind: 'torn' }]);
    const ledger = new SpendLedger(dir);
    await ledger.append(entry({ taskId: 'after' }));
    await ledger.close();
    got = new SpendLedger(dir).load();
    assert.deepEqual(
      got.calls.map((c) => c.taskId),
      ['ok', 'after'],
    );
    assert.deepEqual(got.problems, [{ file: 'spend-2026-11.jsonl', line: 2, kind: 'corrupt' }]);
  });

  it('reports corrupt lines by number and keeps the rest', () => {
    const dir = tmp();
    const good = JSON.stringify(entry());
    const lines = [good, 'not json', good, JSON.stringify({ ...entry(), costUsd: -1 }), '{"v":2}', good, ''];
    fs.writeFileSync(path.join(dir, 'spend-2026-11.jsonl'), lines.join('\n'));
    const got = new SpendLedger(dir).load();
    assert.equal(got.calls.length, 3);
    assert.deepEqual(
      got.problems.map((p) => [p.line, p.kind]),
      [
        [2, 'corrupt'],
        [4, 'corrupt'],
        [5, 'corrupt'],
      ],
    );
  });

  it('recovers an entry another process appended onto a torn line', () => {
    const dir = tmp();
    const torn = JSON.stringify(entry({ taskId: 'crashed' })).slice(0, 30);
    fs.writeFileSync(path.join(dir, 'spend-2026-11.jsonl'), `${torn}${JSON.stringify(entry({ taskId: 'other-window' }))}\n`);
    const got = new SpendLedger(dir).load();
    assert.deepEqual(
      got.calls.map((c) => c.taskId),
      ['other-window'],
    );
    assert.deepEqual(
      got.problems.map((p) => p.kind),
      ['corrupt'],
    );
  });

  it('two processes appending at once lose and interleave nothing', async () => {
    const dir = tmp();
    const run = (prefix: string) =>
      new Promise<void>((resolve, reject) => {
        const child = spawn(process.execPath, [WORKER, dir, prefix, '300'], { stdio: 'ignore' });
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`))));
      });
    await Promise.all([run('a'), run('b')]);
    const got = new SpendLedger(dir).load();
    assert.deepEqual(got.problems, []);
    assert.equal(got.calls.length, 600);
    assert.equal(new Set(got.calls.map((c) => c.taskId)).size, 600);
  });

  it('several processes spending at once against one ledger never pass the cap together', async () => {
    const spendAll = async (env: NodeJS.ProcessEnv) => {
      const dir = tmp();
      const run = (prefix: string) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(process.execPath, [path.join(__dirname, 'reserveWorker.js'), dir, prefix, '6'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited ${code}`))));
        });
      await Promise.all(['a', 'b', 'c', 'd'].map(run));
      return new SpendLedger(dir).load().calls.reduce((n, c) => n + c.costUsd, 0);
    };
    const together = await spendAll({});
    assert.ok(together <= 0.05 + 1e-9, `recorded $${together} against a $0.05 cap`);
    assert.ok(together >= 0.05 - 1e-9, `the cap was reached, not undershot ($${together})`);
    // The same processes, each with only its own running total: what this test guards against.
    const apart = await spendAll({ NIGHTSHIFT_TEST_UNSHARED: '1' });
    assert.ok(apart > 0.05 + 1e-9, `without sharing they overspend ($${apart})`);
  });

  it('after a SIGKILL in the middle of appends, every completed append is there', async () => {
    const dir = tmp();
    const done: string[] = [];
    await new Promise<void>((resolve) => {
      const child = spawn(process.execPath, [WORKER, dir, 'k', '100000'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let buffer = '';
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        done.push(...lines);
        if (done.length >= 200 && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    const got = new SpendLedger(dir).load();
    const present = new Set(got.calls.map((c) => c.taskId));
    assert.ok(done.length >= 200);
    for (const id of done) assert.ok(present.has(id), `${id} was on disk before the kill`);
    assert.ok(
      got.problems.every((p) => p.kind === 'torn'),
      JSON.stringify(got.problems),
    );
  });

  it('says clearly when the folder cannot be written, and loses nothing already there', async () => {
    const dir = tmp();
    const notADir = path.join(dir, 'file');
    fs.writeFileSync(notADir, '');
    const ledger = new SpendLedger(path.join(notADir, 'ledger'));
    await assert.rejects(ledger.checkWritable(), (err: unknown) => err instanceof LedgerWriteError && /cannot write its spend ledger.*paused/.test(err.message));
    await assert.rejects(ledger.append(entry()), LedgerWriteError);
    // A ledger that cannot be read is an error naming it, never an empty ledger (that would read as nothing spent).
    assert.throws(
      () => ledger.load(),
      (err: NodeJS.ErrnoException) => err.code === 'ENOTDIR' && err.path === path.join(notADir, 'ledger'),
    );
    await assert.rejects(ledger.summarize(), (err: NodeJS.ErrnoException) => err.code === 'ENOTDIR');
  });
});

describe('SpendLedger.summarize', () => {
  it('sums spend per day, role, model, backend and kind, and decisions per kind', async () => {
    const dir = tmp();
    const ledger = new SpendLedger(dir);
    await ledger.append(entry({ taskId: 'a', costUsd: 0.5, at: '2026-11-20T10:00:00.000Z' }));
    await ledger.append(entry({ taskId: 'b', costUsd: 0.25, role: 'escalation', model: 'gpt-5.4', backend: 'OpenAI', taskKind: 'review' }));
    await ledger.append({ v: 1, at: '2026-11-21T12:01:00.000Z', kind: 'decision', taskId: 'a', taskKind: 'fix', proposalId: 'p', decision: 'accepted' });
    await ledger.append(entry({ taskId: 'c', costUsd: 0, costSource: 'compiler', backend: 'TypeScript', model: 'TypeScript 5.9.3', inputTokens: 0, outputTokens: 0 }));
    await ledger.close();
    const { aggregate, problems } = await new SpendLedger(dir).summarize();
    assert.deepEqual(problems, []);
    assert.deepEqual(aggregate.days, {
      '2026-11-20': { background: 0.5, escalation: 0, fixProposals: 1 },
      '2026-11-21': { background: 0, escalation: 0.25, escalationCalls: 1, accepted: 1, freeFixes: 1 },
    });
    assert.equal(aggregate.byModel['gpt-5.4'].usd, 0.25);
    assert.equal(aggregate.byBackend.MiniMax.calls, 1);
    assert.equal(aggregate.byKind.review.outputTokens, 200);
    assert.deepEqual(aggregate.accepted, { fix: 1 });
  });

  it('reads only what was appended since its summary, and rebuilds a summary that no longer fits', async () => {
    const dir = tmp();
    const ledger = new SpendLedger(dir);
    for (let i = 0; i < 5; i++) await ledger.append(entry({ taskId: `t${i}`, costUsd: 1 }));
    assert.equal((await new SpendLedger(dir).summarize()).aggregate.byKind.fix.usd, 5);
    assert.ok(fs.existsSync(path.join(dir, '.spend-2026-11.jsonl.summary.json')));
    await ledger.append(entry({ taskId: 't5', costUsd: 1 }));
    fs.appendFileSync(path.join(dir, 'spend-2026-11.jsonl'), 'garbage\n{"v":1,"at":"2026');
    const grown = await new SpendLedger(dir).summarize();
    assert.equal(grown.aggregate.byKind.fix.usd, 6);
    assert.deepEqual(
      grown.problems.map((p) => [p.line, p.kind]),
      [
        [7, 'corrupt'],
        [8, 'torn'],
      ],
    );
    // The file replaced by a shorter one: the old summary must not be trusted.
    fs.writeFileSync(path.join(dir, 'spend-2026-11.jsonl'), `${JSON.stringify(entry({ costUsd: 2 }))}\n`);
    assert.equal((await new SpendLedger(dir).summarize()).aggregate.byKind.fix.usd, 2);
    await ledger.close();
  });

  it('folds files on worker threads to the same sums as on one thread', async () => {
    const one = tmp();
    for (const month of ['01', '02', '03']) {
      const lines = Array.from({ length: 50 }, (_, i) => JSON.stringify(entry({ at: `2026-${month}-10T00:00:00.000Z`, taskId: `${month}-${i}`, costUsd: i / 100 })));
      fs.writeFileSync(path.join(one, `spend-2026-${month}.jsonl`), `${lines.join('\n')}\nnot json\n`);
    }
    const two = tmp();
    for (const f of fs.readdirSync(one)) fs.copyFileSync(path.join(one, f), path.join(two, f));
    const inline = await new SpendLedger(one).summarize(undefined, { parallel: false });
    const workers = await new SpendLedger(two).summarize(undefined, { parallel: true });
    assert.deepEqual(workers, inline);
    assert.equal(inline.problems.length, 3);
    assert.equal(inline.aggregate.byKind.fix.calls, 150);
  });
});
