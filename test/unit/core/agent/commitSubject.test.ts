/**
 * A commit's subject is the committer's words: a token pasted there ("rotate ghp_… and
 * AKIA…") reached the prompt and the log in the clear while the same token in the file was
 * redacted (outside test, issue 23). The review task carries it redacted.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { commitTasks } from '../../../../src/core/agent/taskSources';
import { WorkspaceContext } from '../../../../src/core/context/WorkspaceContext';
import { WorkspaceFiles } from '../../../../src/core/context/WorkspaceFiles';

const TOKEN = 'ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d';

describe('commitTasks', () => {
  it('puts the commit’s subject in the review task with its secrets redacted', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-commit-'));
    try {
      fs.mkdirSync(path.join(root, 'src'));
      fs.writeFileSync(path.join(root, 'src', 'app.ts'), 'export const a = 1;\nexport const b = 2;\n');
      const workspace = new WorkspaceContext(new WorkspaceFiles(root, async () => undefined), undefined);
      const changes = { hunks: '@@ -1,1 +1,2 @@\n export const a = 1;\n+export const b = 2;\n', lines: [1] };
      const [task] = commitTasks({ sha: '9934f13aa', subject: `rotate ${TOKEN} and AKIAQ3EGRWXYZK7B2M4P`, files: [{ relativePath: 'src/app.ts', changes }] }, workspace, () => undefined);
      const source = task.input.review?.source ?? '';
      assert.match(source, /^commit 9934f13 "rotate «redacted [^»]+» and «redacted [^»]+»"$/);
      assert.doesNotMatch(JSON.stringify(task), /ghp_u8jz|AKIAQ3EG/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
