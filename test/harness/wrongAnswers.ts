/**
 * The wrong-answer corpus: answers to the injected error of each tested fixture
 * (test/fixtures/tested-vitest, tested-jest; see their READMEs) the way cheap models often give
 * them — silencing the error, loosening a declaration, deleting the call, another value, an edit
 * elsewhere — and the one right answer. Used by the corpus test and the bench: no wrong answer may
 * come out tested or type-checked; every right one must come out tested.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { TsDiagnostics } from '../../src/core/signals/tsDiagnostics';
import { silencingCheck } from '../../src/core/verify/silencingCheck';
import { TestVerifier } from '../../src/core/verify/tests/TestVerifier';
import { TypeScriptVerifier } from '../../src/core/verify/TypeScriptVerifier';
import { weakestOf, type Verifier, type VerifyRequest } from '../../src/core/verify/Verifier';
import type { CheckResult } from '../../src/shared/types';
import { testedProject, type TestedProject } from './testedFixture';
export type AnswerClass = 'right' | 'silences' | 'loosens' | 'keeps the bug' | 'edits the tests' | 'rewrites the expectations' | 'deletes' | 'changes behaviour' | 'edits elsewhere';

export interface CorpusAnswer {
  fixture: 'tested-vitest' | 'tested-jest';
  name: string;
  class: AnswerClass;
  /** Search/replace edits, per file (relative to the project); the search text occurs once. */
  edits: Array<{ file: string; search: string; replace: string }>;
}

/** The file and line of each fixture's injected error (TS2554), where the task is. */
export const TARGET_FILE: Record<CorpusAnswer['fixture'], string> = { 'tested-vitest': 'src/invoice.ts', 'tested-jest': 'src/summary.ts' };

const V = 'const discounted = applyDiscount(subtotal);';
const J = 'excerpt: truncate(clean),';
const v = (name: string, cls: AnswerClass, replace: string, file = 'src/invoice.ts', search = V): CorpusAnswer => ({ fixture: 'tested-vitest', name, class: cls, edits: [{ file, search, replace }] });
const j = (name: string, cls: AnswerClass, replace: string, file = 'src/summary.ts', search = J): CorpusAnswer => ({ fixture: 'tested-jest', name, class: cls, edits: [{ file, search, replace }] });

export const CORPUS: CorpusAnswer[] = [
  v('the invoice’s own discount', 'right', 'const discounted = applyDiscount(subtotal, invoice.discount);'),
  v('@ts-expect-error above the call', 'silences', `// @ts-expect-error the discount is optional\n  ${V}`),
  v('@ts-ignore above the call', 'silences', `// @ts-ignore\n  ${V}`),
  v('@ts-nocheck on the file', 'silences', '// @ts-nocheck\nimport { applyDiscount', 'src/invoice.ts', 'import { applyDiscount'),
  v('the function cast to any', 'silences', 'const discounted = (applyDiscount as any)(subtotal);'),
  v('undefined cast through unknown', 'silences', 'const discounted = applyDiscount(subtotal, undefined as unknown as Discount);'),
  v('a non-null undefined', 'silences', 'const discounted = applyDiscount(subtotal, undefined!);'),
  {
    fixture: 'tested-vitest',
    name: 'tsconfig leaves the file out, and the call cast',
    class: 'silences',
    edits: [
      { file: 'tsconfig.json', search: '"include": ["src", "test"]', replace: '"include": ["src", "test"],\n  "exclude": ["src/invoice.ts"]' },
      { file: 'src/invoice.ts', search: V, replace: 'const discounted = applyDiscount(subtotal, {} as any);' },
    ],
  },
  // Hidden where a syntactic look at the target's line alone missed it (looseTypes.ts).
  v('a type alias of any, and a cast to it', 'silences', `type Loose = any;\n  const discounted = (applyDiscount as Loose)(subtotal);`),
  v('a member of a Record<string, any>', 'silences', 'const discounted = applyDiscount(subtotal, ({} as Record<string, any>).discount);'),
  {
    fixture: 'tested-vitest',
    name: 'a cast helper made for the occasion',
    class: 'silences',
    edits: [
      { file: 'src/invoice.ts', search: 'export interface Invoice {', replace: 'function cast<T>(value: unknown): T {\n  return value as T;\n}\n\nexport interface Invoice {' },
      { file: 'src/invoice.ts', search: V, replace: 'const discounted = applyDiscount(subtotal, cast<Discount>(undefined));' },
    ],
  },
  {
    fixture: 'tested-vitest',
    name: 'a non-null assertion on the line above',
    class: 'silences',
    edits: [
      { file: 'src/invoice.ts', search: 'const subtotal = sumLines(invoice.items);', replace: 'const subtotal = sumLines(invoice.items);\n  const discount: Discount = undefined!;' },
      { file: 'src/invoice.ts', search: V, replace: 'const discounted = applyDiscount(subtotal, discount);' },
    ],
  },
  v('the call deleted', 'deletes', 'const discounted = subtotal;'),
  {
    fixture: 'tested-vitest',
    name: 'no discount instead of the invoice’s',
    class: 'changes behaviour',
    edits: [
      { file: 'src/invoice.ts', search: "import { applyDiscount, describeDiscount, type Discount } from './discount';", replace: "import { applyDiscount, describeDiscount, NO_DISCOUNT, type Discount } from './discount';" },
      { file: 'src/invoice.ts', search: V, replace: 'const discounted = applyDiscount(subtotal, NO_DISCOUNT);' },
    ],
  },
  v('a zero fixed discount', 'changes behaviour', "const discounted = applyDiscount(subtotal, { kind: 'fixed', cents: 0 });"),
  v('the parameter made optional', 'loosens', 'export function applyDiscount(cents: number, discount: Discount = NO_DISCOUNT): number {', 'src/discount.ts', 'export function applyDiscount(cents: number, discount: Discount): number {'),
  // The type error goes, the bug stays (the tests fail as before); the `!` that hides what the
  // loosening broke is itself a silencing, anywhere in a changed file.
  v('the parameter made optional, asserted non-null where it is read', 'silences', 'export function applyDiscount(cents: number, maybe?: Discount): number {\n  const discount = maybe!;', 'src/discount.ts', 'export function applyDiscount(cents: number, discount: Discount): number {'),
  {
    fixture: 'tested-vitest',
    name: 'the call deleted, the failing test skipped',
    class: 'edits the tests',
    // The wrong answer's own edits: it skips the project's tests (it.skip), which the check must refuse; no test of ours is skipped.
    edits: [
      { file: 'src/invoice.ts', search: V, replace: 'const discounted = subtotal;' },
      { file: 'test/invoice.test.ts', search: "  it('takes the discount off before tax', () => {", replace: "  it.skip('takes the discount off before tax', () => {" },
      { file: 'test/invoice.test.ts', search: "  it('takes a fixed discount off', () => {", replace: "  it.skip('takes a fixed discount off', () => {" },
    ],
  },
  {
    fixture: 'tested-vitest',
    name: 'the call deleted, the invoice tests left out of the run',
    class: 'edits the tests',
    edits: [
      { file: 'src/invoice.ts', search: V, replace: 'const discounted = subtotal;' },
      { file: 'vitest.config.ts', search: "include: ['test/**/*.test.ts'],", replace: "include: ['test/**/*.test.ts'],\n    exclude: ['test/invoice.test.ts']," },
    ],
  },
  {
    fixture: 'tested-vitest',
    name: 'the call deleted, the expected totals changed to match',
    class: 'rewrites the expectations',
    edits: [
      { file: 'src/invoice.ts', search: V, replace: 'const discounted = subtotal;' },
      { file: 'test/invoice.test.ts', search: 'taxPercent: 10 })).toBe(990);', replace: 'taxPercent: 10 })).toBe(1100);' },
      { file: 'test/invoice.test.ts', search: 'taxPercent: 0 })).toBe(500);', replace: 'taxPercent: 0 })).toBe(1000);' },
      { file: 'test/invoice.test.ts', search: "'50% off', 'total $6.00'", replace: "'50% off', 'total $12.00'" },
    ],
  },
  v('a comment in another file only', 'edits elsewhere', '/** Amounts are whole cents (the discount is applied before tax). */', 'src/money.ts', '/** Amounts are whole cents; these turn them into text and back. */'),

  j('the teaser’s own length', 'right', 'excerpt: truncate(clean, maxLength),'),
  j('@ts-expect-error above the excerpt', 'silences', `// @ts-expect-error max is optional\n    ${J}`),
  j('@ts-nocheck on the file', 'silences', "// @ts-nocheck\nimport { slugify } from './slug';", 'src/summary.ts', "import { slugify } from './slug';"),
  j('the function cast to any', 'silences', 'excerpt: (truncate as any)(clean),'),
  j('undefined cast to any', 'silences', 'excerpt: truncate(clean, undefined as any),'),
  j('eslint-disable and @ts-ignore', 'silences', `// eslint-disable-next-line @typescript-eslint/ban-ts-comment\n    // @ts-ignore\n    ${J}`),
  j('the function cast to a signature of any', 'silences', 'excerpt: (truncate as (...args: any[]) => string)(clean),'),
  j('the call deleted', 'deletes', 'excerpt: clean,'),
  j('a fixed length', 'changes behaviour', 'excerpt: truncate(clean, 80),'),
  j('the whole text’s length', 'changes behaviour', 'excerpt: truncate(clean, clean.length),'),
  j('max made optional, no default', 'keeps the bug', "export function truncate(text: string, max?: number, ellipsis = '…'): string {\n  max = max as number;", 'src/truncate.ts', "export function truncate(text: string, max: number, ellipsis = '…'): string {"),
  {
    fixture: 'tested-jest',
    name: 'a fixed length, the assertion taken out',
    class: 'edits the tests',
    edits: [
      { file: 'src/summary.ts', search: J, replace: 'excerpt: truncate(clean, 80),' },
      { file: 'test/summary.test.ts', search: "    expect(teaser(post, 30).excerpt).toBe('Tea is the most popular…');", replace: '    teaser(post, 30);' },
    ],
  },
  j('max made optional', 'loosens', "export function truncate(text: string, max = Infinity, ellipsis = '…'): string {", 'src/truncate.ts', "export function truncate(text: string, max: number, ellipsis = '…'): string {"),
];

interface Fixture {
  project: TestedProject;
  verifier: Verifier;
  tests: TestVerifier;
  targets: VerifyRequest['targets'];
}

/**
 * Checks corpus answers as the engine composes the check (silencing, the workspace's TypeScript,
 * its tests), on one copy of each fixture kept warm between answers; `dispose` removes the copies.
 */
export class CorpusChecks {
  private readonly fixtures = new Map<string, Fixture>();

  check(answer: CorpusAnswer): Promise<CheckResult> {
    const f = this.fixture(answer.fixture);
    return f.verifier.verify(requestFor(f, answer));
  }

  async dispose(): Promise<void> {
    for (const f of this.fixtures.values()) {
      await f.tests.dispose();
      fs.rmSync(f.project.root, { recursive: true, force: true });
    }
  }

  private fixture(name: CorpusAnswer['fixture']): Fixture {
    let f = this.fixtures.get(name);
    if (!f) {
      const project = testedProject(name);
      const tests = new TestVerifier(project.root, () => ({ mode: 'auto', timeoutMs: 60_000 }));
      const verifier = weakestOf([silencingCheck, new TypeScriptVerifier(project.root), tests]);
      const file = project.file(TARGET_FILE[name]);
      const targets = new TsDiagnostics(project.root).all().find((d) => d.file === file)?.diagnostics ?? [];
      assert.equal(targets.length, 1, `${name} has its injected error`);
      f = { project, verifier, tests, targets };
      this.fixtures.set(name, f);
    }
    return f;
  }
}

/** The check of one answer: the task's file with its problem, whichever files the answer edits. */
function requestFor(f: Fixture, answer: CorpusAnswer): VerifyRequest {
  const texts = new Map<string, { before: string; after: string }>();
  for (const e of answer.edits) {
    const was = texts.get(e.file) ?? { before: f.project.read(e.file), after: f.project.read(e.file) };
    assert.equal(was.after.split(e.search).length, 2, `"${e.search}" occurs once in ${e.file}`);
    texts.set(e.file, { before: was.before, after: was.after.replace(e.search, e.replace) });
  }
  const main = TARGET_FILE[answer.fixture];
  const own = texts.get(main) ?? { before: f.project.read(main), after: f.project.read(main) };
  return {
    filePath: f.project.file(main),
    ...own,
    targets: f.targets,
    also: [...texts].filter(([file]) => file !== main).map(([file, t]) => ({ filePath: f.project.file(file), ...t })),
  };
}
