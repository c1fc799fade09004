/**
 * Forwards settled diagnostics: after a file is saved, once its errors have stayed unchanged for
 * the settle delay, they go to the agent with the saved text. Nothing is sent while the user
 * types: an edit disarms the file until its next save.
 */
import * as vscode from 'vscode';
import type { DiagnosticInfo, SettledDiagnosticsParams } from '../shared/agentProtocol';

export class DiagnosticsForwarder implements vscode.Disposable {
  private readonly armed = new Set<string>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly send: (params: SettledDiagnosticsParams) => void,
    private readonly settleDelayMs: () => number,
    private readonly includeWarnings: () => boolean = () => false,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidSaveTextDocument((doc) => {
        if (!isWorkspaceFile(doc.uri)) return;
        this.armed.add(doc.uri.toString());
        this.schedule(doc.uri);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        const key = e.document.uri.toString();
        this.armed.delete(key);
        this.cancel(key);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.armed.delete(doc.uri.toString());
        this.cancel(doc.uri.toString());
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        for (const uri of e.uris) if (this.armed.has(uri.toString())) this.schedule(uri);
      }),
    ];
  }

  private schedule(uri: vscode.Uri): void {
    const key = uri.toString();
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.fire(uri);
      }, this.settleDelayMs()),
    );
  }

  private cancel(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }

  private fire(uri: vscode.Uri): void {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc || doc.isDirty || !this.armed.has(uri.toString())) return;
    const diagnostics = vscode.languages
      .getDiagnostics(uri)
      .filter((d) => d.severity === vscode.DiagnosticSeverity.Error || (d.severity === vscode.DiagnosticSeverity.Warning && this.includeWarnings()))
      .map(toDiagnosticInfo);
    this.send({
      uri: uri.toString(),
      relativePath: vscode.workspace.asRelativePath(uri, false),
      languageId: doc.languageId,
      text: doc.getText(),
      diagnostics,
    });
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}

function isWorkspaceFile(uri: vscode.Uri): boolean {
  return uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

function toDiagnosticInfo(d: vscode.Diagnostic): DiagnosticInfo {
  const code = typeof d.code === 'object' ? d.code.value : d.code;
  return {
    message: d.message,
    severity: d.severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning',
    source: d.source,
    code: code === undefined ? undefined : String(code),
    range: {
      startLine: d.range.start.line,
      startCharacter: d.range.start.character,
      endLine: d.range.end.line,
      endCharacter: d.range.end.character,
    },
  };
}
