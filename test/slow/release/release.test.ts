/**
 * The release pipeline's own logic and files: the tag → version and channel, the release notes
 * from CHANGELOG.md, and every workflow under .github/workflows passing actionlint.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { actionlint } from '../../harness/actionlint';
import { REPO_ROOT } from '../../harness/testEnv';

interface ReleaseNotes {
  releaseOf(tag: string, packageVersion: string): { version: string; preRelease: boolean } | { error: string };
  notesFor(changelog: string, version: string, options?: { unreleased?: boolean }): string | undefined;
}
const script = (): Promise<ReleaseNotes> => import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'release-notes.mjs')).href) as Promise<ReleaseNotes>;

const CHANGELOG = `# Changelog

## Unreleased
- Next thing.

## [0.4.0] - 2026-12-01
- Packages for every platform.
  Continued line.

### Fixed
- A fix.

## 0.2.0
- Second.

## v0.1.0 (first)
- First.
`;

describe('release notes and channel (scripts/release-notes.mjs)', () => {
  it("takes the version's section of the changelog, whatever the heading's form, up to the next version", async () => {
    const { notesFor } = await script();
    assert.equal(notesFor(CHANGELOG, '0.4.0'), '- Packages for every platform.\n  Continued line.\n\n### Fixed\n- A fix.\n');
    assert.equal(notesFor(CHANGELOG, '0.2.0'), '- Second.\n');
    assert.equal(notesFor(CHANGELOG, '0.1.0'), '- First.\n');
    assert.equal(notesFor(CHANGELOG.replace(/\n/g, '\r\n'), '0.2.0'), '- Second.\n');
    // 0.1.0 is not 0.1.01, and 4.0 is not 0.4.0.
    assert.equal(notesFor(CHANGELOG, '0.1.01'), undefined);
    assert.equal(notesFor(CHANGELOG, '4.0'), undefined);
    assert.equal(notesFor(CHANGELOG, '0.6.0'), undefined);
    // A pre-release without its own section ships what is unreleased.
    assert.equal(notesFor(CHANGELOG, '0.5.0', { unreleased: true }), '- Next thing.\n');
    assert.equal(notesFor('## 0.2.0\n\n## 0.1.0\n- x\n', '0.2.0'), undefined, 'an empty section is no notes');
  });

  it("reads the channel from the tag: -pre or an odd minor is a pre-release; the tag must be package.json's version", async () => {
    const { releaseOf } = await script();
    assert.deepEqual(releaseOf('v0.2.0', '0.2.0'), { version: '0.2.0', preRelease: false });
    assert.deepEqual(releaseOf('v0.3.0', '0.3.0'), { version: '0.3.0', preRelease: true });
    assert.deepEqual(releaseOf('v0.4.1-pre', '0.4.1'), { version: '0.4.1', preRelease: true });
    assert.deepEqual(releaseOf('v1.2.3-pre.2', '1.2.3'), { version: '1.2.3', preRelease: true });
    assert.match((releaseOf('v0.2.1', '0.2.0') as { error: string }).error, /package\.json says 0\.2\.0/);
    assert.ok('error' in releaseOf('v0.2.0-beta', '0.2.0'));
    assert.ok('error' in releaseOf('latest', '0.2.0'));
  });

  it("this repository's changelog has notes for its version", async () => {
    const { notesFor, releaseOf } = await script();
    const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const release = releaseOf(`v${version}`, version);
    assert.ok('version' in release);
    assert.ok(notesFor(fs.readFileSync(path.join(REPO_ROOT, 'CHANGELOG.md'), 'utf8'), version, { unreleased: release.preRelease }));
  });
});

describe('the workflows (.github/workflows)', () => {
  const dir = path.join(REPO_ROOT, '.github', 'workflows');

  it('pass actionlint', async () => {
    const files = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.includes('ci.yml') && files.includes('release.yml'), files.join(', '));
    for (const f of files) assert.deepEqual(await actionlint(fs.readFileSync(path.join(dir, f), 'utf8'), f), [], f);
  });

  it('the documented CI recipes (docs/recipes) pass actionlint too, and each uploads to the repository it scanned', async () => {
    const recipes = path.join(REPO_ROOT, 'docs', 'recipes');
    const files = fs.readdirSync(recipes).filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.length >= 2, files.join(', '));
    for (const f of files) assert.deepEqual(await actionlint(fs.readFileSync(path.join(recipes, f), 'utf8'), f), [], f);
    const many = fs.readFileSync(path.join(recipes, 'nightshift-nightly-many.yml'), 'utf8');
    assert.doesNotMatch(many, /codeql-action\/upload-sarif/, 'upload-sarif uploads to the repository running the workflow, not the one scanned');
    assert.match(many, /code-scanning\/sarifs/);
    assert.match(many, /Code scanning alerts: read and write/, 'the token that uploads may write code scanning alerts of the scanned repository');
    assert.match(fs.readFileSync(path.join(recipes, 'nightshift-scan.yml'), 'utf8'), /security-events: write/, 'a private repository needs it to upload its own');
  });

  it('actionlint finds what is wrong (an unknown job in needs, an undefined step output)', async () => {
    const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: nope\n    steps:\n      - run: echo ${{ steps.x.outputs.y }}\n';
    const found = await actionlint(broken, 'broken.yml');
    assert.ok(
      found.some((f) => /nope/.test(f.message)),
      JSON.stringify(found),
    );
  });

  it('release: publishes what package.mjs builds, to the Marketplace, Open VSX, npm and a GitHub release, pre-releases marked', () => {
    const text = fs.readFileSync(path.join(dir, 'release.yml'), 'utf8');
    assert.match(text, /tags: \['v\*'\]/);
    assert.match(text, /node scripts\/package\.mjs/);
    assert.match(text, /node scripts\/release-notes\.mjs --tag/);
    assert.match(text, /vsce publish "\$\{flags\[@\]\}" --packagePath dist-vsix\/\*\.vsix/);
    assert.match(text, /ovsx@[\d.]+ publish/);
    assert.match(text, /npm publish dist-vsix\/\*\.tgz/);
    assert.match(text, /gh release create/);
    assert.equal((text.match(/flags\+=\(--pre-release\)/g) ?? []).length, 3, 'package, Marketplace, Open VSX');
    assert.match(text, /secrets\.VSCE_PAT/);
    assert.match(text, /secrets\.OVSX_PAT/);
    assert.match(fs.readFileSync(path.join(dir, 'ci.yml'), 'utf8'), /bash \.ci\/run/);
  });
});
