/**
 * Tells the agent when the user has been idle — no typing, no cursor moves, no editor switches —
 * for nightshift.idleSweepMinutes, once per idle spell (the idle sweep), and when they step away
 * for two minutes and come back (a team policy may hold background work while they type). Two
 * timers, re-armed on activity; nothing runs while the user is away beyond those notices.
 */
import * as vscode from 'vscode';

/** No activity for this long: the user is away. */
const AWAY_MS = 2 * 60_000;

export class IdleWatcher implements vscode.Disposable {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private awayTimer: ReturnType<typeof setTimeout> | undefined;
  private away = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly onIdle: () => void,
    private readonly onPresence: (active: boolean) => void,
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
    if (this.away) {
      this.away = false;
      this.onPresence(true);
    }
    if (this.awayTimer) clearTimeout(this.awayTimer);
    this.awayTimer = setTimeout(() => {
      this.away = true;
      this.onPresence(false);
    }, AWAY_MS);
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
    if (this.awayTimer) clearTimeout(this.awayTimer);
    for (const s of this.subscriptions) s.dispose();
  }
}
