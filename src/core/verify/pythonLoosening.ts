/**
 * Loosening is not fixing, in Python: a fix that adds a `cast(...)`, an `Any`, a `getattr(x, "name")`
 * with a constant name, a `TYPE_CHECKING` branch, a module or class `__getattr__`, or a signature
 * of `*args, **kwargs`, or rewrites a `.pyi` stub, passes pyright and fixes nothing (found by the outside test, issue 24).
 * Counted in the code of each changed `.py` file, comments and strings left out, before and
 * after: one that was there already and only moved is not new. Only for fixes: a refactor may
 * well write any of them.
 */
const PY_FILE = /\.pyi?$/i;

const LOOSENERS: ReadonlyArray<{ what: string; re: RegExp }> = [
  { what: 'a cast (`cast(...)`)', re: /\bcast\s*\(/g },
  { what: 'an `Any`', re: /\bAny\b/g },
  { what: 'a `getattr` with a constant name', re: /\bgetattr\s*\(\s*[^,()]+,\s*"S"/g },
  { what: 'a `TYPE_CHECKING` branch', re: /\bTYPE_CHECKING\b/g },
  { what: 'a `__getattr__` that answers for any name', re: /\bdef\s+__getattr__\s*\(/g },
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
  return undefined;
}

/** The text with comments taken out and every string made `"S"` (a `getattr(x, "n")` keeps the mark of a constant name). */
function codeOf(text: string): string {
  return text.replace(/("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|#[^\n]*/g, (_m, str: string | undefined) => (str ? '"S"' : ''));
}
