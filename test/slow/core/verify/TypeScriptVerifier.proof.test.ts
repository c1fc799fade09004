/**
 * The inputs that would make the shadow check say yes wrongly: an edit that changes nothing that
 * matters for a multi-line error, a fix of the other one of two identical errors, an error that
 * moved, an error already in the file, and a signature change that breaks another file.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { DiagnosticInfo } from '../../../../src/shared/agentProtocol';
import { TypeScriptVerifier } from '../../../../src/core/verify/TypeScriptVerifier';
import { REPO_ROOT } from '../../../harness/testEnv';

const ROOT = path.join(REPO_ROOT, 'test', 'fixtures', 'ts-holes');
const PLOT = path.join(ROOT, 'src', 'plot.ts');
const SHAPES = path.join(ROOT, 'src', 'shapes.ts');
const plot = fs.readFileSync(PLOT, 'utf8');
const shapes = fs.readFileSync(SHAPES, 'utf8');

/** TS2345 on `far` (line 5), as VS Code's TypeScript extension reports it: line breaks and indentation kept. */
const TARGET: DiagnosticInfo = {
  message: "Argument of type '{ x: string; y: number; }' is not assignable to parameter of type 'Point'.\n  Types of property 'x' are incompatible.\n    Type 'string' is not assignable to type 'number'.",
  severity: 'error',
  source: 'ts',
  code: '2345',
  range: { startLine: 4, startCharacter: 36, endLine: 4, endCharacter: 41 },
};

const FIXED_FAR = plot.replace('export const far = distance(origin, typed);', 'export const far = distance(origin, { x: 3, y: 4 });');

describe('TypeScriptVerifier proves the target gone (inputs that would pass it wrongly)', () => {
  const verifier = new TypeScriptVerifier(ROOT);
  const check = (after: string, targets: DiagnosticInfo[] = [TARGET], also?: Array<{ filePath: string; before: string; after: string }>) => verifier.verify({ filePath: PLOT, before: plot, after, targets, also });

  it('passes the right fix of a multi-line error, with another error of its kind and an unrelated one left in the file', async () => {
    const r = await check(FIXED_FAR);
    assert.equal(r.status, 'passed', JSON.stringify(r));
    assert.match(r.detail, /the problem is gone and no new error appeared in plot\.ts\.$/);
  });

  it('fails an edit that leaves the diagnostics unchanged (a comment) for a multi-line error', async () => {
    const r = await check(plot.replace('const origin', '// the origin\nconst origin'));
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /still there/);
    assert.deepEqual(r.errors, ["line 6: TS2345: Argument of type '{ x: string; y: number; }' is not assignable to parameter of type 'Point'. Types of property 'x' are incompatible. Type 'string' is not assignable to type 'number'."]);
  });

  it('fails a fix of the other of two identical errors: the target is still in its place', async () => {
    const r = await check(plot.replace('export const again = distance(origin, typed);', 'export const again = distance(origin, { x: 3, y: 4 });'));
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.errors![0], /^line 5: TS2345/);
  });

  it('fails an edit that moves the error elsewhere in the file', async () => {
    const r = await check(FIXED_FAR + 'export const moved = distance(origin, typed);\n');
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /still there/);
  });

  it('fails a fix that adds a second copy of an error the file already had', async () => {
    const r = await check(FIXED_FAR.replace('export const near = distance(origin, { x: 1, y: 1 });', "export const near: number = 'unrelated, already broken';"));
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.match(r.detail, /adds 1 new error/);
    assert.deepEqual(r.errors, ["line 7: TS2322: Type 'string' is not assignable to type 'number'."]);
  });

  it('fails a fix that changes an exported signature and breaks a file it does not touch', async () => {
    const widened = shapes.replace('export function distance(a: Point, b: Point): number {', 'export function distance(a: Point, b: Point, unit: string): number {');
    const callers = FIXED_FAR.replaceAll(/distance\(origin, ([^;]+)\);/g, "distance(origin, $1, 'm');");
    const r = await check(callers, [TARGET], [{ filePath: SHAPES, before: shapes, after: widened }]);
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.deepEqual(r.errors, ['src/route.ts: line 5: TS2554: Expected 3 arguments, but got 2.']);
  });

  it('fails a change to one file alone whose new signature breaks its importers', async () => {
    const r = await verifier.verify({ filePath: SHAPES, before: shapes, after: shapes.replace('export function label(p: Point): string {', 'export function label(p: Point, unit: string): string {'), targets: [] });
    assert.equal(r.status, 'failed', JSON.stringify(r));
    assert.ok(
      r.errors!.some((e) => e.startsWith('src/route.ts: line 10: TS2345')),
      JSON.stringify(r.errors),
    );
  });

  it('passes a compatible signature change after checking its importers, and a body change without them', async () => {
    const optional = await verifier.verify({ filePath: SHAPES, before: shapes, after: shapes.replace('distance(a: Point, b: Point)', 'distance(a: Point, b: Point, scale = 1)'), targets: [] });
    assert.equal(optional.status, 'passed', JSON.stringify(optional));
    assert.match(optional.detail, /in shapes\.ts, src\/(route|plot)\.ts, src\/(route|plot)\.ts\.$/);
    const body = await verifier.verify({ filePath: SHAPES, before: shapes, after: shapes.replace('Math.hypot(a.x - b.x, a.y - b.y)', 'Math.sqrt((a.x - b.x) ** 2 + (a.y - b.y) ** 2)'), targets: [] });
    assert.equal(body.status, 'passed', JSON.stringify(body));
    assert.match(body.detail, /in shapes\.ts\.$/);
  });

  it('does not call a problem TypeScript does not report fixed (another linter’s, or one not at that place)', async () => {
    const eslint: DiagnosticInfo = { message: "'near' is assigned a value but never used.", severity: 'error', source: 'eslint', code: 'no-unused-vars', range: { startLine: 6, startCharacter: 13, endLine: 6, endCharacter: 17 } };
    const r = await check(plot.replace('const origin', '// the origin\nconst origin'), [eslint]);
    assert.equal(r.status, 'unchecked', JSON.stringify(r));
    assert.match(r.detail, /does not report the problem \(eslint no-unused-vars at line 7\)/);
    const nowhere = { ...TARGET, code: '2322', message: 'Type "x" is not assignable.', range: { startLine: 1, startCharacter: 0, endLine: 1, endCharacter: 1 } };
    assert.equal((await check(FIXED_FAR, [nowhere])).status, 'unchecked');
  });

  it('finds the target by code and message when its range starts elsewhere, and needs the code to match', async () => {
    const shifted = { ...TARGET, range: { startLine: 4, startCharacter: 19, endLine: 4, endCharacter: 41 } };
    assert.equal((await check(FIXED_FAR, [shifted])).status, 'passed');
    assert.equal((await check(plot.replace('const origin', '// the origin\nconst origin'), [shifted])).status, 'failed');
    assert.equal((await check(FIXED_FAR, [{ ...shifted, code: '2322' }])).status, 'unchecked');
  });

  it('leaves the files on disk as they were', () => {
    assert.equal(fs.readFileSync(PLOT, 'utf8'), plot);
    assert.equal(fs.readFileSync(SHAPES, 'utf8'), shapes);
  });
});
