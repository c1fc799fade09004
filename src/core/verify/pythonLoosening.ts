/**
 * Loosening is not fixing, in Python: a fix that adds a `cast(...)`, an `Any`, a `getattr(x, "name")`
 * with a constant name, a `TYPE_CHECKING` branch, a module or class `__getattr__`, or a signature
 * of `*args, **kwargs`, a `@no_type_check`, an `_ = name` that only marks a name used, an `Any`
 * in a string annotation, or takes an annotation out, or rewrites a `.pyi` stub, passes pyright and
 * fixes nothing (found by the outside tests, issue 24).
 * Counted in the code of each changed `.py` file, comments and strings left out, before and
 * after: one that was there already and only moved is not new. Only for fixes: a refactor may
 * well write any of them.
 */
const PY_FILE = /\.pyi?$/i;
/** A string literal (group 1) or a comment. */
const STRING_OR_COMMENT = /("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|#[^\n]*/g;

const LOOSENERS: ReadonlyArray<{ what: string; re: RegExp }> = [
  { what: 'a cast (`cast(...)`)', re: /\bcast\s*\(/g },
  { what: 'an `Any`', re: /\bAny\b/g },
  { what: 'a `getattr` with a constant name', re: /\bgetattr\s*\(\s*[^,()]+,\s*"S"/g },
  { what: 'a `TYPE_CHECKING` branch', re: /\bTYPE_CHECKING\b/g },
  { what: 'a `__getattr__` that answers for any name', re: /\bdef\s+__getattr__\s*\(/g },
  { what: 'a `@no_type_check`', re: /\bno_type_check\b/g },
  { what: 'a cast under another name (`cast as …`)', re: /\bcast\s+as\s+\w+/g },
  { what: 'a branch that never runs (`if False:`)', re: /\b(?:if|elif|while)\s+(?:False|0|None)\s*:/g },
  // pyright skips a branch its configured version or platform rules out: code left there is unchecked, and may run.
  { what: 'a version or platform condition', re: /\bsys\.(?:version_info|platform)\b/g },
  { what: 'a stub that raises `NotImplementedError`', re: /\braise\s+NotImplementedError\b/g },
  { what: 'a `del` that only makes a name look used', re: /^[ \t]*del[ \t]+[A-Za-z_]\w*[ \t]*$/gm },
  { what: 'a redundant alias (`import x as x`) that marks a name re-exported', re: /\b(\w+)\s+as\s+\1\b/g },
  // `_ = setup_env`: a name made to look used (Python's `void x;`), which hides an unused-import or unused-variable problem.
  { what: 'an assignment to `_` that only marks a name used', re: /^[ \t]*_+[ \t]*=[ \t]*[A-Za-z_][\w.]*[ \t]*$/gm },
  { what: 'a signature that takes anything (`*args, **kwargs`)', re: /\(\s*(?:self\s*,\s*)?\*\w+\s*(?::[^,)]*)?,\s*\*\*\w+/g },
];

/** A short reason when the change adds one of LOOSENERS to a Python file, else undefined. */
export function loosensPython(filePath: string, before: string, after: string): string | undefined {
  if (!PY_FILE.test(filePath) || before === after) return undefined;
  const [was, now] = [codeOf(before), codeOf(after)];
  const name = filePath.split(/[\\/]/).pop() ?? filePath;
  // A stub is what the checker believes of the code: rewriting it changes no behaviour, only what is allowed.
  if (/\.pyi$/i.test(filePath) && was !== now) return `changes the type stub ${name}: describing the code differently hides the error; fix the cause`;
  for (const { what, re } of LOOSENERS) {
    const count = (text: string) => text.match(re)?.length ?? 0;
    if (count(now) > count(was)) return `adds ${what} to ${name}: loosening a type hides the error; fix the cause`;
  }
  // A string annotation is still an annotation (`items: "list[Any]"`).
  const anyInStrings = (text: string) => stringsOf(text).match(/\bAny\b/g)?.length ?? 0;
  if (anyInStrings(after) > anyInStrings(before)) return `adds an \`Any\` (in a string annotation) to ${name}: loosening a type hides the error; fix the cause`;
  // An annotation taken away leaves an implicit Any (`def total(items) -> int` for `def total(items: list[Item]) -> int`).
  if (annotations(now) < annotations(was)) return `takes a type annotation out of ${name}: an unannotated name is unchecked; fix the cause`;
  return undefined;
}

/** The string literals of the text, joined (comments left out). */
function stringsOf(text: string): string {
  // Only strings that read as a type (`"list[typing.Any]"`, `'Any | None'`), not prose ("Any item will do").
  const typeLike = (s: string) =>
    !/\s/.test(
      s
        .replace(/^[rbuf]*(?:"""|'''|"|')|(?:"""|'''|"|')$/gi, '')
        .replace(/,\s+/g, ',')
        .replace(/\s*\|\s*/g, '|'),
    );
  return [...text.matchAll(STRING_OR_COMMENT)].flatMap((m) => (m[1] && typeLike(m[1]) ? [m[1]] : [])).join('\n');
}

/** How many annotations the functions' signatures hold: each annotated parameter and each `->`. */
function annotations(code: string): number {
  let n = 0;
  for (const m of code.matchAll(/\bdef\s+\w+\s*\(([^)]*)\)\s*(->)?/g)) n += (m[2] ? 1 : 0) + m[1].split(',').filter((p) => /^\s*\*{0,2}\w+\s*:/.test(p)).length;
  return n;
}

/** The text with comments taken out and every string made `"S"` (a `getattr(x, "n")` keeps the mark of a constant name). */
function codeOf(text: string): string {
  return text.replace(STRING_OR_COMMENT, (_m, str: string | undefined) => (str ? '"S"' : ''));
}
