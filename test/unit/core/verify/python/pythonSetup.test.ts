/** What the Activity view says about a folder's Python: the interpreter, what found it, pyright and pytest; nothing for a folder without Python. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { describePythonSetup } from '../../../../../src/core/verify/python/pythonSetup';
import { sourceRoot } from '../../../../harness/testedFixture';

describe('describePythonSetup', () => {
  it('names the interpreter and what checks with it, says when there is none, and is silent for a folder without Python', () => {
    const root = path.join(sourceRoot(), 'test', 'fixtures', 'python-pkg');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-pypath-'));
    fs.writeFileSync(path.join(outside, 'python3'), '#!/bin/sh\n', { mode: 0o755 });
    try {
      const line = describePythonSetup(root, { trusted: true, pathEnv: outside });
      assert.equal(line?.label, `Python (python-pkg): ${path.join(outside, 'python3')}`);
      assert.match(line?.description ?? '', /^from PATH · pyright \d+\.\d+\.\d+ · pytest \(pyproject\.toml\) · no ruff found$/, 'python-pkg configures Ruff (ruff.toml)');
      fs.writeFileSync(path.join(outside, 'ruff'), '#!/bin/sh\n', { mode: 0o755 });
      const withRuff = describePythonSetup(root, { trusted: true, pathEnv: outside });
      assert.match(withRuff?.description ?? '', / · ruff \(beside the PATH Python\)$/, 'the ruff beside the interpreter comes first');
      assert.match(withRuff?.tooltip ?? '', /Ruff's problems are proved gone, and its safe fixes tried first, with .*\/ruff\./);
      assert.match(describePythonSetup(root, { trusted: false, pathEnv: '' })?.tooltip ?? '', /An interpreter inside an untrusted folder is never used/);
      assert.match(describePythonSetup(root, { trusted: true, pathEnv: '' })?.label ?? '', /no interpreter found/);
      assert.equal(describePythonSetup(outside, { trusted: true, pathEnv: outside }), undefined);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
