/**
 * Reads node --test's TAP report (`--test-reporter=tap`): nested subtests by indentation, each
 * `ok`/`not ok` line with its YAML block (type, location, error, stack). Suites are not tests; a
 * suite or file that fails on its own (a hook, a file that did not load) is a whole-file failure.
 * A text with no TAP in it is no report (undefined), never an empty pass.
 */
import type { TestCase, TestReport } from './testReport';

const RESULT = /^( *)(not )?ok \d+(?: - (.*?))?(?: # (SKIP|TODO)\b.*)?$/i;
const SUBTEST = /^( *)# Subtest: (.*)$/;

interface Block {
  type?: string;
  location?: string;
  error?: string;
  stack?: string;
  failureType?: string;
}

export function parseNodeTap(text: string, ranFiles: readonly string[]): TestReport | undefined {
  const lines = text.split(/\r?\n/);
  if (!lines.some((l) => /^TAP version \d+/.test(l))) return undefined;
  const report: TestReport = { files: [...ranFiles], tests: [] };
  const titles: string[] = [];
  // Children come before their parent, and only some lines say where they are: a test without a
  // location is in the file of the nearest enclosing one that has it.
  const unplaced: Array<{ test: TestCase; level: number }> = [];
  for (let i = 0; i < lines.length; i++) {
    const sub = SUBTEST.exec(lines[i]);
    if (sub) {
      titles[sub[1].length / 4] = unescapeTitle(sub[2]);
      continue;
    }
    const m = RESULT.exec(lines[i]);
    if (!m) continue;
    const level = m[1].length / 4;
    const { block, end } = readBlock(lines, i + 1, m[1].length + 2);
    i = end - 1;
    const title = unescapeTitle(m[3] ?? titles[level] ?? '');
    const ownFile = fileOf(block.location) ?? (level === 0 && ranFiles.includes(title) ? title : undefined);
    if (ownFile) {
      for (const u of unplaced) if (u.level > level && !u.test.file) u.test.file = ownFile;
      for (let k = unplaced.length - 1; k >= 0; k--) if (unplaced[k].level > level) unplaced.splice(k, 1);
    }
    const failed = Boolean(m[2]) && !m[4];
    const name = [...titles.slice(0, level), title].join(' > ');
    const failure = [block.error, block.stack].filter(Boolean).join('\n');
    let test: TestCase | undefined;
    // One that failed only because tests in it failed is not counted: they are.
    if (block.failureType === 'subtestsFailed') test = undefined;
    else if (block.type === 'suite' || (level === 0 && ranFiles.includes(title))) {
      // A suite (or a whole file) that failed for itself: a hook threw, the file did not load.
      if (failed) test = { file: ownFile ?? '', name, status: 'failed', failure, wholeFile: true };
    } else {
      const status: TestCase['status'] = m[4] ? 'skipped' : failed ? 'failed' : 'passed';
      test = { file: ownFile ?? '', name, status, ...(failed ? { failure } : {}) };
    }
    if (test) report.tests.push(test);
    if (test && !ownFile) unplaced.push({ test, level });
  }
  if (ranFiles.length === 1) for (const t of report.tests) t.file ||= ranFiles[0];
  return report;
}

/** The YAML block (`---` … `...`) at `indent` starting at line `from`, if there is one, and the line after it. */
function readBlock(lines: string[], from: number, indent: number): { block: Block; end: number } {
  const pad = ' '.repeat(indent);
  if (lines[from] !== `${pad}---`) return { block: {}, end: from };
  const block: Record<string, string> = {};
  let i = from + 1;
  for (; i < lines.length && lines[i] !== `${pad}...`; i++) {
    const kv = /^(\w+): ?(.*)$/.exec(lines[i].slice(indent));
    if (!kv || !lines[i].startsWith(pad) || lines[i][indent] === ' ') continue;
    let value = kv[2];
    if (/^[|>][-+]?$/.test(value)) {
      // A block scalar: the lines indented under the key.
      const body: string[] = [];
      while (i + 1 < lines.length && (lines[i + 1].startsWith(`${pad}  `) || lines[i + 1].trim() === '') && lines[i + 1] !== `${pad}...`) body.push(lines[++i].slice(indent + 2));
      value = body.join('\n').trimEnd();
    } else if (/^'.*'$/.test(value)) {
      value = value.slice(1, -1).replace(/''/g, "'");
    } else if (/^".*"$/.test(value)) {
      value = value.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    }
    block[kv[1]] = value;
  }
  return { block, end: i < lines.length ? i + 1 : i };
}

/** '/a/b.test.js:4:86' → '/a/b.test.js'. */
function fileOf(location: string | undefined): string | undefined {
  return location?.replace(/:\d+:\d+$/, '') || undefined;
}

/** TAP escapes `#` and `\` in titles. */
function unescapeTitle(title: string): string {
  return title.replace(/\\#/g, '#').replace(/\\\\/g, '\\');
}
