// Converts the vendored gitleaks rule set (scripts/secret-rules/gitleaks.toml, pinned in
// scripts/secret-rules/SOURCE.json) into src/core/privacy/gitleaksRules.ts, the module the
// redactor loads. Go RE2 patterns become JavaScript ones (re2ToJs.mjs); a rule or allowlist pattern
// that cannot be converted exactly is dropped and listed. `--check` writes nothing and fails when
// the committed module differs from what the conversion gives (a unit test runs it).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { re2ToJs } from './secret-rules/re2ToJs.mjs';

const here = (p) => fileURLToPath(import.meta.resolve(p));
const TOML = here('./secret-rules/gitleaks.toml');
const SOURCE = here('./secret-rules/SOURCE.json');
const OUT = here('../src/core/privacy/gitleaksRules.ts');

/** The subset of TOML gitleaks' config uses: tables, arrays of tables, strings, numbers, arrays. */
export function parseToml(text) {
  const root = {};
  let table = root;
  let i = 0;
  const fail = (what) => {
    throw new Error(`gitleaks.toml, line ${text.slice(0, i).split('\n').length}: ${what}`);
  };
  const skipBlank = (newlines) => {
    for (;;) {
      while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r' || (newlines && text[i] === '\n'))) i++;
      if (text[i] === '#') while (i < text.length && text[i] !== '\n') i++;
      else return;
    }
  };
  const value = () => {
    skipBlank(false);
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      if (end < 0) fail('an unterminated literal string');
      const s = text.slice(i + 3, end);
      i = end + 3;
      return s.startsWith('\n') ? s.slice(1) : s;
    }
    if (text[i] === "'") {
      const end = text.indexOf("'", i + 1);
      const s = text.slice(i + 1, end);
      i = end + 1;
      return s;
    }
    if (text[i] === '"') {
      let s = '';
      i++;
      while (text[i] !== '"') {
        if (i >= text.length || text[i] === '\n') fail('an unterminated string');
        if (text[i] === '\\') {
          const e = text[i + 1];
          const simple = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' }[e];
          if (simple !== undefined) {
            s += simple;
            i += 2;
          } else if (e === 'u') {
            s += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
          } else fail(`the escape \\${e}`);
        } else s += text[i++];
      }
      i++;
      return s;
    }
    if (text[i] === '[') {
      i++;
      const items = [];
      for (;;) {
        skipBlank(true);
        if (text[i] === ']') {
          i++;
          return items;
        }
        items.push(value());
        skipBlank(true);
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail('a malformed array');
      }
    }
    const m = /^(-?\d+(\.\d+)?|true|false)/.exec(text.slice(i, i + 40));
    if (!m) fail('an unknown value');
    i += m[0].length;
    return m[0] === 'true' ? true : m[0] === 'false' ? false : Number(m[0]);
  };
  for (;;) {
    skipBlank(true);
    if (i >= text.length) return root;
    const header = /^\[(\[)?([A-Za-z0-9_.]+)\]?\]/.exec(text.slice(i, i + 200));
    if (header) {
      i += header[0].length;
      const path = header[2].split('.');
      let at = root;
      for (const key of path.slice(0, -1)) {
        const v = at[key];
        at = Array.isArray(v) ? v[v.length - 1] : (at[key] ??= {});
      }
      const last = path[path.length - 1];
      if (header[1]) {
        at[last] ??= [];
        table = {};
        at[last].push(table);
      } else table = at[last] ??= {};
      continue;
    }
    const key = /^([A-Za-z0-9_-]+)\s*=/.exec(text.slice(i, i + 100));
    if (!key) fail('expected a key');
    i += key[0].length;
    if (key[1] in table) fail(`the key ${key[1]} twice`);
    table[key[1]] = value();
  }
}

// gitleaks' usual separators and terminators: a space or line break at most before or after the
// secret, never inside it. A rule with nothing else that can match a line break is run one line
// at a time (where its keywords are), the rest over the whole text.
const SEPARATORS = [`[\\s'"]{0,3}`, `[\\x60'"\\s=]{0,5}`, `(?:[\\x60'"\\s;]|\\\\[nr]|$)`, `(?:[\\x60'"\\s;]|\\\\[nrNR]|$)`, `(?:['|\\"|\\n|\\r|\\s|\\x60|;]|$)`];

export function spansLines(re2) {
  let rest = re2;
  for (const s of SEPARATORS) rest = rest.split(s).join('');
  return /\\[sSnr]|\(\?[a-z]*s|\[\^/.test(rest);
}

function convertAllowlist(list, ruleId, dropped) {
  if (list.paths && list.condition === 'AND') {
    // Text carries no path here: an AND list that needs one never applies (we redact more, never less).
    dropped.allowlists.push({ rule: ruleId, reason: 'an AND allowlist needs a file path' });
    return undefined;
  }
  const regexes = [];
  for (const r of list.regexes ?? []) {
    try {
      regexes.push(re2ToJs(r));
    } catch (err) {
      dropped.allowlists.push({ rule: ruleId, reason: `allowlist pattern not converted: ${err.message}` });
    }
  }
  const out = {};
  if (regexes.length > 0) out.regexes = regexes.map((r) => [r.source, r.flags]);
  if (list.regexTarget && list.regexTarget !== 'secret') out.target = list.regexTarget;
  if (list.stopwords?.length) out.stopwords = list.stopwords.map((s) => s.toLowerCase());
  if (list.condition === 'AND') out.and = true;
  return out.regexes || out.stopwords ? out : undefined;
}

export function convert(tomlText) {
  const config = parseToml(tomlText);
  const dropped = { rules: [], allowlists: [] };
  const rules = [];
  for (const rule of config.rules ?? []) {
    if (!rule.regex) {
      dropped.rules.push({ id: rule.id, reason: 'a file-name rule without a pattern (the deny list judges files by name)' });
      continue;
    }
    // `[\w.-]{0,50}?` before a keyword: left off the pattern and found by the redactor walking back
    // from the keyword (the same match, exactly; a lazy prefix tried at every character is slow).
    const lead = /^(\(\?i\))?\[\\w\.-\]\{0,50\}\?/.exec(rule.regex);
    let re;
    try {
      re = re2ToJs(lead ? (lead[1] ?? '') + rule.regex.slice(lead[0].length) : rule.regex);
    } catch (err) {
      dropped.rules.push({ id: rule.id, reason: err.message });
      continue;
    }
    const out = { id: rule.id, re: re.source, flags: re.flags, keywords: (rule.keywords ?? []).map((k) => k.toLowerCase()) };
    if (lead) out.prefix = 50;
    if (rule.secretGroup) out.group = rule.secretGroup;
    // A rule gitleaks runs on some files only; text here has no path, so it runs everywhere, ranked last.
    if (rule.path) out.path = rule.path;
    if (rule.entropy) out.entropy = rule.entropy;
    if (spansLines(rule.regex)) out.multiline = true;
    const allow = (rule.allowlists ?? []).map((a) => convertAllowlist(a, rule.id, dropped)).filter(Boolean);
    if (allow.length > 0) out.allow = allow;
    rules.push(out);
  }
  const global = convertAllowlist({ regexes: config.allowlist?.regexes, stopwords: config.allowlist?.stopwords }, '(global)', dropped) ?? {};
  return { title: config.title, read: (config.rules ?? []).length, rules, global, dropped };
}

function render(result, source) {
  const lines = [
    '// Generated by scripts/secret-rules.mjs from scripts/secret-rules/gitleaks.toml: do not edit, run',
    '// `node scripts/secret-rules.mjs` after updating the vendored file (see scripts/secret-rules/README.md).',
    `// Source: gitleaks ${source.gitleaks} config/gitleaks.toml (commit ${source.commit}), MIT License,`,
    '// Copyright (c) 2019 Zachary Rice. Go RE2 patterns converted to JavaScript; dropped ones listed below.',
    "import type { GitleaksAllowlist, GitleaksRule } from './ruleSet';",
    '',
    `export const GITLEAKS_VERSION = ${JSON.stringify(source.gitleaks)};`,
    '',
    '/** What the conversion kept and dropped: rules read, converted, and why each dropped one was. */',
    `export const GITLEAKS_CONVERSION = ${JSON.stringify({ read: result.read, converted: result.rules.length, dropped: result.dropped })};`,
    '',
    '/** The global allowlist: a secret it matches is not one. */',
    `export const GITLEAKS_ALLOWLIST: GitleaksAllowlist = ${JSON.stringify(result.global)};`,
    '',
    'export const GITLEAKS_RULES: readonly GitleaksRule[] = [',
    ...result.rules.map((r) => `  ${JSON.stringify(r)},`),
    '];',
    '',
  ];
  return lines.join('\n');
}

function main() {
  const source = JSON.parse(readFileSync(SOURCE, 'utf8'));
  const toml = readFileSync(TOML);
  const sha256 = createHash('sha256').update(toml).digest('hex');
  if (sha256 !== source.sha256) throw new Error(`gitleaks.toml is not the pinned file (sha256 ${sha256}, SOURCE.json says ${source.sha256})`);
  const result = convert(toml.toString('utf8'));
  const text = render(result, source);
  const summary = `${result.read} rules read, ${result.rules.length} converted, ${result.dropped.rules.length} dropped; ${result.dropped.allowlists.length} allowlist entries dropped`;
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OUT, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current !== text) {
      console.error(`src/core/privacy/gitleaksRules.ts is out of date: run node scripts/secret-rules.mjs (${summary})`);
      process.exit(1);
    }
    console.log(`up to date: ${summary}`);
    return;
  }
  writeFileSync(OUT, text);
  console.log(summary);
  for (const d of result.dropped.rules) console.log(`  dropped rule ${d.id}: ${d.reason}`);
  for (const d of result.dropped.allowlists) console.log(`  dropped allowlist of ${d.rule}: ${d.reason}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
