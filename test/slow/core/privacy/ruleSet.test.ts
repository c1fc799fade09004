/**
 * gitleaks' rule set as converted and run here: the committed module is the conversion of the
 * pinned file, the RE2 → JavaScript conversion keeps each construct's meaning, the keyword pass
 * misses no keyword, and the shortcuts (keyword lines, a lazy prefix left off, bounded windows)
 * find what the full pattern over the whole text finds.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { BASE64_CHARS, base64Runs, MIN_RUN } from '../../../../src/core/privacy/encodedSecrets';
import { GITLEAKS_CONVERSION, GITLEAKS_RULES } from '../../../../src/core/privacy/gitleaksRules';
import { KeywordIndex } from '../../../../src/core/privacy/keywordIndex';
import { redactSecrets } from '../../../../src/core/privacy/redact';
import { RuleSet, type GitleaksRule } from '../../../../src/core/privacy/ruleSet';
import { seededRandom } from '../../../harness/seededRandom';
import { REPO_ROOT } from '../../../harness/testEnv';

type Re2ToJs = (pattern: string) => { source: string; flags: string };
const converter = async (): Promise<Re2ToJs> => ((await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'secret-rules', 're2ToJs.mjs')).href)) as { re2ToJs: Re2ToJs }).re2ToJs;

describe('the converted gitleaks rule set', () => {
  it('is what converting the pinned gitleaks.toml gives, and says what it dropped', () => {
    const out = execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'secret-rules.mjs'), '--check'], { encoding: 'utf8' });
    assert.match(out, /^up to date: 213 rules read, 212 converted, 1 dropped/);
    assert.equal(GITLEAKS_CONVERSION.read, 213);
    assert.equal(GITLEAKS_CONVERSION.converted, GITLEAKS_RULES.length);
    assert.deepEqual(
      GITLEAKS_CONVERSION.dropped.rules.map((d) => d.id),
      ['pkcs12-file'],
    );
    for (const id of ['digitalocean-pat', 'shopify-access-token', 'databricks-api-token', 'postman-api-token', 'vault-service-token', 'doppler-api-token', 'telegram-bot-api-token']) {
      assert.ok(
        GITLEAKS_RULES.some((r) => r.id === id),
        id,
      );
    }
  });

  it('compiles every rule, each with keywords to find it by', () => {
    for (const r of GITLEAKS_RULES) {
      assert.doesNotThrow(() => new RegExp(r.re, `${r.flags}gd`), r.id);
      assert.ok(r.keywords.length > 0 && r.keywords.every((k) => k === k.toLowerCase()), r.id);
    }
  });
});

describe('RE2 → JavaScript', () => {
  it('keeps case rules: the whole pattern, a part of it, and a part turned back', async () => {
    const re2ToJs = await converter();
    assert.deepEqual(re2ToJs('(?i)abc'), { source: 'abc', flags: 'i' });
    const part = re2ToJs('ab(?i)cd');
    const partRe = new RegExp(`^${part.source}$`, part.flags);
    assert.deepEqual(
      ['abcd', 'abCD', 'Abcd'].map((s) => partRe.test(s)),
      [true, true, false],
    );
    const back = re2ToJs('(?i)x(?-i:acc)y');
    const backRe = new RegExp(`^${back.source}$`, back.flags);
    assert.deepEqual(
      ['XaccY', 'xACCy'].map((s) => backRe.test(s)),
      [true, false],
    );
    const cls = re2ToJs('a(?i)[b-d]');
    assert.equal(new RegExp(`^${cls.source}$`).test('aC'), true);
  });

  it('keeps RE2 meanings where JavaScript differs: \\s, ., \\z, POSIX classes, \\S in a class', async () => {
    const re2ToJs = await converter();
    const test = (pattern: string, text: string) => {
      const r = re2ToJs(pattern);
      return new RegExp(r.source, r.flags).test(text);
    };
    assert.equal(test('^a\\sb$', 'a\vb'), false, 'RE2 \\s has no \\v');
    assert.equal(test('^a.b$', 'a\rb'), true, 'RE2 . takes \\r');
    assert.equal(test('^a.b$', 'a\nb'), false);
    assert.equal(test('ab\\z', 'ab\n'), false);
    assert.equal(test('^[[:alnum:]]+$', 'aZ9'), true);
    assert.equal(re2ToJs('[\\s\\S-]{3}').source, '[\\s\\S]{3}', 'one class, no alternation');
    assert.equal(test('^[\\S ]+$', 'a b'), true);
    assert.equal(test('^[\\S ]+$', 'a\tb'), false);
    assert.equal(test('^(?P<x>a)$', 'a'), true);
    assert.throws(() => re2ToJs('\\p{L}+'), /\\p/);
    assert.throws(() => re2ToJs('[^\\S]'), /negated/);
  });
});

describe('the keyword pass', () => {
  it('finds every occurrence of every keyword, whatever its case', () => {
    const random = seededRandom(7);
    const alphabet = 'abAB-_. ';
    const pick = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let round = 0; round < 50; round++) {
      const keywords = [...new Set(Array.from({ length: 6 }, () => pick(1 + Math.floor(random() * 4)).toLowerCase()))];
      const text = pick(400);
      const found: string[] = [];
      new KeywordIndex(keywords).scan(text, (k, at) => found.push(`${keywords[k]}@${at}`));
      const expected: string[] = [];
      const lower = text.toLowerCase();
      for (const [, k] of keywords.entries()) for (let i = lower.indexOf(k); i >= 0; i = lower.indexOf(k, i + 1)) expected.push(`${k}@${i + k.length - 1}`);
      assert.deepEqual(found.sort(), expected.sort(), JSON.stringify({ keywords, text }));
    }
  });
});

describe('the base64 candidates found in the keyword pass', () => {
  it('are the runs a pass of their own finds', () => {
    const random = seededRandom(11);
    const alphabet = 'aZ09+/_-= \n"é';
    for (let round = 0; round < 30; round++) {
      const text = Array.from({ length: 3000 }, () => (random() < 0.97 ? alphabet[Math.floor(random() * 8)] : alphabet[8 + Math.floor(random() * 5)])).join('');
      const runs: number[] = [];
      new KeywordIndex(['zz']).scan(text, () => undefined, { chars: BASE64_CHARS, min: MIN_RUN, found: (start, end) => runs.push(start, end) });
      assert.deepEqual(runs, base64Runs(text));
    }
  });
});

describe('the shortcuts find what the full pattern finds', () => {
  const bare = (r: GitleaksRule): GitleaksRule => ({ id: r.id, re: r.re, flags: r.flags, keywords: r.keywords, group: r.group, prefix: r.prefix, multiline: r.multiline });
  const spans = (rules: GitleaksRule[], text: string) =>
    new RuleSet(rules, {})
      .spans(text)
      .map((s) => `${s.kind}:${s.start}-${s.end}`)
      .sort();

  it('a lazy `[\\w.-]{0,50}?` left off matches where the whole pattern does', () => {
    const generic = GITLEAKS_RULES.find((r) => r.id === 'generic-api-key')!;
    assert.equal(generic.prefix, 50);
    const prefixed = { ...bare(generic), re: `[\\w.\\-]{0,50}?${generic.re}`, prefix: undefined };
    const texts = ['const my_service_api_key = "a8F3kLq92mZx7Wv4";\nprefix.access_token: "Qw9eR7tY5uI3oP1a"\n', `${'x'.repeat(60)}_secret=Zx8Cv7Bn6Ma5Sd4F\tauth-token => 'Lk9Jh8Gf7Ds6Aq5W' ; api_key = short\n`, 'a.b-c_token: "Mn7Bv6Cx5Za4Sd3F" token_token = "Po9Iu8Yt7Re6Wq5A"'];
    for (const text of texts) assert.deepEqual(spans([bare(generic)], text), spans([prefixed], text), text);
    assert.ok(spans([bare(generic)], texts[0]).length === 2);
  });

  it('keyword lines and bounded windows miss no secret, at a window edge or on a long line', () => {
    const token = `dop_v1_${'0123456789abcdef'.repeat(4)}`;
    for (const at of [0, 16 * 1024 - 30, 16 * 1024 - 3, 12 * 1024 + 10, 40_000]) {
      const line = `${'x '.repeat(at / 2)}"${token}" ${'y '.repeat(20_000)}`;
      const out = redactSecrets(`first line\n${line}\nlast`).text;
      assert.ok(!out.includes(token), `token at ${at}`);
    }
  });

  it('joins two finds that overlap into one, named by the more specific rule', () => {
    const r = redactSecrets(`export GITHUB_TOKEN=ghp_${'a1B2'.repeat(9)}`);
    assert.deepEqual(r.findings, [{ kind: 'github-token', line: 1 }]);
    assert.equal(r.text, 'export GITHUB_TOKEN=«redacted github-token»');
  });
});
