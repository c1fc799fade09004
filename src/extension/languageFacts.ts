/**
 * What VS Code's language features know, for the agent: where a symbol is declared (workspace
 * symbols) and the signatures of the names used on a file's problem lines (hovers). Both go
 * through whatever language extensions the user has, so they work for any language.
 */
import * as vscode from 'vscode';

const MAX_DEFINITIONS = 3;
const MAX_NAMES_PER_LINE = 6;
const MAX_SIGNATURES = 8;
const MAX_SIGNATURE_CHARS = 300;
const KEYWORDS = new Set(['const', 'let', 'var', 'function', 'return', 'export', 'import', 'from', 'new', 'this', 'true', 'false', 'null', 'undefined', 'if', 'else', 'for', 'while', 'await', 'async', 'class', 'type', 'interface', 'extends', 'typeof', 'string', 'number', 'boolean', 'void']);

export async function findDefinitions(symbol: string): Promise<Array<{ relativePath: string; line: number }>> {
  const found = (await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', symbol)) ?? [];
  const last = symbol.split('.').pop()!;
  return found
    .filter((s) => s.name === last && s.location.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(s.location.uri))
    .slice(0, MAX_DEFINITIONS)
    .map((s) => ({ relativePath: vscode.workspace.asRelativePath(s.location.uri, false), line: s.location.range.start.line + 1 }));
}

/** The hover signatures of the names on these zero-based lines, de-duplicated, code only. */
export async function signaturesOn(uriText: string, lines: number[]): Promise<string[]> {
  const uri = vscode.Uri.parse(uriText);
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uriText) ?? (await vscode.workspace.openTextDocument(uri));
  const positions: vscode.Position[] = [];
  for (const line of lines.filter((l) => l >= 0 && l < doc.lineCount)) {
    const names = [...doc.lineAt(line).text.matchAll(/[A-Za-z_$][\w$]*/g)].filter((m) => !KEYWORDS.has(m[0]));
    positions.push(...names.slice(0, MAX_NAMES_PER_LINE).map((m) => new vscode.Position(line, m.index!)));
  }
  const signatures = new Set<string>();
  for (const position of positions) {
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
    for (const hover of hovers) {
      for (const content of hover.contents) {
        const code = codeOf(content);
        if (code) signatures.add(code.length > MAX_SIGNATURE_CHARS ? `${code.slice(0, MAX_SIGNATURE_CHARS - 1)}…` : code);
      }
    }
    if (signatures.size >= MAX_SIGNATURES) break;
  }
  return [...signatures].slice(0, MAX_SIGNATURES);
}

/** The code block of a hover's content (the signature), without its prose. */
function codeOf(content: vscode.MarkdownString | vscode.MarkedString): string | undefined {
  if (typeof content === 'object' && 'language' in content) return content.value.trim() || undefined;
  const text = typeof content === 'string' ? content : content.value;
  const block = /```[\w-]*\n([\s\S]*?)\n```/.exec(text);
  return block?.[1].trim().replace(/\s+/g, ' ') || undefined;
}
