/**
 * The policy as a running engine keeps it: the organisation's policy polled and applied again only
 * when it changed, a failed read logged with the policy in force kept, which files are policy
 * files, and the pause a broken policy brings (the one place that rule is decided).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { effectivePolicy, type PolicyLayer } from '../../../../src/core/policy/effectivePolicy';
import { parsePolicy } from '../../../../src/core/policy/policyFile';
import { ORG_POLICY_REFRESH_MS, PolicyWatch, type PolicyWatchPorts } from '../../../../src/core/policy/policyWatch';
import { userValues } from '../../../../src/core/engine/policyApplied';

const org = (text: string): PolicyLayer => ({ layer: 'organisation', parsed: parsePolicy({ file: 'https://policy.example/org.json', text }) });

/** A watch over a fake layer source; what it did, in order. */
function watched(first: string, organisation: string | undefined = 'https://policy.example/org.json') {
  const did: string[] = [];
  const source = { text: first, fail: undefined as string | undefined, reads: 0 };
  const ports: PolicyWatchPorts = {
    folders: [path.resolve('/ws/a'), path.resolve('/ws/b')],
    stateDir: '/state',
    organisation: async () => organisation,
    reapply: async () => {
      did.push('reapply');
      await watch.read(organisation);
    },
    pause: (m) => did.push(`pause: ${m}`),
    fixed: () => did.push('fixed'),
    log: (level, m) => did.push(`${level}: ${m}`),
    tell: (m) => did.push(`tell: ${m}`),
    load: async (loc) => {
      source.reads++;
      if (source.fail) throw new Error(source.fail);
      assert.deepEqual(loc.folders, ports.folders);
      return { layers: loc.organisation ? [org(source.text)] : [], notes: [] };
    },
  };
  const watch = new PolicyWatch(ports);
  return { watch, did, source };
}

describe('the policy watch', () => {
  it('applies the organisation policy again only when a read finds it changed', async () => {
    const { watch, did, source } = watched('{ "budget": { "dailyCapUsd": 5 } }');
    await watch.read('https://policy.example/org.json');
    assert.equal(await watch.poll(), false, 'the same policy read again');
    assert.deepEqual(did, []);
    source.text = '{ "budget": { "dailyCapUsd": 3 } }';
    assert.equal(await watch.poll(), true);
    assert.deepEqual(did, ['info: The organisation policy changed; applying it.', 'reapply']);
    assert.equal(await watch.poll(), false, 'applied: the same again is no change');
  });

  it('reads nothing when no organisation policy is set', async () => {
    const { watch, source } = watched('{}', '');
    assert.equal(await watch.poll(), false);
    assert.equal(source.reads, 0);
  });

  it('polls on its timer, logs a failed read and keeps the policy in force, and stops when disposed', async (t) => {
    t.mock.timers.enable({ apis: ['setInterval'] });
    const { watch, did, source } = watched('{ "budget": { "dailyCapUsd": 5 } }');
    await watch.read('https://policy.example/org.json');
    watch.start();
    source.text = '{ "budget": { "dailyCapUsd": 4 } }';
    t.mock.timers.tick(ORG_POLICY_REFRESH_MS - 1);
    await flush();
    assert.equal(source.reads, 1, 'not before its time');
    t.mock.timers.tick(1);
    await flush();
    assert.deepEqual(did, ['info: The organisation policy changed; applying it.', 'reapply']);
    source.fail = 'no answer within 5 s';
    t.mock.timers.tick(ORG_POLICY_REFRESH_MS);
    await flush();
    assert.equal(did.at(-1), 'warn: The organisation policy could not be read again: no answer within 5 s');
    watch.dispose();
    const reads = source.reads;
    t.mock.timers.tick(10 * ORG_POLICY_REFRESH_MS);
    await flush();
    assert.equal(source.reads, reads, 'no read after dispose');
  });

  it('pauses background work while the policy cannot be used, saying why, and lifts only that pause once it can', () => {
    const { watch, did } = watched('{}');
    const broken = effectivePolicy([org('{ "budget": { "dailyCap": 1 } }')], userValues(undefined));
    assert.equal(broken.broken, true);
    watch.enforce(broken);
    const message = `The team policy cannot be used, so background work is paused until it is fixed: ${broken.problems.join('; ')}`;
    assert.match(message, /"budget\.dailyCap" is not a policy rule/);
    assert.deepEqual(did, [`error: ${message}`, `tell: ${message}`, `pause: ${message}`]);
    did.length = 0;
    watch.enforce(effectivePolicy([org('{ "budget": { "dailyCapUsd": 1 } }')], userValues(undefined)));
    assert.deepEqual(did, ['fixed']);
  });

  it("knows each folder's policy file and its folder, and nothing else", () => {
    const { watch } = watched('{}');
    const uri = (p: string) => pathToFileURL(path.resolve(p)).toString();
    assert.ok(watch.isPolicyFile(uri('/ws/a/.nightshift/policy.json')));
    assert.ok(watch.isPolicyFile(uri('/ws/b/.nightshift')), 'a watcher may report only the new folder');
    assert.ok(!watch.isPolicyFile(uri('/ws/a/src/policy.json')));
    assert.ok(!watch.isPolicyFile(uri('/ws/c/.nightshift/policy.json')));
    assert.ok(!watch.isPolicyFile('untitled:Untitled-1'));
  });
});

/** Lets the promises a timer started settle. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
}
