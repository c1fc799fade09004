/**
 * What the marketplace and Open VSX get: `vsce ls` lists exactly what must ship (bundles, the
 * manifest and its strings, the icon, the README's images, the walkthrough, the policy schema —
 * no sources, maps or tests), and the manifest is fit to publish.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../harness/testEnv';

const SHIPS = [
  'CHANGELOG.md',
  'LICENSE',
  'README.md',
  'package.json',
  'package.nls.json',
  'media/icon.png',
  'media/nightshift.svg',
  'dist/cli.js',
  'dist/extension.js',
  'dist/ledgerSummaryWorker.js',
  'dist/server.js',
  'dist/webview.css',
  'dist/webview.js',
  // Child processes the server and the headless host start, found beside them.
  'dist/tsDiagnosticsWorker.js',
  'dist/typescriptProcessMain.js',
  'dist/eslintProcessMain.js',
  'dist/testRunnerMain.js',
  'schemas/policy.schema.json',
  'media/walkthrough/backend.md',
  'media/walkthrough/budget.md',
  'media/walkthrough/escalation.md',
  'media/walkthrough/first-fix.md',
  'media/walkthrough/test.md',
  // Not the README's images: scripts/package.mjs points the README's links at the repository (vsce --baseImagesUrl).
];

describe('the listing', () => {
  it('ships exactly what it must (vsce ls)', () => {
    const run = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'vsce'), ['ls', '--no-dependencies'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const listed = run.stdout.trim().split('\n');
    // pyright (the Python checker) ships beside the bundles, without its source maps or typeshed's third-party stubs.
    const pyright = listed.filter((f) => f.startsWith('dist/pyright/'));
    for (const f of ['package.json', 'index.js', 'langserver.index.js', 'dist/pyright-langserver.js', 'dist/typeshed-fallback/stdlib/builtins.pyi']) assert.ok(pyright.includes(`dist/pyright/${f}`), f);
    assert.deepEqual(
      pyright.filter((f) => f.endsWith('.map') || f.startsWith('dist/pyright/dist/typeshed-fallback/stubs/')),
      [],
    );
    assert.deepEqual(listed.filter((f) => !f.startsWith('dist/pyright/')).sort(), [...SHIPS].sort());
  });

  it('has a manifest fit to publish: a PNG icon of 128 px or more, links, no private flag, every string in package.nls.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(pkg.private, undefined);
    for (const field of ['repository', 'bugs', 'homepage', 'galleryBanner', 'categories', 'keywords']) assert.ok(pkg[field], field);
    const icon = fs.readFileSync(path.join(REPO_ROOT, String(pkg.icon)));
    assert.equal(icon.subarray(1, 4).toString(), 'PNG');
    const [width, height] = [icon.readUInt32BE(16), icon.readUInt32BE(20)];
    assert.ok(width >= 128 && height >= 128, `${width}×${height}`);
    const nls = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
    const keys = [...JSON.stringify(pkg).matchAll(/"%([^"%]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 50);
    assert.deepEqual(
      keys.filter((k) => !(k in nls)),
      [],
      'placeholders without a string',
    );
    // Strings a person reads are placeholders, not literals: command titles, view names, setting descriptions.
    const c = pkg.contributes as { commands: Array<{ title: string }>; configuration: Array<{ title: string; properties: Record<string, { description?: string; markdownDescription?: string }> }> };
    assert.deepEqual(
      c.commands.filter((x) => !/^%.+%$/.test(x.title)),
      [],
    );
    for (const group of c.configuration) {
      assert.match(group.title, /^%.+%$/);
      for (const [key, p] of Object.entries(group.properties)) assert.match(p.markdownDescription ?? p.description ?? '', /^%.+%$/, key);
    }
  });
});
