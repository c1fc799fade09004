/**
 * looseTypes: an explicit `any` or an error-hiding assertion added anywhere in a changed file is
 * a silencing; one that was there already and only moved, `as const`, and `as SomeType` are not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ts from 'typescript';
import { loosensTypes } from '../../../../src/core/verify/looseTypes';

const F = '/ws/src/a.ts';
const loosens = (before: string, after: string, file = F) => loosensTypes(ts, file, before, after);

describe('loosensTypes', () => {
  it('finds an explicit any added anywhere: an alias, a Record, a widened return type, a signature cast', () => {
    const base = 'export function total(n: number): number {\n  return n;\n}\n';
    assert.match(loosens(base, `type Loose = any;\n${base}`)!, /adds an explicit `any` \(`type Loose = any;`\) at line 1 of a\.ts/);
    assert.match(loosens(base, base.replace('(n: number): number', '(n: number): any'))!, /explicit `any`/);
    assert.match(loosens(base, base.replace('return n;', 'return ({} as Record<string, any>).n;'))!, /Record<string, any>/);
    assert.match(loosens(base, base.replace('return n;', 'return (total as (...a: any[]) => number)(n);'))!, /explicit `any`/);
  });

  it('finds a non-null assertion, a definite assignment and a cast helper added anywhere in the file', () => {
    const base = 'declare const maybe: number | undefined;\nlet late: number;\nexport const a = 1;\n';
    assert.match(loosens(base, base.replace('export const a = 1;', 'export const a = maybe!;'))!, /adds a non-null assertion \(`maybe!`\) at line 3/);
    assert.match(loosens(base, base.replace('let late: number;', 'let late!: number;'))!, /definite assignment/);
    assert.match(loosens(base, `${base}function cast<T>(v: unknown): T {\n  return v as T;\n}\n`)!, /a cast to a type parameter \(a cast helper\) \(`v as T`\)/);
  });

  it('does not call a moved one new, nor `as const`, a cast to a real type, `!==`, an `any` in a string or a comment', () => {
    const base = 'declare const maybe: number | undefined;\nexport const a = maybe!;\nexport const b: any = 1;\n';
    const moved = 'declare const maybe: number | undefined;\nexport const b: any = 1;\n\nexport const a = maybe!;\n';
    assert.equal(loosens(base, moved), undefined);
    const plain = 'export const x = 1;\n';
    assert.equal(loosens(plain, "export const x = [1, 2] as const;\nexport const s = 'any' !== String(x); // any\n"), undefined);
    assert.equal(loosens(plain, 'interface P { n: number }\nexport const x = ({ n: 1 } as P).n;\n'), undefined);
  });

  it('judges only TypeScript files, and no file the change left as it was', () => {
    assert.equal(loosens('const a = 1;\n', 'const a = /** @type {any} */ (1);\n', '/ws/src/a.js'), undefined);
    const same = 'type Loose = any;\n';
    assert.equal(loosens(same, same), undefined);
  });
});
