/**
 * The error-suppression comments in a file (`// @ts-ignore`, `/* eslint-disable *\/`,
 * `# type: ignore`, `# noqa`…), found by a light lexer per language family so that only real
 * comments count: a string, template literal or regex that spells "@ts-ignore" is no suppression.
 * Must never miss a directive the checker would honour, nor count a comment that only mentions
 * one ("remove the @ts-ignore below") or one that silences no error (`istanbul ignore`).
 */

/** One suppression: its zero-based line and its comment text, trimmed with single spaces. */
export interface Suppression {
  line: number;
  text: string;
}

interface Comment {
  line: number;
  text: string;
}

type Lexer = (text: string, html: boolean) => Comment[];

/** After the comment marker (`//`, `/*`, `*`, `<!--`): the directives tools honour at the start. */
const C_LIKE = [
  // TypeScript reads its directives whatever their case (`// @TS-NOCHECK` works).
  /^@ts-(?:ignore|expect-error|nocheck)\b/i,
  /^(?:eslint|oxlint|stylelint)-disable(?:-line|-next-line)?\b/,
  // Any inline rule config (`/* eslint no-unused-vars: ["error", { varsIgnorePattern: "count" }] */`): turned off, or told to let this one through.
  /^eslint\s+["']?[@\w/-]+["']?\s*:/,
  /^tslint:disable\b/,
  /^biome-ignore(?:-all|-start)?\b/,
  /^deno-lint-ignore(?:-file)?\b/,
];
/** A block comment declaring a name ESLint's no-undef then lets through, though nothing defines it (`/* global missing *\/`); ESLint reads no line comment so. */
const GLOBAL_DECLARATION = /^\s*\/\*\s*(?:global|globals)\s/;
/** Where such a declaration silences anything: JavaScript (TypeScript checks names itself, and typescript-eslint turns no-undef off). */
const JS_FILE = /\.(?:[cm]?jsx?)$/i;
/** Anywhere in a `#` comment (`x = f()  # noqa: E501  # type: ignore[arg-type]`). */
const HASH = [
  /#\s*type:\s*ignore(?![\w-])/,
  /#\s*noqa\b/i,
  /#\s*(?:ruff|flake8)\s*:\s*noqa\b/i,
  // Any pyright comment but `strict`: `ignore`, a mode (`basic`, `standard`, `off`), a rule set to any level (`reportX=information`).
  /#\s*pyright\s*:\s*(?!strict\b)\S/,
  /#\s*mypy\s*:\s*(?:ignore-errors|disable-error-code)\b/,
  /#\s*pylint\s*:\s*disable(?:-next)?\s*=/,
  /#\s*pyre-(?:ignore|fixme)\b/,
  /#\s*pytype\s*:\s*disable\s*=/,
  // isort's own directives, which Ruff's I001 honours whatever --ignore-noqa says (`# isort: skip_file`, `# isort:off`).
  /#\s*isort\s*:\s*(?:skip|skip_file|off)\b/i,
];

const FAMILIES: ReadonlyArray<{ ext: RegExp; lex: Lexer; html: boolean; directives: readonly RegExp[] }> = [
  { ext: /\.(?:[cm]?[jt]sx?)$/i, lex: lexCLike, html: false, directives: C_LIKE },
  { ext: /\.(?:vue|svelte|astro|html?)$/i, lex: lexCLike, html: true, directives: C_LIKE },
  { ext: /\.(?:css|scss|less)$/i, lex: lexCLike, html: false, directives: C_LIKE },
  { ext: /\.pyi?$/i, lex: lexHash, html: false, directives: HASH },
];

/** The suppression comments of a file, by its name's extension; none for a language it does not know. */
export function suppressionsIn(filePath: string, text: string): Suppression[] {
  const family = FAMILIES.find((f) => f.ext.test(filePath));
  if (!family) return [];
  return family.lex(text, family.html).flatMap((c) =>
    // ESLint reads a block comment whole: `/*global\n  missing */` declares as one line would.
    JS_FILE.test(filePath) && GLOBAL_DECLARATION.test(c.text.replace(/\s+/g, ' '))
      ? [{ line: c.line, text: c.text.replace(/\s+/g, ' ').trim() }]
      : c.text.split('\n').flatMap((line, i) => {
          const body = line.replace(/^\s*(?:\/\/+|\/\*+|\*+|<!--)?\s*/, '');
          const found = family.directives.some((d) => d.test(family.lex === lexHash ? line : body));
          return found ? [{ line: c.line + i, text: line.replace(/\s+/g, ' ').trim() }] : [];
        }),
  );
}

const REGEX_AFTER_WORD = /(?:^|[^\w$.])(?:return|typeof|instanceof|in|of|new|delete|void|throw|case|do|else|yield|await)$/;

/**
 * The comments of JavaScript/TypeScript-like text (also CSS): `//`, `/* *\/` and, in
 * HTML-like files, `<!-- -->`; skipping '…' and "…" strings (ended by a newline too, so an
 * apostrophe in JSX or HTML text spoils one line at most), template literals with their `${}`
 * and regex literals.
 */
function lexCLike(text: string, html: boolean): Comment[] {
  const comments: Comment[] = [];
  const templates: number[] = []; // brace depth in each open `${`
  let line = 0;
  let depth = 0;
  let last = ''; // the last code character that was not a space, to tell a regex from a division
  let i = 0;
  const take = (end: number) => {
    for (let j = i; j < end; j++) if (text[j] === '\n') line++;
    i = end;
  };
  const upTo = (needle: string, from: number) => {
    const at = text.indexOf(needle, from);
    return at < 0 ? text.length : at + needle.length;
  };
  const template = () => {
    // From just after a backtick or a `}` closing `${`: to the closing backtick or the next `${`.
    for (let j = i; j < text.length; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === '`') return take(j + 1);
      else if (text[j] === '$' && text[j + 1] === '{') {
        templates.push(depth);
        depth = 0;
        return take(j + 2);
      }
    }
    take(text.length);
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      comments.push({ line, text: text.slice(i, end < 0 ? text.length : end) });
      take(end < 0 ? text.length : end);
    } else if (c === '/' && next === '*') {
      const end = upTo('*/', i + 2);
      comments.push({ line, text: text.slice(i, end) });
      take(end);
    } else if (html && text.startsWith('<!--', i)) {
      const end = upTo('-->', i + 4);
      comments.push({ line, text: text.slice(i, end) });
      take(end);
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      take(Math.min(j + 1, text.length));
      last = c;
    } else if (c === '`') {
      i++;
      template();
      last = c;
    } else if (c === '/' && (last === '' || /[(,=:[!&|?{};+\-*%<>~^]/.test(last) || REGEX_AFTER_WORD.test(text.slice(Math.max(0, i - 12), i).trimEnd()))) {
      let j = i + 1;
      let inClass = false;
      for (; j < text.length && text[j] !== '\n'; j++) {
        if (text[j] === '\\') j++;
        else if (text[j] === '[') inClass = true;
        else if (text[j] === ']') inClass = false;
        else if (text[j] === '/' && !inClass) break;
      }
      take(Math.min(j + 1, text.length));
      last = ')';
    } else {
      if (c === '{') depth++;
      else if (c === '}' && depth === 0 && templates.length > 0) {
        depth = templates.pop()!;
        i++;
        template();
        last = '`';
        continue;
      } else if (c === '}') depth--;
      if (!/\s/.test(c)) last = c;
      take(i + 1);
    }
  }
  return comments;
}

/** The `#` comments of Python-like text, skipping '…', "…", '''…''' and """…""" strings (any prefix). */
function lexHash(text: string): Comment[] {
  const comments: Comment[] = [];
  let line = 0;
  let i = 0;
  const take = (end: number) => {
    for (let j = i; j < end; j++) if (text[j] === '\n') line++;
    i = end;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      const end = text.indexOf('\n', i);
      comments.push({ line, text: text.slice(i, end < 0 ? text.length : end) });
      take(end < 0 ? text.length : end);
    } else if (c === "'" || c === '"') {
      const quote = text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      let j = i + quote.length;
      while (j < text.length && !text.startsWith(quote, j) && (quote.length === 3 || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      take(Math.min(j + quote.length, text.length));
    } else take(i + 1);
  }
  return comments;
}

/** Whether a C-like comment's text (with its `//` or `/*`) is a suppression directive. */
export function isCLikeSuppression(comment: string): boolean {
  return comment.split('\n').some((line) => {
    const body = line.replace(/^\s*(?:\/\/+|\/\*+|\*+|<!--)?\s*/, '');
    return C_LIKE.some((d) => d.test(body));
  });
}
