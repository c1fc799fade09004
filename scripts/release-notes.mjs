// What a version tag releases, for .github/workflows/release.yml: the version (the tag must match
// package.json), the channel, and the release notes (CHANGELOG.md's section for the version).
//
//   node scripts/release-notes.mjs --tag v0.2.0 [--notes notes.md]
//     prints `version=0.2.0` and `pre_release=false` (lines for $GITHUB_OUTPUT) and writes the notes;
//     exits 1 when the tag is not package.json's version or the changelog has no section for it.
//
// Channels: the Marketplace takes no semver pre-release versions, so a pre-release is marked by the
// tag (v0.3.0-pre, v0.3.0-pre.2) or, as VS Code's own extensions do, by an odd minor version
// (0.3.x pre-release, 0.4.x release). A pre-release's notes may come from "## Unreleased".
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tag's version and channel, or an error. */
export function releaseOf(tag, packageVersion) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-pre(?:[.-]?\d+)?)?$/.exec(tag);
  if (!m) return { error: `Tag ${tag} is not vMAJOR.MINOR.PATCH or vMAJOR.MINOR.PATCH-pre[.N].` };
  const version = `${m[1]}.${m[2]}.${m[3]}`;
  if (version !== packageVersion) return { error: `Tag ${tag} is version ${version}, but package.json says ${packageVersion}.` };
  return { version, preRelease: m[4] !== undefined || Number(m[2]) % 2 === 1 };
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** CHANGELOG.md's section for the version ("## 0.2.0", "## [0.2.0] - 2026-01-05", "## v0.2.0 (…)"), without its heading; undefined when there is none. */
export function notesFor(changelog, version, { unreleased = false } = {}) {
  const lines = changelog.replace(/\r\n/g, '\n').split('\n');
  const heading = new RegExp(`^##\\s+\\[?v?${escape(version)}\\]?(?=$|[\\s(])`);
  const find = (re) => lines.findIndex((l) => re.test(l));
  let start = find(heading);
  if (start < 0 && unreleased) start = find(/^##\s+\[?Unreleased\]?\s*$/i);
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^##\s/.test(l));
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim();
  return body === '' ? undefined : `${body}\n`;
}

function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const tag = arg('--tag');
  if (!tag) throw new Error('Usage: release-notes.mjs --tag vX.Y.Z[-pre] [--notes FILE]');
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const release = releaseOf(tag, pkg.version);
  if ('error' in release) throw new Error(release.error);
  const notes = notesFor(fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8'), release.version, { unreleased: release.preRelease });
  if (!notes) throw new Error(`CHANGELOG.md has no section "## ${release.version}"${release.preRelease ? ' nor "## Unreleased"' : ''}: write the release notes first.`);
  const out = arg('--notes');
  if (out) fs.writeFileSync(out, notes);
  process.stdout.write(`version=${release.version}\npre_release=${release.preRelease}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
