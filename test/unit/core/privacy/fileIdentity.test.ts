/**
 * The gate's view of the disk: a file's contents are judged once while it stays the same and again
 * when it changes; a linked file's other names are looked up, an unlinked file's never; the walk
 * for other names finds a link made after it, once its pause is over.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { FolderDisk, type FileFacts, type WorkspaceDisk } from '../../../../src/core/privacy/fileIdentity';
import { PrivacyGate } from '../../../../src/core/privacy/PrivacyGate';

const KUBECONFIG = 'apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: abc\n';

function fakeDisk(files: Record<string, { text: string; facts: FileFacts }>, names: Record<string, string[]> = {}) {
  const calls = { head: 0, namesOf: 0 };
  const disk: WorkspaceDisk = {
    facts: (rel) => files[rel]?.facts,
    namesOf: (id) => {
      calls.namesOf++;
      return names[id] ?? [];
    },
    head: (rel) => {
      calls.head++;
      return files[rel]?.text;
    },
  };
  return { disk, calls };
}

describe('the gate and the disk', () => {
  it('reads a file’s start once while it is unchanged, and again when it changes', () => {
    const files = { 'deploy/cluster.yaml': { text: 'kind: Deployment\n', facts: { id: '1:1', links: 1, version: 'v1' } } };
    const { disk, calls } = fakeDisk(files);
    const gate = new PrivacyGate({ disk });
    for (let i = 0; i < 5; i++) assert.equal(gate.check('deploy/cluster.yaml', false).allowed, true);
    assert.equal(calls.head, 1);
    files['deploy/cluster.yaml'] = { text: KUBECONFIG, facts: { id: '1:1', links: 1, version: 'v2' } };
    assert.equal(gate.check('deploy/cluster.yaml', false).allowed, false, 'it became a kubeconfig');
    assert.equal(calls.head, 2);
  });

  it('looks up other names of a linked file only, and reads no source file’s contents', () => {
    const { disk, calls } = fakeDisk({ 'src/a.ts': { text: 'x', facts: { id: '1:2', links: 1, version: 'v' } }, 'src/b.ts': { text: 'y', facts: { id: '1:3', links: 2, version: 'v' } } }, { '1:3': ['src/b.ts', 'secrets/b.ts'] });
    const gate = new PrivacyGate({ disk, exclude: ['secrets/'] });
    assert.deepEqual(gate.check('src/a.ts', false), { allowed: true });
    assert.deepEqual(calls, { head: 0, namesOf: 0 });
    assert.deepEqual(gate.check('src/b.ts', false), { allowed: false, reason: 'it is a hard link to secrets/b.ts, and it is excluded by .gitignore, .nightshiftignore or nightshift.exclude' });
    assert.equal(calls.namesOf, 1);
  });
});

describe('FolderDisk', () => {
  it('finds a link made after its walk, once the pause between walks is over', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-disk-'));
    fs.writeFileSync(path.join(root, 'a.ts'), 'a');
    fs.writeFileSync(path.join(root, '.env'), 'SECRET=1');
    fs.linkSync(path.join(root, 'a.ts'), path.join(root, 'b.ts'));
    let now = 0;
    const disk = new FolderDisk(root, () => now);
    const env = disk.facts('.env')!;
    assert.equal(env.links, 1);
    const a = disk.facts('a.ts')!;
    assert.deepEqual([...disk.namesOf(a.id, a.links)].sort(), ['a.ts', 'b.ts']);
    fs.linkSync(path.join(root, '.env'), path.join(root, 'c.ts'));
    now += 1000;
    assert.deepEqual(disk.namesOf(env.id, 2), [], 'within the pause: not walked again');
    now += 5000;
    assert.deepEqual([...disk.namesOf(env.id, 2)].sort(), ['.env', 'c.ts']);
    assert.equal(disk.facts('missing.ts'), undefined);
    assert.equal(disk.head('.env'), 'SECRET=1');
  });
});
