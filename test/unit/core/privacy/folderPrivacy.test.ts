import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { FolderPrivacy } from '../../../../src/core/privacy/folderPrivacy';

describe('FolderPrivacy (a multi-root workspace)', () => {
  it("judges each file by its own folder's ignore files, the innermost folder first", () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-roots-'));
    const web = path.join(base, 'web');
    const api = path.join(base, 'api');
    const inner = path.join(api, 'vendor');
    for (const dir of [web, api, inner]) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(api, '.gitignore'), 'config/\n');
    fs.writeFileSync(path.join(inner, '.nightshiftignore'), '*.ts\n');
    const privacy = new FolderPrivacy([web, api, inner]);
    privacy.update({ exclude: ['*.log'], localOnly: [] });
    const uri = (file: string) => pathToFileURL(file).toString();

    assert.equal(privacy.forFile(uri(path.join(web, 'config/app.ts'))).check('config/app.ts', false).allowed, true, "web has no such rule");
    assert.equal(privacy.forFile(uri(path.join(api, 'config/app.ts'))).check('config/app.ts', false).allowed, false, "api's .gitignore applies to api's files");
    assert.equal(privacy.forFile(uri(path.join(inner, 'lib.ts'))).check('lib.ts', false).allowed, false, 'the nested folder has its own rules');
    assert.equal(privacy.forFile(uri(path.join(web, 'debug.log'))).check('debug.log', false).allowed, false, 'settings apply to every folder');
  });
});
