/** Silencing is not fixing: every way to hide an error is flagged, and nothing a real fix does is. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ts from 'typescript';
import { addsGlobalDeclaration, addsSuppressionComment, correspondingLines, silencesTarget, silencingIn } from '../../../../src/core/verify/silencing';
import { suppressionsIn } from '../../../../src/core/verify/suppressionComments';
import { isTestSide } from '../../../../src/core/verify/testEdits';

const change = (filePath: string, before: string, after: string) => [{ filePath, before, after }];
/** `line` put in as a new line after the first of `before`. */
const withLine = (before: string, line: string) => before.replace('\n', `\n${line}\n`);

const TS_FILE = 'export function greet(name: string) {\n  return `Hello, ${name}`;\n}\n';
const PY_FILE = 'def greet(name):\n    return "Hello, " + name\n';

describe('silencingIn: suppression comments a change adds', () => {
  it('flags every TypeScript and JavaScript form, and says where', () => {
    assert.equal(silencingIn(change('/ws/src/greeting.ts', TS_FILE, withLine(TS_FILE, '  // @ts-expect-error'))), 'adds `// @ts-expect-error` at line 2 of greeting.ts: this silences the error; fix the cause');
    const forms = [
      '// @ts-ignore',
      '//@ts-ignore: types are wrong',
      '/// @ts-ignore',
      '// @ts-nocheck',
      '/* @ts-ignore */',
      '/** @ts-expect-error */',
      'foo(); // eslint-disable-line',
      '// eslint-disable-next-line @typescript-eslint/no-explicit-any',
      '/* eslint-disable */',
      '/* eslint-disable no-console, no-undef */',
      '/*\n * eslint-disable no-undef\n */',
      '/* eslint no-undef: "off" */',
      '/* eslint no-undef: 0 */',
      "/* eslint no-undef: ['off'] */",
      '// biome-ignore lint/suspicious/noExplicitAny: legacy',
      '// tslint:disable-next-line',
      '// oxlint-disable-next-line',
      '// deno-lint-ignore no-explicit-any',
      'const s = "x"; // @ts-ignore',
      "x.replace(/'/g, ''); // @ts-ignore",
      'const t = `a${b}c`; // @ts-ignore',
    ];
    for (const form of forms) {
      for (const file of ['/ws/a.ts', '/ws/a.tsx', '/ws/a.js', '/ws/a.mjs', '/ws/a.cts']) assert.ok(silencingIn(change(file, TS_FILE, withLine(TS_FILE, form))), `${form} in ${file}`);
    }
    assert.ok(silencingIn(change('/ws/a.tsx', 'const e = (\n  <div>\n  </div>\n);\n', 'const e = (\n  <div>\n    {/* @ts-expect-error */}\n  </div>\n);\n')));
    assert.ok(silencingIn(change('/ws/App.vue', "<template>\n  <p>it's</p>\n</template>\n", "<template>\n  <!-- eslint-disable-next-line vue/no-v-html -->\n  <p>it's</p>\n</template>\n")));
    assert.ok(silencingIn(change('/ws/a.css', 'a { color: red; }\n', '/* stylelint-disable */\na { color: red; }\n')));
  });

  it('flags every Python form', () => {
    const forms = [
      'x = f()  # type: ignore',
      'x = f()  # type: ignore[attr-defined]',
      'x = f()  #type:ignore',
      'x = f()  # noqa',
      'x = f()  # noqa: E501',
      'x = f()  # NOQA',
      'x = f()  # pyright: ignore',
      'x = f()  # pyright: ignore[reportGeneralTypeIssues]',
      '# pyright: basic',
      '# pyright: reportOptionalMemberAccess=false',
      '# ruff: noqa',
      '# flake8: noqa',
      '# mypy: ignore-errors',
      '# mypy: disable-error-code="attr-defined"',
      'x = f()  # pylint: disable=no-member',
      'x = f()  # pyre-ignore[16]',
      'x = f()  # explained here  # type: ignore',
      'x = "a"  # noqa',
    ];
    for (const form of forms) assert.ok(silencingIn(change('/ws/greet.py', PY_FILE, withLine(PY_FILE, `    ${form}`))), form);
    assert.equal(silencingIn(change('/ws/pkg/greet.py', PY_FILE, PY_FILE.replace('+ name', '+ name  # type: ignore[operator]'))), 'adds `# type: ignore[operator]` at line 2 of greet.py: this silences the error; fix the cause');
  });

  it('flags a second copy of a suppression that was already there, a new file with one, and one in any changed file', () => {
    const one = withLine(TS_FILE, '  // @ts-ignore');
    assert.ok(silencingIn(change('/ws/a.ts', one, withLine(one, '  // @ts-ignore'))));
    assert.ok(silencingIn(change('/ws/a.ts', '', one)));
    assert.match(silencingIn([...change('/ws/a.ts', TS_FILE, TS_FILE.replace('Hello', 'Hi')), ...change('/ws/b.py', PY_FILE, withLine(PY_FILE, '    # type: ignore'))]) ?? '', /of b\.py/);
    assert.match(silencingIn(change('/ws/a.ts', TS_FILE, `${TS_FILE}// @ts-ignore\nx;\n// @ts-ignore\ny;\n`)) ?? '', /at line 4 of a\.ts \(and 1 more\)/);
  });

  it('does not flag a suppression that was already there, untouched or moved by the edit', () => {
    const had = withLine(TS_FILE, '  // @ts-expect-error legacy');
    assert.equal(silencingIn(change('/ws/a.ts', had, had.replace('Hello', 'Hi'))), undefined, 'edit elsewhere');
    assert.equal(silencingIn(change('/ws/a.ts', had, `import { x } from './x';\n\n${had}`)), undefined, 'lines added above it');
    assert.equal(silencingIn(change('/ws/a.ts', `${had}export const z = 1;\n`, `export const z = 1;\n${had}`)), undefined, 'moved with the code');
    // Taken off its code and put above other code, it silences that code: new (the outside test, issue 24).
    assert.match(silencingIn(change('/ws/a.ts', had, `${had.replace('  // @ts-expect-error legacy\n', '')}// @ts-expect-error legacy\nlater();\n`)) ?? '', /adds `\/\/ @ts-expect-error legacy`/, 'moved above other code');
    const py = PY_FILE.replace('+ name', '+ name  # type: ignore');
    assert.equal(silencingIn(change('/ws/a.py', py, py.replace('"Hello, "', '"Hi, "'))), undefined, 'the line it is on was edited');
    assert.equal(silencingIn(change('/ws/a.ts', had, TS_FILE)), undefined, 'removed');
  });

  it('does not flag what only looks like a suppression', () => {
    const lookalikes = [
      'const s = "// @ts-ignore";',
      "const s = '/* eslint-disable */';",
      'const s = `// @ts-ignore ${"// @ts-expect-error"} /* eslint-disable */`;',
      'const s = `\n// @ts-ignore\n${x}\n// eslint-disable-next-line\n`;',
      'const s = `${`// @ts-ignore`}`;',
      'const re = /\\/\\/ @ts-ignore/;',
      'const re = /["\'`]/; const s = "// @ts-ignore";',
      'const n = a / b; const s = "// @ts-ignore";',
      '/* istanbul ignore next */',
      '// istanbul ignore else',
      '/* c8 ignore next 3 */',
      '// prettier-ignore',
      '// TODO: remove the @ts-ignore below once the types are fixed',
      '// why we no longer need eslint-disable here',
      '/* global window */',
    ];
    for (const l of lookalikes) assert.equal(silencingIn(change('/ws/a.ts', TS_FILE, withLine(TS_FILE, l))), undefined, l);
    const py = ['    s = "# type: ignore"', "    s = '# noqa'", '    """\n    # type: ignore\n    """', "    s = f'{x}  # noqa'", '    x = []  # type: List[int]', '    # this used to need a noqa'];
    for (const l of py) assert.equal(silencingIn(change('/ws/a.py', PY_FILE, withLine(PY_FILE, l))), undefined, l);
    assert.equal(silencingIn(change('/ws/README.md', '# Docs\n', '# Docs\n\n```ts\n// @ts-ignore\n```\n')), undefined, 'not a language it reads');
  });
});

describe('silencingIn: edits to a checker’s settings', () => {
  const tsconfig = '{\n  // the base\n  "compilerOptions": { "strict": true }\n}\n';
  it('flags compiler and linter configs', () => {
    assert.equal(silencingIn(change('/ws/tsconfig.json', tsconfig, tsconfig.replace('true', 'false'))), "changes tsconfig.json (the TypeScript compiler's settings): that makes the checker look away, it does not fix the cause");
    const edits: Array<[string, string, string]> = [
      ['/ws/tsconfig.build.json', tsconfig, tsconfig.replace('true', 'false')],
      ['/ws/packages/a/tsconfig.app.json', '', tsconfig],
      ['/ws/jsconfig.json', tsconfig, tsconfig.replace('"strict": true', '"checkJs": false')],
      ['/ws/eslint.config.mjs', 'export default [];\n', "export default [{ rules: { 'no-undef': 'off' } }];\n"],
      ['/ws/eslint.config.ts', 'export default [];\n', 'export default [{ ignores: ["src/a.ts"] }];\n'],
      ['/ws/.eslintrc.json', '{}', '{ "rules": { "no-undef": "off" } }'],
      ['/ws/.eslintrc', '{}', '{ "root": true }'],
      ['/ws/.eslintignore', '', 'src/a.ts\n'],
      ['/ws/package.json', '{ "name": "a", "types": "index.d.ts" }', '{ "name": "a", "types": "any.d.ts" }'],
      ['/ws/package.json', '{ "name": "a" }', '{ "name": "a", "eslintConfig": { "rules": { "no-undef": 0 } } }'],
      ['/ws/package.json', '{ "name": "a", "typings": "a.d.ts" }', '{ "name": "a" }'],
      ['/ws/pyrightconfig.json', '{ "typeCheckingMode": "strict" }', '{ "typeCheckingMode": "basic" }'],
      ['/ws/mypy.ini', '[mypy]\nstrict = True\n', '[mypy]\nstrict = False\n'],
      ['/ws/.flake8', '[flake8]\n', '[flake8]\nextend-ignore = E501\n'],
      ['/ws/ruff.toml', '', 'lint.ignore = ["F401"]\n'],
      ['/ws/.ruff.toml', 'line-length = 100\n', 'line-length = 200\n'],
      ['/ws/setup.cfg', '[metadata]\nname = a\n\n[mypy]\nstrict = True\n', '[metadata]\nname = a\n\n[mypy]\nstrict = False\n'],
      ['/ws/setup.cfg', '[metadata]\nname = a\n', '[metadata]\nname = a\n\n[mypy-vendor.*]\nignore_errors = True\n'],
      ['/ws/setup.cfg', '[flake8]\nmax-line-length = 100\n', '[flake8]\nmax-line-length = 100\nper-file-ignores = a.py:F401\n'],
      ['/ws/pyproject.toml', '[project]\nname = "a"\n\n[tool.mypy]\nstrict = true\n', '[project]\nname = "a"\n\n[tool.mypy]\nstrict = false\n'],
      ['/ws/pyproject.toml', '[tool.ruff.lint]\nselect = ["E"]\n', '[tool.ruff.lint]\nselect = ["E"]\nignore = ["E501"]\n'],
      ['/ws/pyproject.toml', '[project]\nname = "a"\n', '[project]\nname = "a"\n\n[[tool.mypy.overrides]]\nmodule = "x"\nignore_errors = true\n'],
      ['/ws/pyproject.toml', '[tool.pyright]\ntypeCheckingMode = "strict"\n', '[tool.pyright]\ntypeCheckingMode = "off"\n'],
      ['/ws/pyproject.toml', '[tool.ruff]\nextend-exclude = [\n  ["a"]\n]\nline-length = 88\n', '[tool.ruff]\nextend-exclude = [\n  ["a"]\n]\nline-length = 200\n'],
    ];
    for (const [file, before, after] of edits) assert.ok(silencingIn(change(file, before, after)), `${file}: ${after}`);
    assert.match(silencingIn(change('/ws/package.json', '{ "types": "a.d.ts" }', '{ "types": "b.d.ts" }')) ?? '', /^changes `types` in package\.json/);
    assert.match(silencingIn(change('/ws/pyproject.toml', '', '[tool.ruff.lint]\nignore = ["F"]\n')) ?? '', /^changes \[tool\.ruff\.lint\] in pyproject\.toml/);
  });

  it('does not flag the parts of shared files that are not a checker’s, nor a config’s layout', () => {
    const pkg = '{\n  "name": "a",\n  "types": "index.d.ts",\n  "scripts": { "test": "node --test" },\n  "dependencies": {}\n}\n';
    const edits: Array<[string, string, string]> = [
      ['/ws/package.json', pkg, pkg.replace('node --test', 'mocha')],
      ['/ws/package.json', pkg, pkg.replace('"dependencies": {}', '"dependencies": { "zod": "^4.0.0" }')],
      ['/ws/package.json', pkg, JSON.stringify(JSON.parse(pkg))],
      ['/ws/tsconfig.json', tsconfig, tsconfig.replace('// the base', '// the base config, shared').replace('{ "strict": true }', '{\n    "strict": true,\n  }')],
      ['/ws/pyproject.toml', '[project]\nname = "a"\nversion = "1"\n\n[tool.mypy]\nstrict = true\n', '[project]\nname = "a"\nversion = "2"\n\n[tool.mypy]\nstrict = true\n'],
      ['/ws/pyproject.toml', '[tool.mypyc]\nx = 1\n', '[tool.mypyc]\nx = 2\n'],
      ['/ws/setup.cfg', '[metadata]\nname = a\n\n[mypy]\nstrict = True\n', '[metadata]\nname = b\n\n[mypy]\nstrict = True\n'],
      ['/ws/mypy.ini', '[mypy]\nstrict = True\n', '[mypy]\r\nstrict = True   \r\n\r\n'],
      ['/ws/src/config.json', '{ "strict": true }', '{ "strict": false }'],
    ];
    for (const [file, before, after] of edits) assert.equal(silencingIn(change(file, before, after)), undefined, `${file}: ${after}`);
  });
});

const SRC = ['export function greet(name: string | undefined, opts?: { name: string }) {', '  const n: string = name;', '  return n.length;', '}', ''].join('\n');
const TARGET = { start: 1, end: 1 };
const target = (after: string, before = SRC, lines = TARGET, file = '/ws/src/greeting.ts') => silencesTarget(ts, file, before, after, lines);

describe('silencesTarget: assertions that hide the target TypeScript error', () => {
  it('flags a new non-null assertion or cast through any/unknown on the target, and says which', () => {
    assert.equal(target(SRC.replace('= name;', '= name!;')), 'adds a non-null assertion (`name!`) at line 2 of greeting.ts, where the error is: this hides the error; fix the cause');
    assert.match(target(SRC.replace('= name;', '= name as any;')) ?? '', /^adds a cast through `any`, `unknown` or `never` \(`name as any`\) at line 2/);
    const hiders = ['opts!.name', 'f()!', 'opts!.name!', 'name as any', '(name as any)', '(name as any).trim()', 'name as (any)', '<any>name', '<unknown>name as string', 'name as unknown as string', 'name as never', 'opts?.name!'];
    for (const h of hiders) assert.ok(target(SRC.replace('= name;', `= ${h};`)), h);
    assert.ok(target(SRC.replace('  const n: string = name;', '  const n: string =\n    name!;')), 'the target line split in two');
    assert.ok(target(SRC.replace('  const n: string = name;', '  const m = name;\n  const n: string = m!;')), 'one line made two');
    const obj = 'const o: { a: number } = {\n  a: 1,\n  b: 2,\n};\n';
    assert.ok(target(obj.replace('};', '} as any;'), obj, { start: 2, end: 2 }), 'a cast on the line closing the expression');
  });

  it('flags a definite assignment assertion, a JSDoc cast in JavaScript and a new declare global', () => {
    const cls = 'class A {\n  name: string;\n}\n';
    assert.match(target(cls.replace('name:', 'name!:'), cls) ?? '', /definite assignment/);
    assert.ok(target('let n!: number;\n', 'let n: number;\n', { start: 0, end: 0 }));
    const js = 'const n = read();\nuse(n);\n';
    assert.ok(target(js.replace('use(n)', 'use(/** @type {any} */ (n))'), js, { start: 1, end: 1 }, '/ws/a.js'));
    assert.match(target(`${SRC}declare global {\n  var name: string;\n}\n`) ?? '', /^adds a declaration to greeting\.ts \(`declare global`/);
    assert.match(target(`${SRC}declare global {\n  var name: string;\n}\n`, SRC, { start: 0, end: 0 }) ?? '', /declare global/, 'anywhere in the file');
    const dts = 'export {};\n';
    assert.equal(addsGlobalDeclaration(ts, '/ws/src/globals.d.ts', dts, `${dts}declare global {\n  const VERSION: string;\n}\n`), 'adds a declaration to globals.d.ts (`declare global`, `declare module`, a `declare`d name): declaring what is missing hides the error; fix the cause');
    const had = `${dts}declare global {\n  const VERSION: string;\n}\n`;
    assert.equal(addsGlobalDeclaration(ts, '/ws/src/globals.d.ts', had, had.replace('string', 'number')), undefined, 'one that was there');
  });

  it('does not flag a real fix, nor what only looks like an assertion', () => {
    const fixes = ["name ?? ''", "name !== undefined ? name : ''", "!name ? '' : name", "name != null ? name : ''", "(name ?? '') as const", "String(name ?? '')", "`${name ?? ''}`", "name || 'x!'"];
    // `name as string` tells the checker what to believe where the error is: silencing since the second outside test (it was counted a fix).
    assert.match(target(SRC.replace('= name;', '= name as string;')) ?? '', /a type assertion where the error is/);
    for (const f of fixes) assert.equal(target(SRC.replace('= name;', `= ${f};`)), undefined, f);
    assert.equal(target(SRC.replace('= name;', "= name ?? '';").replace('n.length', 'opts!.name.length')), undefined, '! on another line');
    assert.equal(target(SRC.replace('= name;', "= name ?? '';").replace('n.length', '(n as any).length')), undefined, 'cast on another line');
    const had = SRC.replace('= name;', '= opts!.name;');
    assert.equal(target(had.replace('opts!.name;', 'opts!.name ?? name;'), had), undefined, 'a ! that was already on the line');
    assert.equal(target(`// the greeting\n\n${had}`, had), undefined, 'moved down by lines added above');
    const glob = `${SRC}declare global {\n  var x: string;\n}\n`;
    assert.equal(target(glob.replace('= name;', "= name ?? '';"), glob), undefined, 'a declare global that was there');
    assert.match(target(`${SRC}declare module './x' {\n  export const y: number;\n}\n`) ?? '', /adds a declaration/, 'a module augmentation invents members too (second outside test)');
  });
});

describe('correspondingLines', () => {
  it('follows an unchanged line, and a changed one into what replaced it', () => {
    const b = 'a\nb\nc\nd\n';
    assert.deepEqual(correspondingLines(b, 'x\ny\na\nb\nc\nd\n', { start: 1, end: 1 }), { before: new Set([1]), after: new Set([3]) });
    assert.deepEqual(correspondingLines(b, 'a\nc\nd\n', { start: 1, end: 1 }), { before: new Set([1]), after: new Set() }, 'removed');
    assert.deepEqual(correspondingLines(b, 'a\nB\nC\nd\n', { start: 2, end: 3 }), { before: new Set([2, 3]), after: new Set([2, 3]) });
    assert.deepEqual(correspondingLines(b, 'a\nb\nnew\nc\nd\n', { start: 1, end: 1 }), { before: new Set([1]), after: new Set([1]) }, 'an insertion next to it is not it');
    const code = 'f();\n  const n: string = name;\n  return n.length;\n';
    assert.deepEqual(correspondingLines(code, code.replace('= name;', '=\n    name!;'), { start: 1, end: 1 }), { before: new Set([1]), after: new Set([1, 2]) }, 'one line made two');
    const next = code.replace('= name;', "= name ?? '';").replace('n.length', 'n!.length');
    assert.deepEqual(correspondingLines(code, next, { start: 1, end: 1 }), { before: new Set([1]), after: new Set([1]) }, 'the next line, changed too, is not it');
    assert.deepEqual(correspondingLines(code, code, { start: 5, end: 6 }), { before: new Set(), after: new Set() }, 'past the end');
  });

  it('takes the whole file on both sides when it was rewritten past comparing line by line, in reasonable time', () => {
    const many = (f: (i: number) => string) => Array.from({ length: 1500 }, (_, i) => f(i)).join('\n');
    const was = many((i) => `const a${i} = ${i};`);
    const started = Date.now();
    const lines = correspondingLines(
      was,
      many((i) => `let b${i} = f(${i});`),
      { start: 3, end: 3 },
    );
    assert.deepEqual([lines.before.size, lines.after.size], [1500, 1500]);
    assert.ok(
      target(
        many((i) => (i === 1400 ? 'let x = y!;' : `let b${i} = f(${i});`)),
        was,
        { start: 3, end: 3 },
      ),
      'an assertion anywhere in it',
    );
    assert.equal(
      target(
        many((i) => `let b${i} = f(${i});`),
        was,
        { start: 3, end: 3 },
      ),
      undefined,
    );
    const had = `// @ts-expect-error\n${was}`;
    assert.equal(silencingIn(change('/ws/a.ts', had, `${many((i) => `let b${i} = f(${i});`)}\n// @ts-expect-error\n`)), undefined, 'a suppression it had, moved');
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
  });
});

/** A small seeded generator, so a failure can be replayed (fast-check is not a dependency). */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * n;
  };
}

describe('property: code lines without comments never read as silencing', () => {
  const pick = <T>(r: (n: number) => number, xs: readonly T[]) => xs[Math.floor(r(xs.length))];
  const tsParts = [
    'const a = "// @ts-ignore";',
    "const b = '/* eslint-disable */';",
    'const c = `// @ts-expect-error ${"# noqa"} /* biome-ignore */`;',
    'const d = `${`// @ts-nocheck`}`;',
    'const e = /\\/\\/ @ts-ignore/g;',
    'const f = x / y / z;',
    'if (a !== b && !c) go();',
    'const g = [1, 2] as const;',
    'const h = value as string;',
    'const i = { k: "it\'s" };',
    'const j = \'say "// eslint-disable-line"\';',
    'const k = a ? b : c;',
    'let l = 1; l++;',
    'const m = `a\n// @ts-ignore\nb`;',
  ];
  const pyParts = ['s = "# type: ignore"', "t = '# noqa'", 'u = """\n# pyright: ignore\n"""', "v = f'{w}  # noqa'", 'x = [1, 2]', 'if a != b and not c: pass', "y = r'\\'# noqa'"];

  it('silencingIn, for TypeScript and Python', () => {
    const r = random(20240611);
    for (let run = 0; run < 300; run++) {
      const [file, clean, parts] = run % 2 === 0 ? ['/ws/a.ts', TS_FILE, tsParts] : ['/ws/a.py', PY_FILE, pyParts];
      const lines = clean.split('\n');
      const n = 1 + Math.floor(r(4));
      for (let k = 0; k < n; k++) lines.splice(Math.floor(r(lines.length)), 0, pick(r, parts));
      const after = lines.join('\n');
      assert.equal(silencingIn(change(file, clean, after)), undefined, `run ${run}:\n${after}`);
      assert.equal(suppressionsIn(file, after).length, 0, after);
    }
  });

  it('silencesTarget, on any target line', () => {
    const r = random(7);
    for (let run = 0; run < 150; run++) {
      const lines = SRC.split('\n');
      for (let k = 0; k < 3; k++) lines.splice(Math.floor(r(lines.length)), 0, pick(r, tsParts));
      const after = lines.join('\n');
      const line = Math.floor(r(4));
      assert.equal(target(after, SRC, { start: line, end: line }), undefined, `run ${run}, line ${line}:\n${after}`);
    }
  });
});

describe('addsSuppressionComment: the compiler’s own scanner finds what a hand-written lexer can miss', () => {
  const base = 'export function f(input: string, of: number) {\n  const n: number = input;\n  return n + of;\n}\n';
  const hidden: Array<[string, string]> = [
    ['an upper-case directive', `// @TS-NOCHECK\n${base}`],
    ['after a regex holding a quote', base.replace('  const n', "  if (!input) /'/.test(input); // @ts-ignore\n  const n")],
    ['after a division by a name the lexer reads as a regex start', base.replace('  const n', '  void (of / 2); // @ts-ignore\n  const n')],
    ['in a block comment after code', base.replace('  const n', '  void 0; /* @ts-expect-error */\n  const n')],
  ];
  for (const [what, after] of hidden) {
    it(`flags a suppression ${what}`, () => assert.match(addsSuppressionComment(ts, '/ws/src/a.ts', base, after) ?? '', /silences the error/));
  }
  it('flags one after JSX text with an apostrophe (.tsx)', () => {
    const tsx = 'export const A = () => <p>hello</p>;\n';
    assert.ok(addsSuppressionComment(ts, '/ws/src/a.tsx', tsx, "export const A = () => <p>don't</p>; // @ts-ignore\n"));
  });
  it('does not flag a suppression already there, one in a string, or a comment that only names one', () => {
    const had = `// @ts-ignore\n${base}`;
    assert.equal(addsSuppressionComment(ts, '/ws/src/a.ts', had, had.replace('return n + of', 'return of + n')), undefined);
    assert.equal(addsSuppressionComment(ts, '/ws/src/a.ts', base, base.replace('return n + of', 'return n + of + "// @ts-ignore".length')), undefined);
    assert.equal(addsSuppressionComment(ts, '/ws/src/a.ts', base, base.replace('  return', '  // no @ts-ignore needed here\n  return')), undefined);
  });
});

describe('isTestSide: the files a change may not edit and still call its tests evidence', () => {
  it('takes test files and the folders tests keep their data and helpers in, by the path inside the workspace', () => {
    for (const p of ['test/invoice.test.ts', 'src/a.spec.tsx', 'src/__tests__/a.ts', 'test/helpers.ts', 'tests/data.json', 'src/__mocks__/fs.ts', 'spec/fixtures/cart.json', 'test_parse.py']) assert.ok(isTestSide(p), p);
    for (const p of ['src/invoice.ts', 'src/testing.ts', 'src/latest/a.ts', 'contest/a.ts']) assert.ok(!isTestSide(p), p);
  });
});
