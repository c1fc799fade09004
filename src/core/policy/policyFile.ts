/**
 * Reads one policy file: JSON with comments (as VS Code edits it), validated against the schema;
 * every problem with its file, line and column; every rule with the line it was set on, so a
 * refusal can point at it.
 */
import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { policySchema, type Policy } from './policySchema';

export interface PolicySource {
  /** A path or URL, as shown to people. */
  file: string;
  text: string;
}

export interface ParsedPolicy {
  file: string;
  /** undefined when the file could not be used at all. */
  policy: Policy | undefined;
  /** "file:line:col: what is wrong". */
  problems: string[];
  /** One-based line and column of a rule, by its dotted path ("budget.dailyCapUsd"). */
  lineOf(rule: string): { line: number; col: number } | undefined;
}

/** What a rule's name looks like ("dailyCapUsd", "$schema"): letters only, so no token or key passes for one. */
const RULE_NAME = /^\$?[A-Za-z]{1,40}$/;

function lineCol(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

export function parsePolicy({ file, text }: PolicySource): ParsedPolicy {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const at = (offset: number) => {
    const { line, col } = lineCol(text, offset);
    return `${file}:${line}:${col}`;
  };
  const nodeAt = (path: Array<string | number>): Node | undefined => (tree ? findNodeAtLocation(tree, path) : undefined);
  const lineOf = (rule: string) => {
    const node = nodeAt(rule.split('.'));
    return node ? lineCol(text, node.parent?.type === 'property' ? node.parent.offset : node.offset) : undefined;
  };
  if (errors.length > 0 || !tree) {
    const first = errors[0];
    return { file, policy: undefined, problems: [`${at(first?.offset ?? 0)}: not valid JSON (${first ? printParseErrorCode(first.error) : 'empty'})`], lineOf };
  }
  // JSON lets a key appear twice and the last one win: a reviewer would read one value while another applies.
  const twice = duplicateKeys(tree).map(({ path, offset }) => `${at(offset)}: ${path.split('.').every((p) => RULE_NAME.test(p) || /^\d+$/.test(p)) ? `"${path}"` : 'a key'} is set twice`);
  if (twice.length > 0) return { file, policy: undefined, problems: twice, lineOf };
  let raw: unknown;
  try {
    raw = JSON.parse(JSON.stringify(evaluate(tree)));
  } catch {
    return { file, policy: undefined, problems: [`${at(0)}: not valid JSON`], lineOf };
  }
  const parsed = policySchema.safeParse(raw);
  if (parsed.success) return { file, policy: parsed.data, problems: [], lineOf };
  const problems = parsed.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), ...keys.slice(0, 1)];
    const node = nodeAt(path as Array<string | number>);
    const where = node ? at(node.parent?.type === 'property' && keys.length > 0 ? node.parent.offset : node.offset) : at(0);
    // A key is named back only when it looks like a rule's name: a policy file that is a link to some other JSON (a credentials file) must not put its keys in a log.
    const name = path.every((p) => typeof p === 'number' || RULE_NAME.test(p)) ? path.join('.') || 'the policy' : 'a key';
    return issue.code === 'unrecognized_keys' ? `${where}: ${name === 'a key' ? 'a key' : `"${name}"`} is not a policy rule` : `${where}: ${name}: ${issue.message}`;
  });
  return { file, policy: undefined, problems, lineOf };
}

/** Every key that appears a second time in the same object, by its dotted path and the offset of that second property. */
function duplicateKeys(node: Node, path: string[] = []): Array<{ path: string; offset: number }> {
  const found: Array<{ path: string; offset: number }> = [];
  const seen = new Set<string>();
  for (const child of node.children ?? []) {
    if (node.type === 'object') {
      const key = String(child.children?.[0]?.value);
      if (seen.has(key)) found.push({ path: [...path, key].join('.'), offset: child.offset });
      seen.add(key);
      if (child.children?.[1]) found.push(...duplicateKeys(child.children[1], [...path, key]));
    } else if (node.type === 'array') {
      found.push(...duplicateKeys(child, path));
    }
  }
  return found;
}

/** The value of a parse tree (jsonc-parser's getNodeValue, kept here for arrays and objects alike). */
function evaluate(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries((node.children ?? []).map((p) => [p.children![0].value as string, p.children![1] ? evaluate(p.children![1]) : undefined]));
    case 'array':
      return (node.children ?? []).map(evaluate);
    default:
      return node.value;
  }
}
