/**
 * Runs gitleaks' rule set (converted at build time into gitleaksRules.ts) over a text and says
 * where the secrets are. Each rule's keywords are found first, in one pass for all rules; a rule's
 * pattern then runs only on the lines holding one of its keywords (or on the whole text, for the
 * few patterns that span lines). The secret is the rule's secret group, else its first non-empty
 * group, else the whole match; a rule's entropy floor and its allowlists and the global one apply
 * as gitleaks applies them. Compiled once, on first use; never asynchronous.
 */
import { entropy, SECRET_PATTERNS, type SecretPattern } from './secretPatterns';
import { couldBePassword, CREDENTIAL_SHAPES } from './credentialShapes';
import { GITLEAKS_ALLOWLIST, GITLEAKS_RULES } from './gitleaksRules';
import { KeywordIndex, type CharRuns } from './keywordIndex';

export interface GitleaksAllowlist {
  /** [source, flags] of converted patterns. */
  regexes?: ReadonlyArray<readonly [string, string]>;
  /** What the patterns test: the secret (default), the whole match or the match's line. */
  target?: 'match' | 'line';
  /** Lower-case words: a secret containing one is not a secret. */
  stopwords?: readonly string[];
  /** Every criterion must hold (else any one). */
  and?: boolean;
}

export interface GitleaksRule {
  id: string;
  re: string;
  flags: string;
  keywords: readonly string[];
  group?: number;
  entropy?: number;
  multiline?: boolean;
  /**
   * The pattern began with `[\w.-]{0,n}?`, left off: a match starts up to n word, dot or dash
   * characters before where the rest matched (the leftmost such start, as the lazy prefix gives).
   */
  prefix?: number;
  /** gitleaks runs the rule on files whose path matches this (RE2) only. */
  path?: string;
  allow?: readonly GitleaksAllowlist[];
}

/** A rule of our own, in gitleaks' form, with more say over its finds. */
export interface RuleSpec extends Omit<GitleaksRule, 'group'> {
  /** The secret's group, or groups of which the first that matched is the secret. */
  group?: number | readonly number[];
  /** false: the pattern is linear-time and runs on its whole range at once (a long key block stays whole). */
  bounded?: boolean;
  /** Whether a find is a secret; rules with one skip gitleaks' global allowlist (they filter their own). */
  accept?: (secret: string, match: RegExpExecArray) => boolean;
}

export interface SecretSpan {
  start: number;
  end: number;
  kind: string;
}

interface Allow {
  regexes: RegExp[];
  target: 'secret' | 'match' | 'line';
  stopwords: readonly string[];
  and: boolean;
}

interface Compiled {
  id: string;
  re: RegExp;
  group?: number | readonly number[];
  accept?: RuleSpec['accept'];
  entropy?: number;
  multiline: boolean;
  prefix: number;
  /** Run in bounded windows (patterns written for RE2); our own linear patterns run unbounded. */
  bounded: boolean;
  pathScoped: boolean;
  allow: Allow[];
}

function compileAllow(a: GitleaksAllowlist): Allow {
  return { regexes: (a.regexes ?? []).map(([s, f]) => new RegExp(s, f)), target: a.target ?? 'secret', stopwords: a.stopwords ?? [], and: a.and === true };
}

function allowed(a: Allow, secret: string, match: string, line: () => string): boolean {
  const target = a.target === 'secret' ? secret : a.target === 'match' ? match : line();
  const checks: boolean[] = [];
  if (a.regexes.length > 0) checks.push(a.regexes.some((r) => r.test(target)));
  if (a.stopwords.length > 0) {
    const lower = secret.toLowerCase();
    checks.push(a.stopwords.some((w) => lower.includes(w)));
  }
  return checks.length > 0 && (a.and ? checks.every(Boolean) : checks.some(Boolean));
}

/**
 * Keyword lines this close are run as one window: a rule whose keyword is on most lines ('key',
 * 's.') then runs a few times over long stretches, not once a line (each run has a fixed cost).
 * Lines between them are scanned too, as gitleaks scans the whole text: never fewer finds.
 */
const JOIN_GAP = 512;
const WORD_DOT_DASH = /[\w.-]/;
/** The longest stretch a converted pattern runs on at once, and how much two stretches share. */
const MAX_WINDOW = 16 * 1024;
const OVERLAP = 4 * 1024;

export class RuleSet {
  private readonly rules: Compiled[];
  private readonly byKeyword: number[][];
  private readonly keywords: KeywordIndex;
  private readonly unkeyed: number[];
  private readonly global: Allow;

  constructor(rules: readonly RuleSpec[], global: GitleaksAllowlist) {
    this.rules = rules.map((r) => ({
      id: r.id,
      // `d` gives each group's offsets: the secret is cut at its own place, not at its first look-alike.
      re: new RegExp(r.re, `${r.flags}gd`),
      group: r.group,
      accept: r.accept,
      entropy: r.entropy,
      multiline: r.multiline === true,
      pathScoped: r.path !== undefined,
      bounded: r.bounded !== false,
      prefix: r.prefix ?? 0,
      allow: (r.allow ?? []).map(compileAllow),
    }));
    const words = new Map<string, number[]>();
    rules.forEach((r, i) => {
      for (const k of r.keywords) words.set(k, [...(words.get(k) ?? []), i]);
    });
    this.byKeyword = [...words.values()];
    this.keywords = new KeywordIndex([...words.keys()]);
    this.unkeyed = rules.flatMap((r, i) => (r.keywords.length === 0 ? [i] : []));
    this.global = compileAllow(global);
  }

  /**
   * Where this rule set finds secrets in `text` (unsorted, possibly overlapping). `runs`: character
   * runs to report from the same pass over the text (see KeywordIndex.scan).
   */
  spans(text: string, runs?: CharRuns): SecretSpan[] {
    // Per rule: the line ranges to run on ([start, end) pairs, merged), or 'all' for the whole text.
    const where: Array<number[] | 'all' | undefined> = new Array(this.rules.length);
    for (const i of this.unkeyed) where[i] = 'all';
    // The line of the latest hit, found once for all the rules its keyword names.
    let lineStart = 0;
    let lineEnd = -1;
    this.keywords.scan(
      text,
      (keyword, at) => {
        if (at >= lineEnd) {
          lineStart = text.lastIndexOf('\n', at) + 1;
          const nl = text.indexOf('\n', at);
          lineEnd = nl < 0 ? text.length : nl;
        }
        for (const i of this.byKeyword[keyword]) {
          const ranges = where[i];
          if (ranges === 'all') continue;
          if (this.rules[i].multiline) {
            where[i] = 'all';
            continue;
          }
          if (!ranges) where[i] = [lineStart, lineEnd];
          else if (lineStart <= ranges[ranges.length - 1] + JOIN_GAP) ranges[ranges.length - 1] = lineEnd;
          else ranges.push(lineStart, lineEnd);
        }
      },
      runs,
    );
    const found: SecretSpan[] = [];
    where.forEach((ranges, i) => {
      if (ranges === 'all') this.runBounded(this.rules[i], text, 0, text.length, found);
      else if (ranges) for (let r = 0; r < ranges.length; r += 2) this.runBounded(this.rules[i], text, ranges[r], ranges[r + 1], found);
    });
    return found;
  }

  /**
   * Runs a rule on text[start, end) in windows of at most MAX_WINDOW characters, each overlapping
   * the next by OVERLAP (a find up to that long is whole in one of them; the redactor joins the
   * duplicates). gitleaks wrote its patterns for RE2, which is linear; under JavaScript's
   * backtracking a few (`curl …` with `.*?`) are quadratic in the length of what they run on.
   */
  private runBounded(rule: Compiled, text: string, start: number, end: number, found: SecretSpan[]): void {
    if (!rule.bounded || end - start <= MAX_WINDOW) {
      this.run(rule, text.slice(start, end), start, found);
      return;
    }
    for (let from = start; ; from += MAX_WINDOW - OVERLAP) {
      const to = Math.min(end, from + MAX_WINDOW);
      this.run(rule, text.slice(from, to), from, found);
      if (to === end) return;
    }
  }

  private run(rule: Compiled, window: string, offset: number, found: SecretSpan[]): void {
    const re = rule.re;
    re.lastIndex = 0;
    let floor = 0; // where the previous match ended: the next cannot start before it
    for (let m = re.exec(window); m; floor = re.lastIndex, m = re.exec(window)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      let from = m.index;
      while (from > floor && m.index - from < rule.prefix && WORD_DOT_DASH.test(window[from - 1])) from--;
      const matched = from === m.index ? m[0] : window.slice(from, m.index + m[0].length);
      const g = secretGroup(rule.group, m);
      const secret = m[g];
      const at = m.indices?.[g];
      if (!secret || !at) continue;
      if (rule.entropy !== undefined && entropy(secret) <= rule.entropy) continue;
      // Out of the files it was written for, a rule must not take a placeholder for a secret.
      if (rule.pathScoped && !couldBePassword(secret.replace(/^["']|["']$/g, ''))) continue;
      const line = () => {
        const s = window.lastIndexOf('\n', from) + 1;
        const e = window.indexOf('\n', m!.index + m![0].length);
        return window.slice(s, e < 0 ? window.length : e);
      };
      if (rule.accept ? !rule.accept(secret, m) : rule.allow.some((a) => allowed(a, secret, matched, line)) || allowed(this.global, secret, matched, line)) {
        // Not a secret as a whole, but one may sit inside it (`conn = "Server=db;Password=…;"`): look again from the value's start.
        if (rule.accept && at[0] > m.index) re.lastIndex = at[0];
        continue;
      }
      found.push({ start: offset + at[0], end: offset + at[1], kind: rule.id });
    }
  }
}

/** Rules gitleaks runs on some files only: here they run on all text, and name a find last. */
export const PATH_SCOPED_KINDS: ReadonlySet<string> = new Set(GITLEAKS_RULES.filter((r) => r.path !== undefined).map((r) => r.id));

/** gitleaks' way: the secret group if set, else the first group that matched, else the whole match. */
function secretGroup(group: Compiled['group'], m: RegExpExecArray): number {
  if (typeof group === 'number') return group;
  for (const k of group ?? m.keys()) if (k > 0 && m[k]) return k;
  return 0;
}

/** One of our own patterns as a rule: its own filter, never gitleaks' allowlists. */
function ownRule(p: SecretPattern): RuleSpec {
  const accept = p.accept;
  return { id: p.kind, re: p.re.source, flags: p.re.flags.replace('g', ''), keywords: p.keywords ?? [], group: p.group ?? 0, multiline: p.multiline, bounded: false, accept: accept ? (value) => accept(value) : () => true };
}

let shared: RuleSet | undefined;

/** Our patterns, our credential shapes and gitleaks' rules, compiled on first use. */
export function secretRuleSet(): RuleSet {
  shared ??= new RuleSet([...SECRET_PATTERNS.map(ownRule), ...CREDENTIAL_SHAPES, ...GITLEAKS_RULES], GITLEAKS_ALLOWLIST);
  return shared;
}
