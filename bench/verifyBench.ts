/** Checking numbers: the TypeScript shadow check on a generated 200-file project, warm. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TypeScriptVerifier } from '../src/core/verify/TypeScriptVerifier';
import type { Measured } from './providerBench';

const FILES = 200;

/** A project of modules that import each other, with one real error in the last one. */
function makeProject(repoRoot: string): { root: string; file: string; before: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-tsbench-'));
  fs.mkdirSync(path.join(root, 'src'));
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(path.join(repoRoot, 'node_modules', 'typescript'), path.join(root, 'node_modules', 'typescript'), 'dir');
  fs.writeFileSync(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'bundler', strict: true, noEmit: true }, include: ['src'] }));
  for (let i = 0; i < FILES; i++) {
    const dep = i > 0 ? `import { value${i - 1}, type Shape${i - 1} } from './m${i - 1}';\n` : '';
    const body = [
      dep,
      `export interface Shape${i} { id: number; name: string; tags: string[]; parent?: ${i > 0 ? `Shape${i - 1}` : 'undefined'} }`,
      `export const value${i}: number = ${i > 0 ? `value${i - 1} + 1` : '0'};`,
      `export function describe${i}(s: Shape${i}): string {`,
      `  return \`\${s.id}:\${s.name}:\${s.tags.join(',')}\`;`,
      '}',
      `export class Store${i} {`,
      `  private readonly items = new Map<number, Shape${i}>();`,
      `  add(s: Shape${i}): void { this.items.set(s.id, s); }`,
      `  names(): string[] { return [...this.items.values()].map((s) => s.name); }`,
      '}',
    ];
    fs.writeFileSync(path.join(root, 'src', `m${i}.ts`), body.join('\n') + '\n');
  }
  const file = path.join(root, 'src', `m${FILES - 1}.ts`);
  const before = fs.readFileSync(file, 'utf8') + `export const broken: number = describe${FILES - 1}({ id: 1, name: 'a', tags: [] });\n`;
  fs.writeFileSync(file, before);
  return { root, file, before };
}

export async function shadowCheck(repoRoot: string, runs = 15): Promise<Measured[]> {
  const { root, file, before } = makeProject(repoRoot);
  const verifier = new TypeScriptVerifier(root);
  const target = { message: "Type 'string' is not assignable to type 'number'.", severity: 'error' as const, code: '2322', range: { startLine: 0, startCharacter: 0, endLine: 0, endCharacter: 0 } };
  const after = before.replace('export const broken: number =', 'export const broken: string =');
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const t = performance.now();
    const r = await verifier.verify({ filePath: file, before, after, targets: [target] });
    times.push(performance.now() - t);
    if (r.status !== 'passed') throw new Error(`the benchmark fix should pass: ${JSON.stringify(r)}`);
  }
  const [first, ...warm] = times;
  warm.sort((a, b) => a - b);
  return [
    { metric: `TypeScript shadow check, ${FILES}-file project, first`, measured: first, unit: 'ms', target: Infinity, kind: 'max' },
    { metric: `TypeScript shadow check, ${FILES}-file project, warm p50`, measured: warm[Math.floor(warm.length / 2)], unit: 'ms', target: 1500, kind: 'max' },
  ];
}
