/**
 * The outside test's wrong Python answers that pyright and pytest both let through (issue 24):
 * each one is a silencing now, and what only moved, or sits in a comment or a string, is not.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { touchesUnused } from '../../../../src/core/verify/looseTypes';
import { loosensPython } from '../../../../src/core/verify/pythonLoosening';
import { silencingCheck } from '../../../../src/core/verify/silencingCheck';
import { silencingIn } from '../../../../src/core/verify/silencing';

const BASE = 'from typing import Optional\n\n\ndef first_word(s: Optional[str]) -> str:\n    return s.split()[0]\n';
const F = '/ws/pkg/text.py';

describe('loosensPython', () => {
  it('finds each loosening the outside test got through as tested', () => {
    const cases: Array<[string, RegExp]> = [
      [BASE.replace('return s.split()[0]', 'return cast(str, s).split()[0]'), /a cast/],
      [BASE.replace('return s.split()[0]', 'return typing.cast(typing.Any, s).split()[0]'), /a cast/],
      [BASE.replace('s: Optional[str]', 's: Any'), /an `Any`/],
      [BASE.replace('return s.split()[0]', 'return getattr(s, "split")()[0]'), /getattr/],
      [BASE.replace('    return', '    if TYPE_CHECKING:\n        assert s is not None\n    return'), /TYPE_CHECKING/],
      [BASE.replace('def first_word(s: Optional[str]) -> str:', 'def first_word(*args, **kwargs) -> str:\n    s = args[0]'), /takes anything/],
      [`${BASE}\n\ndef __getattr__(name: str):\n    return first_word\n`, /__getattr__/],
      // The second outside test (issue 24): a decorator that turns the checker off, a string annotation, an annotation taken out, a name marked used.
      [BASE.replace('def first_word', '@no_type_check\ndef first_word'), /@no_type_check/],
      [BASE.replace('s: Optional[str]', 's: "typing.Any"'), /an `Any` \(in a string annotation\)/],
      [BASE.replace('s: Optional[str]', 's'), /takes a type annotation out/],
      [BASE.replace(') -> str:', '):'), /takes a type annotation out/],
      [`import setup_env\n${BASE}\n_ = setup_env\n`, /marks a name used/],
      // The second round: a cast by another name, a branch pyright skips, a stub, a `del`, a redundant alias.
      [BASE.replace('from typing import Optional', 'from typing import Optional, cast as as_type'), /a cast under another name/],
      [BASE.replace('    return s.split()[0]', '    if False:\n        return s.split()[0]\n    return ""'), /a branch that never runs/],
      [BASE.replace('    return s.split()[0]', '    if sys.version_info >= (3, 11):\n        return s.split()[0]\n    return ""'), /a version or platform condition/],
      [BASE.replace('    return s.split()[0]', '    raise NotImplementedError'), /raises `NotImplementedError`/],
      [BASE.replace('    return s.split()[0]', '    result = s\n    del result\n    return ""'), /a `del`/],
      [`import json as json\n${BASE}`, /a redundant alias/],
    ];
    assert.match(loosensPython('/ws/pkg/shapes.pyi', 'def area(r: int) -> int: ...\n', 'def area(r: int | str) -> int: ...\n') ?? '', /changes the type stub shapes\.pyi/);
    for (const [after, reason] of cases) assert.match(loosensPython(F, BASE, after) ?? '', reason, after);
  });

  it('does not count what was there and moved, nor a comment, a string or a dynamic getattr', () => {
    const had = 'from typing import Any, cast\n\nx: Any = cast(int, 1)\n';
    assert.equal(loosensPython(F, had, `\n${had}`), undefined);
    assert.equal(loosensPython(F, BASE, BASE.replace('return s.split()[0]', 'return s.split()[0] if s else ""  # no cast(…) or Any here')), undefined);
    assert.equal(loosensPython(F, BASE, BASE.replace('return s.split()[0]', 'return "use cast(Any, s)" if s is None else s.split()[0]')), undefined);
    assert.equal(loosensPython(F, BASE, BASE.replace('return s.split()[0]', 'return getattr(s, attr)()[0] if s else ""')), undefined);
    assert.equal(loosensPython('/ws/a.ts', 'x', 'cast(Any, x)'), undefined);
    assert.equal(loosensPython(F, BASE, BASE.replace('-> str:\n', '-> str:\n    "Any word of it, the first."\n')), undefined, 'prose in a string is no annotation');
    assert.equal(loosensPython(F, BASE, BASE.replace('s: Optional[str]', 's: "Optional[str]"')), undefined, 'an annotation written as a string is still one');
  });

  it('is a silencing in the composed check only for a fix (a target to prove), never for a refactor', async () => {
    const after = BASE.replace('return s.split()[0]', 'return cast(str, s).split()[0]');
    const target = { message: 'x', severity: 'error' as const, code: 'reportOptionalMemberAccess', source: 'Pyright', range: { startLine: 4, startCharacter: 13, endLine: 4, endCharacter: 18 } };
    const fix = await silencingCheck.verify({ filePath: F, before: BASE, after, targets: [target] } as never);
    assert.equal(fix.status, 'silences');
    const refactor = await silencingCheck.verify({ filePath: F, before: BASE, after, targets: [] } as never);
    assert.equal(refactor.status, 'unchecked');
  });
});

describe('touchesUnused', () => {
  it('finds `void x;` and a bare `x;` added to make an unused variable look used, not code that does something', () => {
    const js = 'export function total(items) {\n  const count = items.length;\n  return items.reduce((a, b) => a + b, 0);\n}\n';
    assert.match(touchesUnused('/ws/src/calc.mjs', js, js.replace('  return', '  void count;\n  return')) ?? '', /void x;/);
    assert.match(touchesUnused('/ws/src/calc.ts', js, js.replace('  return', '  count;\n  return')) ?? '', /only names a variable/);
    assert.equal(touchesUnused('/ws/src/calc.ts', js, js.replace('  const count = items.length;\n', '')), undefined);
    assert.equal(touchesUnused('/ws/src/calc.ts', js, js.replace('  return', '  if (count === 0) {\n    return 0;\n  }\n  return')), undefined);
    assert.equal(touchesUnused('/ws/src/calc.ts', js, js.replace('  return', '  for (;;) {\n    break;\n  }\n  return')), undefined);
  });
});

describe('suppression comments and settings the outside test got through', () => {
  it('a pyright comment that lowers a rule or the mode, an ESLint inline rule config with options', () => {
    assert.match(silencingIn([{ filePath: F, before: BASE, after: `# pyright: reportOptionalMemberAccess=information\n${BASE}` }]) ?? '', /pyright/);
    assert.match(silencingIn([{ filePath: F, before: BASE, after: `# pyright: standard\n${BASE}` }]) ?? '', /pyright/);
    assert.equal(silencingIn([{ filePath: F, before: BASE, after: `# pyright: strict\n${BASE}` }]), undefined, 'strict tightens');
    const js = 'const count = 1;\nexport const x = 2;\n';
    assert.match(silencingIn([{ filePath: '/ws/src/calc.mjs', before: js, after: `/* eslint @typescript-eslint/no-unused-vars: ["error", {"varsIgnorePattern":"count"}] */\n${js}` }]) ?? '', /eslint/);
  });

  it('a suppression taken off one line and put on the error’s is new; one moved with its code is not', () => {
    const py = 'import os  # type: ignore\n\n\ndef first_word(s):\n    return s.split()[0]\n';
    assert.match(silencingIn([{ filePath: F, before: py, after: 'import os\n\n\ndef first_word(s):\n    return s.split()[0]  # type: ignore\n' }]) ?? '', /type: ignore/);
    const ts = 'const a = 1;\n// @ts-expect-error legacy\nconst b: string = 2;\nexport const c = a;\n';
    assert.match(silencingIn([{ filePath: '/ws/a.ts', before: ts, after: 'const a = 1;\nconst b: string = 2;\n// @ts-expect-error legacy\nexport const c: number = "x";\n' }]) ?? '', /ts-expect-error/);
    assert.equal(silencingIn([{ filePath: '/ws/a.ts', before: ts, after: `export const d = 4;\n${ts}` }]), undefined, 'moved down a line with its code');
    assert.equal(silencingIn([{ filePath: '/ws/a.ts', before: ts, after: 'export const c = 1;\n// @ts-expect-error legacy\nconst b: string = 2;\nconst a = 1;\n' }]), undefined, 'the block moved with its statement');
  });

  it("pytest's settings in setup.cfg, tox.ini and a bare [tool] table of pyproject.toml", () => {
    const cfg = '[metadata]\nname = pkg\n';
    assert.match(silencingIn([{ filePath: '/ws/setup.cfg', before: cfg, after: `${cfg}\n[tool:pytest]\naddopts = --deselect tests/test_text.py::test_first_word\n` }]) ?? '', /pytest/);
    assert.match(silencingIn([{ filePath: '/ws/tox.ini', before: '[tox]\n', after: '[tox]\n\n[pytest]\naddopts = -k "not first_word"\n' }]) ?? '', /pytest/);
    const toml = '[project]\nname = "pkg"\n';
    assert.match(silencingIn([{ filePath: '/ws/pyproject.toml', before: toml, after: `${toml}\n[tool]\npytest.ini_options.addopts = "--deselect x"\n` }]) ?? '', /pyproject\.toml/);
    assert.equal(silencingIn([{ filePath: '/ws/pyproject.toml', before: toml, after: toml.replace('"pkg"', '"pkg2"') }]), undefined, "the project's own table is not a checker's");
  });
});
