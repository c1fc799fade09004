/**
 * Checking numbers: the TypeScript shadow check on a generated 200-file project, warm: a change
 * inside one file, a change to an exported signature (its importer re-checked), and a change to
 * the module every file imports (the whole program re-checked).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TypeScriptVerifier } from '../src/core/verify/TypeScriptVerifier';
import type { CheckResult } from '../src/shared/types';
import type { Measured } from './providerBench';

const FILES = 200;

/** A chain of modules, each calling the one before and all using common.ts, with one real error in the last one. */
function makeProject(repoRoot: string): { root: string; file: string; before: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-tsbench-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(path.join(repoRoot, 'node_modules', 'typescript'), path.join(root, 'node_modules', 'typescript'), 'dir');
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true }, include: ['src'] }));
  fs.writeFileSync(path.join(root, 'src', 'common.ts'), 'export interface Meta { id: number }\nexport function tag(m: Meta): string {\n  return `#${m.id}`;\n}\n');
  for (let i = 0; i < FILES - 1; i++) {
    const dep = i > 0 ? `import { value${i - 1}, describe${i - 1}, type Shape${i - 1} } from './m${i - 1}';\n` : '';
    const body = [
      `import { tag } from './common';`,
      dep,
      `export interface Shape${i} { id: number; name: string; tags: string[]; parent?: ${i > 0 ? `Shape${i - 1}` : 'undefined'} }`,
      `export const value${i}: number = ${i > 0 ? `value${i - 1} + 1` : '0'};`,
      `export function describe${i}(s: Shape${i}): string {`,
      `  return \`\${tag(s)}:\${s.name}:\${s.tags.join(',')}\`;`,
      '}',
      `export class Store${i} {`,
      `  private readonly items = new Map<number, Shape${i}>();`,
      `  add(s: Shape${i}): void { this.items.set(s.id, s); }`,
      `  names(): string[] { return [...this.items.values()].map((s) => s.name); }`,
      i > 0 ? `  parentNames(): string[] { return [...this.items.values()].flatMap((s) => (s.parent ? [describe${i - 1}(s.parent)] : [])); }` : '',
      '}',
    ];
    fs.writeFileSync(path.join(root, 'src', `m${i}.ts`), body.join('\n') + '\n');
  }
  const file = path.join(root, 'src', `m${FILES - 2}.ts`);
  const before = fs.readFileSync(file, 'utf8') + `export const broken: number = describe${FILES - 2}({ id: 1, name: 'a', tags: [] });\n`;
  fs.writeFileSync(file, before);
  return { root, file, before };
}

export async function shadowCheck(repoRoot: string, runs = 15): Promise<Measured[]> {
  const { root, file, before } = makeProject(repoRoot);
  const verifier = new TypeScriptVerifier(root);
  const line = before.split('\n').findIndex((l) => l.startsWith('export const broken'));
  const target = { message: "Type 'string' is not assignable to type 'number'.", severity: 'error' as const, code: '2322', range: { startLine: line, startCharacter: 13, endLine: line, endCharacter: 19 } };
  const after = before.replace('export const broken: number =', 'export const broken: string =');
  const inFile = await timed(runs, () => verifier.verify({ filePath: file, before, after, targets: [target] }));

  // An exported signature gains an optional parameter: its importer is re-checked too.
  const mid = path.join(root, 'src', 'm100.ts');
  const midText = fs.readFileSync(mid, 'utf8');
  const widened = midText.replace('export function describe100(s: Shape100): string {', 'export function describe100(s: Shape100, sep = ":"): string {');
  const crossFile = await timed(runs, () => verifier.verify({ filePath: mid, before: midText, after: widened, targets: [] }), /src\/m101\.ts/);

  // The module every file imports: the whole program is re-checked.
  const common = path.join(root, 'src', 'common.ts');
  const commonText = fs.readFileSync(common, 'utf8');
  const everywhere = commonText.replace('export function tag(m: Meta): string {', 'export function tag(m: Meta, prefix = "#"): string {');
  const whole = await timed(Math.min(runs, 5), () => verifier.verify({ filePath: common, before: commonText, after: everywhere, targets: [] }), new RegExp(`and ${FILES - 3} more file`));

  return [
    { metric: `TypeScript shadow check, ${FILES}-file project, first`, measured: inFile.first, unit: 'ms', target: Infinity, kind: 'max' },
    { metric: `TypeScript shadow check, ${FILES}-file project, warm p50`, measured: inFile.warm, unit: 'ms', target: 1500, kind: 'max' },
    { metric: `  warm p50, exported signature changed (importer re-checked)`, measured: crossFile.warm, unit: 'ms', target: 1500, kind: 'max' },
    { metric: `  warm p50, module all ${FILES - 1} others import changed`, measured: whole.warm, unit: 'ms', target: Infinity, kind: 'max' },
  ];
}

/** Runs a check that must pass (and name the files it should) `runs + 1` times: the first time and the warm median. */
async function timed(runs: number, check: () => Promise<CheckResult>, scope?: RegExp): Promise<{ first: number; warm: number }> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const r = await check();
    times.push(performance.now() - t);
    if (r.status !== 'passed' || (scope && !scope.test(r.detail))) throw new Error(`the benchmark check should pass${scope ? ` over ${scope}` : ''}: ${JSON.stringify(r)}`);
  }
  const [first, ...warm] = times;
  warm.sort((a, b) => a - b);
  return { first, warm: warm[Math.floor(warm.length / 2)] };
}
