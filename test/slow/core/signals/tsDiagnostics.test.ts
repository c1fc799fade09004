/**
 * The headless host's TypeScript diagnostics (the workspace's own compiler, a warm language
 * service): a file made after the project was read — created or renamed into place while `watch`
 * runs — is diagnosed once its tsconfig takes it in; one the tsconfig leaves out is not.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TsDiagnostics } from '../../../../src/core/signals/tsDiagnostics';
import { REPO_ROOT } from '../../../harness/testEnv';

describe('TypeScript diagnostics of files made while the host runs', () => {
  it('a new file the tsconfig includes gets its errors; a new file it excludes gets none', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-tsdiag-'));
    fs.mkdirSync(path.join(root, 'src'));
    fs.mkdirSync(path.join(root, 'node_modules'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(root, 'node_modules', 'typescript'), 'dir');
    fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ['src'] }));
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    fs.writeFileSync(path.join(root, 'loose.ts'), 'export const old: number = "x";\n');
    const ts = new TsDiagnostics(root, true);
    try {
      assert.deepEqual(ts.all(), [], 'the project is clean when first read');
      assert.equal(ts.file(path.join(root, 'loose.ts')), undefined, 'outside the include: not this project');
      await new Promise((r) => setTimeout(r, 20));
      // Made after the project was read: a new file, and one renamed into place.
      fs.writeFileSync(path.join(root, 'src', 'made.ts'), 'export const made: number = "1";\n');
      fs.writeFileSync(path.join(root, 'moved.ts'), 'export const moved: number = "2";\n');
      fs.renameSync(path.join(root, 'moved.ts'), path.join(root, 'src', 'moved.ts'));
      fs.writeFileSync(path.join(root, 'later.ts'), 'export const later: number = "3";\n');
      for (const name of ['made', 'moved']) {
        const found = ts.file(path.join(root, 'src', `${name}.ts`));
        assert.deepEqual(
          found?.map((d) => d.code),
          ['2322'],
          `${name}.ts: ${JSON.stringify(found)}`,
        );
      }
      assert.equal(ts.file(path.join(root, 'later.ts')), undefined, 'a new file the tsconfig leaves out is still not its');
      // Saved again it stays left out; once the tsconfig takes it in, it is the project's.
      fs.writeFileSync(path.join(root, 'later.ts'), 'export const later: number = "4";\n');
      assert.equal(ts.file(path.join(root, 'later.ts')), undefined);
      await new Promise((r) => setTimeout(r, 20));
      fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ['src', 'later.ts'] }));
      fs.writeFileSync(path.join(root, 'later.ts'), 'export const later: number = "5";\n');
      assert.deepEqual(
        ts.file(path.join(root, 'later.ts'))?.map((d) => d.code),
        ['2322'],
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
