/**
 * pytest's JUnit XML report (`--junitxml`, `junit_family=xunit1` so that each case names its file)
 * read into a TestReport: a case with `<failure>` or `<error>` failed (an error in a case named
 * for a module, not a test, is a file that could not be collected), one with `<skipped>` was
 * skipped, the rest passed. The failure is the message pytest gives (the exception, memory
 * addresses taken out: the same failure reads the same twice) and the traceback's places as
 * frames. A document that is not such a report is no report at all (undefined), never "nothing failed".
 */
import * as path from 'node:path';
import type { TestCase, TestReport } from './testReport';

const CASE = /<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g;
const ATTR = /([\w:-]+)="([^"]*)"/g;
const OUTCOME = /<(failure|error|skipped)\b([^>]*?)(?:\/>|>([\s\S]*?)<\/\1>)/;

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTR)) out[m[1]] = unescape(m[2]);
  return out;
}

function unescape(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (_, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec));
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    return { lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' }[name.toLowerCase()] ?? '';
  });
}

/** `dir`: the folder pytest ran in (its rootdir); `ranFiles`: the test files it was given (absolute). */
export function parseJunitXml(text: string, dir: string, ranFiles: readonly string[]): TestReport | undefined {
  if (!/<testsuites?\b/.test(text) || !/<\/testsuites?>\s*$/.test(text.trim() + '\n')) return undefined;
  const report: TestReport = { files: [...ranFiles], tests: [] };
  for (const m of text.matchAll(CASE)) {
    const a = attributes(m[1]);
    const outcome = m[2] ? OUTCOME.exec(m[2]) : null;
    const kind = outcome?.[1];
    // A collection error: the case is named for the module ("tests.test_cart"), with no class.
    const wholeFile = kind === 'error' && !a.classname;
    const fromModule = (dotted: string | undefined) => (dotted ? `${path.join(dir, ...dotted.split('.'))}.py` : '');
    const file = a.file
      ? path.resolve(dir, a.file)
      : wholeFile
        ? fromModule(a.name)
        : fromModule(
            a.classname
              ?.split('.')
              .filter((p) => !/^[A-Z]/.test(p))
              .join('.'),
          );
    const klass = a.classname?.split('.').filter((p) => /^[A-Z]/.test(p)) ?? [];
    const status: TestCase['status'] = kind === 'failure' || kind === 'error' ? 'failed' : kind === 'skipped' ? 'skipped' : 'passed';
    const name = wholeFile ? '(the file)' : [...klass, a.name ?? ''].join(' > ');
    const failure = status === 'failed' ? failureOf(attributes(outcome![2]).message ?? '', unescape(outcome![3] ?? ''), dir) : undefined;
    report.tests.push({ file, name, status, ...(failure !== undefined ? { failure } : {}), ...(wholeFile ? { wholeFile } : {}) });
    if (file && !report.files.includes(file)) report.files.push(file);
  }
  return report;
}

/** The message, then the traceback's places innermost first, as `at file:line:1` frames. */
function failureOf(message: string, body: string, dir: string): string {
  const said = (message || body.split('\n').find((l) => l.startsWith('E ')) || 'failed').replace(/\b0x[0-9a-f]+\b/gi, '0x…');
  const places = [...body.matchAll(/^(\S+\.py):(\d+):/gm)].map((p) => `    at ${path.resolve(dir, p[1])}:${p[2]}:1`).reverse();
  return [said, ...places].join('\n');
}
