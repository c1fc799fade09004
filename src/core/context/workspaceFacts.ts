/**
 * Stable workspace facts: what the project is, its dependencies and compiler settings, and a map
 * of its source files' top-level declarations. They go right after the system prompt and stay
 * byte-identical from one task to the next (rebuilt at most hourly), so providers bill them at the
 * cached rate — and they tell the model what exists without sending whole files.
 */
import * as path from 'node:path';
import type { FileRead } from './WorkspaceFiles';

/** The facts' size in characters (about a thousand tokens). */
const FACTS_BUDGET_CHARS = 4000;
/** Source files read for the declaration map, at most. */
const MAX_SCANNED_FILES = 1500;
const MAX_DECLARATION_CHARS = 90;
/** Files read, and paths checked against the privacy rules, between two yields to the event loop. */
const YIELD_EVERY_FILES = 50;
const YIELD_EVERY_CHECKS = 1000;
const yieldToEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface FactsSource {
  files: readonly string[];
  read(relativePath: string): FileRead;
  /** Whether the file may be sent to this backend (the privacy gate's say). */
  allowed(relativePath: string): boolean;
  /** Text as it may leave the machine (secrets redacted). */
  outbound(text: string): string;
}

const SOURCE = /\.(tsx?|mts|cts|jsx?|mjs|cjs|py|go|rs|java|kt|cs|rb|php|swift)$/;
const TEST_PATH = /(^|\/)(test|tests|__tests__|spec|fixtures?)\/|\.(test|spec)\.[a-z]+$/;
const LANGUAGE: Record<string, string> = {
  ts: 'TypeScript',
  tsx: 'TypeScript',
  mts: 'TypeScript',
  cts: 'TypeScript',
  js: 'JavaScript',
  jsx: 'JavaScript',
  mjs: 'JavaScript',
  cjs: 'JavaScript',
  py: 'Python',
  go: 'Go',
  rs: 'Rust',
  java: 'Java',
  kt: 'Kotlin',
  cs: 'C#',
  rb: 'Ruby',
  php: 'PHP',
  swift: 'Swift',
};

const DECLARATION: Array<[RegExp, RegExp]> = [
  [/\.(tsx?|mts|cts|jsx?|mjs|cjs)$/, /^export\s+(default\s+)?(declare\s+)?(abstract\s+)?(async\s+)?(function\*?|class|interface|type|enum|const|let|namespace)\s+[A-Za-z_$]/],
  [/\.py$/, /^(async\s+)?(def|class)\s+[A-Za-z_]/],
  [/\.go$/, /^(func|type)\s+(\([^)]*\)\s*)?[A-Z]/],
  [/\.rs$/, /^pub\s+(async\s+)?(fn|struct|enum|trait|type|const)\s/],
  [/\.(java|kt|cs|swift|php|rb)$/, /^\s{0,4}(public\s+|export\s+)?(abstract\s+|final\s+|static\s+)*(class|interface|enum|record|struct|protocol|object|def|func|fun|module)\s+[A-Za-z_]/],
];

/** Where a declaration's body or initializer starts: the first `{`, `=` or trailing `:` outside brackets. */
function bodyStart(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(' || c === '[' || c === '<') depth++;
    else if ((c === ')' || c === ']' || (c === '>' && s[i - 1] !== '=')) && depth > 0) depth--;
    else if (depth === 0 && (c === '{' || (c === '=' && s[i + 1] !== '>') || (c === ':' && s.slice(i + 1).trim() === ''))) return i;
  }
  return s.length;
}

/** A declaration line cut to its signature: no body, no initializer. */
function signature(line: string): string {
  let s = line
    .trim()
    .replace(/^export\s+/, '')
    .replace(/^declare\s+/, '');
  s = s.slice(0, bodyStart(s)).trim();
  s = s.replace(/\s+/g, ' ');
  return s.length > MAX_DECLARATION_CHARS ? `${s.slice(0, MAX_DECLARATION_CHARS - 1)}…` : s;
}

export function declarationsOf(relativePath: string, text: string): string[] {
  const rule = DECLARATION.find(([file]) => file.test(relativePath))?.[1];
  if (!rule) return [];
  return text
    .split(/\r?\n/)
    .filter((l) => rule.test(l))
    .map(signature);
}

function packageFacts(source: FactsSource): string[] {
  if (!source.files.includes('package.json') || !source.allowed('package.json')) return [];
  const read = source.read('package.json');
  if (!read.ok) return [];
  try {
    const pkg = JSON.parse(read.text) as Record<string, unknown>;
    const names = (v: unknown) => (v && typeof v === 'object' ? Object.keys(v).sort().join(', ') : '');
    const lines = [`Package: ${String(pkg.name ?? '(unnamed)')}${pkg.type === 'module' ? ' (ES modules)' : ''}`];
    if (names(pkg.dependencies)) lines.push(`Dependencies: ${names(pkg.dependencies)}`);
    if (names(pkg.devDependencies)) lines.push(`Dev dependencies: ${names(pkg.devDependencies)}`);
    return lines;
  } catch {
    return [];
  }
}

function tsconfigFacts(source: FactsSource): string[] {
  if (!source.files.includes('tsconfig.json') || !source.allowed('tsconfig.json')) return [];
  const read = source.read('tsconfig.json');
  if (!read.ok) return [];
  const option = (name: string) => new RegExp(`"${name}"\\s*:\\s*("[^"]*"|true|false)`).exec(read.text)?.[1]?.replace(/"/g, '');
  const options = ['strict', 'target', 'module', 'moduleResolution', 'jsx'].flatMap((o) => (option(o) ? [`${o} ${option(o)}`] : []));
  return options.length > 0 ? [`TypeScript compiler options: ${options.join(', ')}`] : [];
}

/**
 * The facts text for the files `source` lists. Deterministic: the same files give the same bytes.
 * Files with the most declarations are mapped first, listed by path, until the budget is spent.
 */
export async function buildWorkspaceFacts(source: FactsSource, budgetChars = FACTS_BUDGET_CHARS): Promise<string> {
  const sources: string[] = [];
  for (const [i, f] of source.files.entries()) {
    if (i > 0 && i % YIELD_EVERY_CHECKS === 0) await yieldToEvents();
    if (SOURCE.test(f) && !TEST_PATH.test(f) && !f.endsWith('.d.ts') && source.allowed(f)) sources.push(f);
  }
  const counts = new Map<string, number>();
  for (const f of sources) {
    const lang = LANGUAGE[path.extname(f).slice(1)];
    if (lang) counts.set(lang, (counts.get(lang) ?? 0) + 1);
  }
  const languages = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([l, n]) => `${l} (${n} files)`);
  const header = ['Workspace facts (the same for every task in this workspace):', ...packageFacts(source), ...tsconfigFacts(source), ...(languages.length > 0 ? [`Source languages: ${languages.join(', ')}`] : [])];
  const mapped: Array<{ file: string; entry: string; weight: number }> = [];
  const scanned = [...sources].sort().slice(0, MAX_SCANNED_FILES);
  for (const [i, f] of scanned.entries()) {
    // Reads are small and synchronous; yielding now and then keeps the server answering meanwhile.
    if (i > 0 && i % YIELD_EVERY_FILES === 0) await yieldToEvents();
    const read = source.read(f);
    const decls = read.ok ? declarationsOf(f, read.text) : [];
    if (decls.length > 0) mapped.push({ file: f, entry: `${f}: ${source.outbound(decls.join('; '))}`, weight: decls.length });
  }
  mapped.sort((a, b) => b.weight - a.weight || a.file.localeCompare(b.file));
  let used = header.join('\n').length + 60;
  const chosen: typeof mapped = [];
  for (const m of mapped) {
    if (used + m.entry.length + 1 > budgetChars) continue;
    chosen.push(m);
    used += m.entry.length + 1;
  }
  const map = chosen.sort((a, b) => a.file.localeCompare(b.file)).map((m) => m.entry);
  return [...header, ...(map.length > 0 ? ['Top-level declarations by file (signatures only):', ...map] : [])].join('\n').slice(0, budgetChars);
}
