// Converts a Go RE2 regular expression (gitleaks' dialect) into an equivalent JavaScript one, or
// says why it cannot. Exact for ASCII text: RE2's (?i) folds a few non-ASCII letters too (the
// Kelvin sign as k, ſ as s), which the converted pattern does not. Never guesses: a construct it
// does not know is an error, and the caller drops that rule and counts it.

const SPACE = '\\t\\n\\f\\r '; // RE2's \s: [\t\n\f\r ] (JavaScript's \s also takes \v and Unicode spaces)
const POSIX = {
  alnum: 'A-Za-z0-9',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: SPACE + '\\v',
  upper: 'A-Z',
  word: 'A-Za-z0-9_',
  xdigit: 'A-Fa-f0-9',
};

class Unsupported extends Error {}

const isLetter = (c) => /^[A-Za-z]$/.test(c);
const swapCase = (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
const classChar = (c) => (/[\\\]^-]/.test(c) ? `\\${c}` : c);
const hex = (code) => `\\u${code.toString(16).padStart(4, '0')}`;

/** Reads the class starting at `src[i] === '['`; returns its JavaScript text and the index after it. */
function readClass(src, i, fold) {
  let j = i + 1;
  let negated = false;
  if (src[j] === '^') {
    negated = true;
    j++;
  }
  let nonSpace = false;
  const items = []; // JavaScript class items
  const singles = []; // literal characters and range ends, for case folding: [from, to]
  let first = true;
  const literal = () => {
    // One character of the class as [JavaScript text, code point or undefined for a set like \d].
    const c = src[j];
    if (c === '\\') {
      const e = src[j + 1];
      j += 2;
      if (e === undefined) throw new Unsupported('a class ends in a backslash');
      if ('dwDW'.includes(e)) return [`\\${e}`, undefined];
      if (e === 's') return [SPACE, undefined];
      if (e === 'S') {
        // Outside a negated class, [..\S..] is "not RE2-space, or one of the rest": written as an alternation below.
        if (negated) throw new Unsupported('\\S inside a negated class');
        nonSpace = true;
        return ['', undefined];
      }
      if (e === 'p' || e === 'P' || e === 'C') throw new Unsupported(`\\${e} inside a class`);
      if (e === 'x') return hexEscape();
      if ('ntrfv'.includes(e)) return [`\\${e}`, { n: 10, t: 9, r: 13, f: 12, v: 11 }[e]];
      if (e === 'a') return ['\\x07', 7];
      if (/[0-9A-Za-z]/.test(e)) throw new Unsupported(`\\${e} inside a class`);
      return [classChar(e), e.charCodeAt(0)];
    }
    j++;
    return [classChar(c), c.charCodeAt(0)];
  };
  const hexEscape = () => {
    if (src[j] === '{') {
      const end = src.indexOf('}', j);
      const code = parseInt(src.slice(j + 1, end), 16);
      j = end + 1;
      if (!(code <= 0xffff)) throw new Unsupported('a code point above U+FFFF');
      return [hex(code), code];
    }
    const code = parseInt(src.slice(j, j + 2), 16);
    j += 2;
    return [hex(code), code];
  };
  for (;;) {
    if (j >= src.length) throw new Unsupported('an unterminated class');
    if (src[j] === ']' && !first) {
      j++;
      break;
    }
    first = false;
    if (src.startsWith('[:', j)) {
      const end = src.indexOf(':]', j + 2);
      const name = end > 0 ? src.slice(j + 2, end) : '';
      if (!(name in POSIX)) throw new Unsupported(`the POSIX class [:${name}:]`);
      items.push(POSIX[name]);
      if (name === 'lower' || name === 'upper') singles.push([name === 'lower' ? 97 : 65, name === 'lower' ? 122 : 90]);
      j = end + 2;
      continue;
    }
    const [text, code] = literal();
    if (src[j] === '-' && src[j + 1] !== ']' && j + 1 < src.length && code !== undefined) {
      j++;
      const [toText, toCode] = literal();
      if (toCode === undefined || toCode < code) throw new Unsupported('a class range that is not a range');
      items.push(`${text}-${toText}`);
      singles.push([code, toCode]);
    } else {
      items.push(text);
      if (code !== undefined) singles.push([code, code]);
    }
  }
  if (fold) {
    // (?i) without the whole pattern being case-insensitive: add the other case of every letter.
    const extra = new Set();
    for (const [from, to] of singles) {
      for (let c = from; c <= to && c < 128; c++) {
        const ch = String.fromCharCode(c);
        if (isLetter(ch)) extra.add(swapCase(ch));
      }
    }
    for (const ch of [...extra].sort()) items.push(ch);
  }
  const body = items.join('');
  if (nonSpace) {
    // [..\S..] is every character but the RE2 spaces the rest leaves out: one class, no alternation
    // (an alternation of overlapping classes under a repeat backtracks without end in JavaScript).
    const other = body ? new RegExp(`[${body}]`) : undefined;
    const left = ['\t', '\n', '\f', '\r', ' '].filter((c) => !other?.test(c));
    const names = { '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', ' ': ' ' };
    return { text: left.length === 0 ? '[\\s\\S]' : `[^${left.map((c) => names[c]).join('')}]`, end: j };
  }
  return { text: `[${negated ? '^' : ''}${body}]`, end: j };
}

/**
 * Go RE2 → JavaScript: `{ source, flags }`, or throws (the message says what could not be
 * converted). The result uses no `u` or `m` flag; `i` only when the whole pattern is
 * case-insensitive (a leading `(?i)` and no `-i` anywhere), else each letter is spelt in both cases.
 */
export function re2ToJs(pattern) {
  let src = pattern;
  let flags = '';
  const leading = /^\(\?i\)/.exec(src);
  if (leading && !/\(\?[a-zA-Z]*-[a-zA-Z]*i/.test(src)) {
    flags = 'i';
    src = src.slice(leading[0].length);
  }
  const globalI = flags === 'i';
  // Each group's flags: i (fold), s (dot matches \n), m (^ $ at lines). Restored at the group's end.
  const stack = [];
  let state = { i: false, s: false, m: false };
  let out = '';
  let i = 0;
  const applyFlags = (spec, into) => {
    let on = true;
    const next = { ...into };
    for (const f of spec) {
      if (f === '-') on = false;
      else if ('ism'.includes(f)) next[f] = on;
      else throw new Unsupported(`the flag ${f}`);
    }
    if (globalI) next.i = false;
    return next;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      const e = src[i + 1];
      i += 2;
      if (e === undefined) throw new Unsupported('a trailing backslash');
      if ('dDwWbB'.includes(e)) out += `\\${e}`;
      else if (e === 's') out += `[${SPACE}]`;
      else if (e === 'S') out += `[^${SPACE}]`;
      else if (e === 'z') out += '(?![\\s\\S])';
      else if (e === 'A') out += '(?<![\\s\\S])';
      else if ('ntrfv'.includes(e)) out += `\\${e}`;
      else if (e === 'a') out += '\\x07';
      else if (e === 'x') {
        if (src[i] === '{') {
          const end = src.indexOf('}', i);
          const code = parseInt(src.slice(i + 1, end), 16);
          if (!(code <= 0xffff)) throw new Unsupported('a code point above U+FFFF');
          out += hex(code);
          i = end + 1;
        } else {
          out += hex(parseInt(src.slice(i, i + 2), 16));
          i += 2;
        }
      } else if (e === 'Q') {
        const end = src.indexOf('\\E', i);
        const text = end < 0 ? src.slice(i) : src.slice(i, end);
        for (const ch of text) out += state.i && isLetter(ch) ? `[${ch}${swapCase(ch)}]` : ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 2;
      } else if (/[0-9A-Za-z]/.test(e)) throw new Unsupported(`the escape \\${e}`);
      else out += `\\${e}`;
      continue;
    }
    if (c === '[') {
      const cls = readClass(src, i, state.i);
      out += cls.text;
      i = cls.end;
      continue;
    }
    if (c === '(') {
      if (src[i + 1] !== '?') {
        stack.push(state);
        out += '(';
        i++;
        continue;
      }
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(src.slice(i));
      if (named) {
        stack.push(state);
        out += `(?<${named[1]}>`;
        i += named[0].length;
        continue;
      }
      const flagged = /^\(\?([a-zA-Z-]*)(:|\))/.exec(src.slice(i));
      if (!flagged) throw new Unsupported(`the group ${src.slice(i, i + 4)}`);
      if (flagged[2] === ')') {
        state = applyFlags(flagged[1], state); // until the end of the enclosing group
      } else {
        stack.push(state);
        state = applyFlags(flagged[1], state);
        out += '(?:';
      }
      i += flagged[0].length;
      continue;
    }
    if (c === ')') {
      if (stack.length === 0) throw new Unsupported('an unbalanced )');
      state = stack.pop();
      out += ')';
      i++;
      continue;
    }
    if (c === '.') out += state.s ? '[\\s\\S]' : '[^\\n]';
    else if (c === '^') out += state.m ? '(?:^|(?<=\\n))' : '^';
    else if (c === '$') out += state.m ? '(?=\\n|$)' : '$';
    else if (c === '{') {
      const q = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i));
      if (q) {
        if (Number(q[1]) > 1000 || Number(q[3] || 0) > 1000) throw new Unsupported('a repeat count above 1000');
        out += q[0];
        i += q[0].length;
        continue;
      }
      out += '\\{';
    } else if (c === '}') out += '\\}';
    else if (c === '/') out += '\\/';
    else if (state.i && isLetter(c)) out += `[${c}${swapCase(c)}]`;
    else out += c;
    i++;
  }
  if (stack.length > 0) throw new Unsupported('an unbalanced (');
  new RegExp(out, flags); // throws on anything JavaScript would not take
  return { source: out, flags };
}

export { Unsupported };
