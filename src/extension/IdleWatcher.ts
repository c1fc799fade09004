/**
 * Tells the agent when the user has been idle — no typing, no cursor moves, no editor switches —
 * for nightshift.idleSweepMinutes, once per idle spell. One timer, re-armed on activity; nothing
 * runs while the user is away beyond that one notice.
 */
import * as vscode from 'vscode';

export class IdleWatcher implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly onIdle: () => void,
    private readonly idleMinutes: () => number,
  ) {
    const active = () => this.arm();
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => e.document.uri.scheme === 'file' && active()),
      vscode.window.onDidChangeTextEditorSelection(active),
      vscode.window.onDidChangeActiveTextEditor(active),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('nightshift.idleSweepMinutes') && active()),
    ];
    this.arm();
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const minutes = this.idleMinutes();
    if (!(minutes > 0)) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onIdle();
    }, minutes * 60_000);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
