/**
 * Runner detection, each runner from each kind of sign, and the inputs that must not detect one:
 * no package.json, npm's placeholder test script, a plugin or reporter named like a runner, a vite
 * config without tests, a script that only runs a file with node, and a runner that is named but
 * installed only outside the workspace (ours must never be used).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { detectRunner, nodeFlags } from '../../../../../src/core/verify/tests/detectRunner';
import { sourceRoot } from '../../../../harness/testedFixture';

/** A folder with these files, and the given runners "installed" in its own node_modules. */
function folder(files: Record<string, string | object>, installed: string[] = []): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-detect-'));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(root, name), typeof content === 'string' ? content : JSON.stringify(content));
  for (const runner of installed) {
    fs.mkdirSync(path.join(root, 'node_modules', runner, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(root, 'node_modules', runner, 'package.json'), JSON.stringify({ name: runner, bin: { [runner]: `bin/${runner}.js` } }));
  }
  return root;
}

describe('detectRunner: which runner, from what', () => {
  it('reads the test script first', () => {
    assert.equal(detectRunner(folder({ 'package.json': { scripts: { test: 'vitest run' } } }, ['vitest']))?.name, 'vitest');
    assert.equal(detectRunner(folder({ 'package.json': { scripts: { test: 'npm run build && jest --ci' } } }, ['jest']))?.name, 'jest');
    assert.equal(detectRunner(folder({ 'package.json': { scripts: { test: 'mocha "test/**/*.spec.js"' } } }, ['mocha']))?.name, 'mocha');
    const node = detectRunner(folder({ 'package.json': { scripts: { test: 'node --import tsx --test test/*.test.ts' } } }));
    assert.deepEqual(node, { name: 'node', from: 'scripts.test', nodeFlags: ['--import', 'tsx'] });
  });

  it('prefers the test script over other signs, and `test` over `test:*`', () => {
    const r = detectRunner(folder({ 'package.json': { scripts: { 'test:e2e': 'mocha', test: 'jest' }, devDependencies: { vitest: '1' } }, 'vitest.config.ts': '' }, ['jest']));
    assert.equal(r?.name, 'jest');
    assert.equal(r?.from, 'scripts.test');
  });

  it('reads config files when the script says nothing', () => {
    const plain = { scripts: { test: 'npm run check' } };
    assert.equal(detectRunner(folder({ 'package.json': plain, 'vitest.config.mts': '' }, ['vitest']))?.from, 'vitest.config.mts');
    assert.equal(detectRunner(folder({ 'package.json': plain, 'vite.config.ts': 'export default { test: { environment: "node" } }' }, ['vitest']))?.name, 'vitest');
    assert.equal(detectRunner(folder({ 'package.json': plain, 'jest.config.cjs': '' }, ['jest']))?.name, 'jest');
    assert.equal(detectRunner(folder({ 'package.json': { ...plain, jest: { testEnvironment: 'node' } } }, ['jest']))?.from, 'package.json "jest"');
    assert.equal(detectRunner(folder({ 'package.json': plain, '.mocharc.yml': 'spec: test' }, ['mocha']))?.name, 'mocha');
  });

  it('falls back on the dependencies', () => {
    assert.equal(detectRunner(folder({ 'package.json': { devDependencies: { mocha: '^10' } } }, ['mocha']))?.from, 'devDependencies');
  });

  it('says where the workspace’s own runner is', () => {
    const root = folder({ 'package.json': { scripts: { test: 'mocha' } } }, ['mocha']);
    assert.equal(detectRunner(root)?.bin, path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js'));
    // The real packages: vitest's Node API and jest's main, resolved through the workspace's node_modules link.
    const linked = folder({ 'package.json': { scripts: { test: 'vitest' } } });
    fs.symlinkSync(path.join(sourceRoot(), 'node_modules'), path.join(linked, 'node_modules'));
    const vitest = detectRunner(linked)!;
    assert.match(vitest.bin!, /node_modules\/vitest\/vitest\.mjs$/);
    assert.match(vitest.api!, /vitest\/dist\/node\.js$/);
  });

  it('detects nothing where there is no sign of a runner', () => {
    assert.equal(detectRunner(folder({})), undefined, 'no package.json');
    assert.equal(detectRunner(folder({ 'package.json': 'not json' })), undefined, 'an unreadable package.json');
    assert.equal(detectRunner(folder({ 'package.json': { scripts: { test: 'echo "Error: no test specified" && exit 1' } } })), undefined, "npm init's placeholder");
    assert.equal(detectRunner(folder({ 'package.json': { devDependencies: { 'ts-jest': '1', '@vitest/ui': '1', mochawesome: '1', 'jest-environment-jsdom': '1' } } })), undefined, 'plugins named like runners');
    assert.equal(detectRunner(folder({ 'package.json': { scripts: { test: 'ts-jest-runner' } } })), undefined);
    assert.equal(detectRunner(folder({ 'package.json': { scripts: { build: 'vite build' } }, 'vite.config.ts': 'export default { build: { outDir: "dist" } }' })), undefined, 'vite without tests');
    assert.equal(detectRunner(folder({ 'package.json': { scripts: { test: 'node scripts/test.js --testing' } } })), undefined, 'node running a file is no node --test');
  });

  it('never uses a runner installed outside the workspace, ours included', () => {
    // The tests run inside a repository whose node_modules has vitest and jest: a temporary folder without its own must not find them.
    const r = detectRunner(folder({ 'package.json': { scripts: { test: 'vitest run' } } }));
    assert.equal(r?.name, 'vitest');
    assert.equal(r?.bin, undefined);
    assert.equal(r?.missing, 'vitest is not installed in the workspace (run npm install)');
  });
});

describe('nodeFlags: what a node --test script needs', () => {
  it('keeps loaders and feature flags, leaves out reporters and files', () => {
    assert.deepEqual(nodeFlags('node --experimental-strip-types --test --test-reporter=spec test/'), ['--experimental-strip-types']);
    assert.deepEqual(nodeFlags('tsc && node --require ts-node/register --test "test/**/*.ts"'), ['--require', 'ts-node/register']);
    assert.deepEqual(nodeFlags('node --import=tsx --enable-source-maps --test'), ['--import=tsx', '--enable-source-maps']);
  });
});
