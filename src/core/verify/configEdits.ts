/**
 * Whether an edit changes what a compiler or linter checks (tsconfig, ESLint, mypy, Ruff, Pyright…):
 * an error that goes away because the checker was told to look away is not fixed. Must never miss
 * an edit to the settings that decide what is an error, nor flag a config file's layout or the
 * parts of a shared file that are not a checker's (package.json's scripts, pyproject's [project]).
 */
import { parse, type ParseError } from 'jsonc-parser';

type Changed = (before: string, after: string) => string | undefined;

/** Lines without trailing spaces or a trailing blank: a reflowed file is the same file. */
const normalize = (text: string) =>
  text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .trimEnd();

const whole: Changed = (before, after) => (normalize(before) === normalize(after) ? undefined : '');

/** JSON with comments compared by value, so comments and layout do not count; as text when it does not parse. */
const wholeJson: Changed = (before, after) => {
  const [a, b] = [jsonValue(before), jsonValue(after)];
  if (a === undefined || b === undefined) return whole(before, after);
  return JSON.stringify(a.value) === JSON.stringify(b.value) ? undefined : '';
};

function jsonValue(text: string): { value: unknown } | undefined {
  if (text.trim() === '') return { value: undefined };
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true });
  return errors.length === 0 ? { value } : undefined;
}

/** The named top-level fields of a JSON object; a file that does not parse is not judged here. */
const jsonFields =
  (...fields: string[]): Changed =>
  (before, after) => {
    const [a, b] = [jsonValue(before), jsonValue(after)];
    if (a === undefined || b === undefined) return undefined;
    const field = (v: unknown, f: string) => JSON.stringify(v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[f] : undefined);
    const changed = fields.find((f) => field(a.value, f) !== field(b.value, f));
    return changed === undefined ? undefined : `\`${changed}\` in `;
  };

/**
 * The text of the sections whose name `wanted` accepts, by name. `header` reads a section's name
 * from a line, or undefined for a line that starts none.
 */
function sections(text: string, header: (line: string) => string | undefined, wanted: (name: string) => boolean): Map<string, string> {
  const found = new Map<string, string>();
  let current: string | undefined;
  for (const line of normalize(text).split('\n')) {
    const name = header(line);
    if (name !== undefined) current = wanted(name) ? name : undefined;
    if (current !== undefined) found.set(current, `${found.get(current) ?? ''}${line.trim()}\n`);
  }
  return found;
}

const sectionsChanged =
  (header: (line: string) => string | undefined, wanted: (name: string) => boolean): Changed =>
  (before, after) => {
    const [a, b] = [sections(before, header, wanted), sections(after, header, wanted)];
    const changed = [...new Set([...a.keys(), ...b.keys()])].find((name) => normalize(a.get(name) ?? '') !== normalize(b.get(name) ?? ''));
    return changed === undefined ? undefined : `[${changed}] in `;
  };

/** `[mypy-pkg.*]` at the start of a line (an INI value's continuation is indented). */
const iniHeader = (line: string) => /^\[([^\]]+)\]\s*(?:[#;].*)?$/.exec(line)?.[1].trim();
/** `[tool.ruff.lint]` or `[[tool.mypy.overrides]]`: a dotted key, so an array's `["a"]` line is not a header. */
const tomlHeader = (line: string) => {
  const m = /^\s*\[\[?\s*([A-Za-z0-9_-]+(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"))*)\s*\]\]?\s*(?:#.*)?$/.exec(line);
  return m?.[1].replace(/\s+/g, '');
};
const under =
  (...prefixes: string[]) =>
  (name: string) =>
    prefixes.some((p) => name === p || name.startsWith(`${p}.`) || name.startsWith(`${p}-`));

/** The checker settings files, by name, with what in them counts and whose they are. */
const CONFIGS: ReadonlyArray<{ name: RegExp; changed: Changed; whose: string }> = [
  { name: /^[tj]sconfig(?:\..*)?\.json$/i, changed: wholeJson, whose: "the TypeScript compiler's settings" },
  { name: /^eslint\.config\.[cm]?[jt]s$|^\.eslintrc(?:\.(?:js|cjs|json|ya?ml))?$|^\.eslintignore$/i, changed: whole, whose: "ESLint's settings" },
  { name: /^biome\.jsonc?$/i, changed: wholeJson, whose: "Biome's settings" },
  { name: /^package\.json$/i, changed: jsonFields('types', 'typings', 'eslintConfig', 'eslintIgnore', 'jest', 'mocha', 'vitest', 'ava'), whose: 'the type, lint or test settings' },
  // The tests are part of the check: telling the runner to look elsewhere is looking away too.
  { name: /^(?:vitest|vite)(?:\.[\w-]+)*\.config\.[cm]?[jt]s$|^vitest\.(?:workspace|projects)\.[cm]?[jt]s$/i, changed: whole, whose: "the test runner's settings" },
  { name: /^jest\.config(?:\.[\w-]+)*\.(?:[cm]?[jt]s|json)$|^\.mocharc(?:\.(?:js|cjs|json|jsonc|ya?ml))?$/i, changed: whole, whose: "the test runner's settings" },
  { name: /^(?:pytest\.ini|conftest\.py)$/i, changed: whole, whose: "pytest's settings" },
  { name: /^pyrightconfig\.json$/i, changed: wholeJson, whose: "Pyright's settings" },
  { name: /^\.?mypy\.ini$/i, changed: whole, whose: "mypy's settings" },
  { name: /^\.flake8$/i, changed: whole, whose: "flake8's settings" },
  { name: /^\.?ruff\.toml$/i, changed: whole, whose: "Ruff's settings" },
  { name: /^\.?pylintrc$/i, changed: whole, whose: "pylint's settings" },
  { name: /^(?:setup\.cfg|tox\.ini)$/i, changed: sectionsChanged(iniHeader, under('mypy', 'flake8', 'tool:pytest', 'pytest')), whose: 'the mypy, flake8 or pytest settings' },
  {
    name: /^pyproject\.toml$/i,
    // A bare `[tool]` table holds dotted keys for any tool (`pytest.ini_options.addopts = …`).
    changed: sectionsChanged(tomlHeader, (n) => n === 'tool' || under('tool.pyright', 'tool.basedpyright', 'tool.mypy', 'tool.ruff', 'tool.pylint', 'tool.pytest')(n)),
    whose: 'the type checker, linter or test settings',
  },
];

/** A reason when the edit to `filePath` changes a checker's settings, else undefined. */
export function configEditIn(filePath: string, before: string, after: string): string | undefined {
  const name = filePath.split(/[\\/]/).pop() ?? filePath;
  for (const config of CONFIGS) {
    if (!config.name.test(name)) continue;
    const part = config.changed(before, after);
    if (part !== undefined) return `changes ${part}${name} (${config.whose}): that makes the checker look away, it does not fix the cause`;
  }
  return undefined;
}
