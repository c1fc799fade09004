/**
 * The side panel: a webview view that renders the agent's status and proposals. The extension
 * is the source of truth; the panel sends requests, which are checked before anything acts.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { countsAsChecked, evidenceOf } from '../shared/evidence';
import { parsePanelRequest, type PanelRequest, type PanelUpdate } from '../shared/panelProtocol';
import type { AgentModel } from './AgentModel';
import { onTypeCheckedCountsChange, typeCheckedCounts } from './checkEvidence';

/** Which part of the panel a webview view shows: the inbox (status and proposals) or the Budget (with the Policy). */
export type PanelPart = 'inbox' | 'budget';

export class ProposalsView implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'nightshift.proposals';
  static readonly budgetViewId = 'nightshift.budget';
  private view: vscode.WebviewView | undefined;
  private ready = false;
  /** A card to scroll to once the panel is ready. */
  private revealId: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly model: AgentModel,
    private readonly handle: (request: PanelRequest) => Promise<void>,
    private readonly log: vscode.LogOutputChannel,
    private readonly part: PanelPart = 'inbox',
  ) {
    this.subscriptions.push(
      model.onDidChange(() => this.post()),
      onTypeCheckedCountsChange(() => this.post()),
    );
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = this.html(view.webview, dist);
    view.webview.onDidReceiveMessage(
      (raw: unknown) => {
        const request = parsePanelRequest(raw);
        if (!request) {
          this.log.warn('Ignored a malformed message from the Nightshift panel.');
          return;
        }
        if (request.type === 'panel/ready') {
          this.ready = true;
          this.post();
          return;
        }
        this.handle(request).catch((err: unknown) => this.log.error(`Panel action failed: ${String(err)}`));
      },
      undefined,
      this.subscriptions,
    );
    view.onDidDispose(() => {
      this.view = undefined;
      this.ready = false;
    });
  }

  /** Shows the panel (without taking focus from the editor) and scrolls to a proposal's card. */
  async reveal(id: string): Promise<void> {
    if (!this.view) await vscode.commands.executeCommand(`${ProposalsView.viewId}.focus`);
    this.view?.show(true);
    this.revealId = id;
    this.post();
  }

  /** The view's badge: proposals waiting that count as checked. */
  private setBadge(widened: boolean): void {
    if (!this.view || this.part !== 'inbox') return;
    const checked = this.model.waiting().filter((p) => !p.stale && countsAsChecked(p.check, widened));
    const tested = checked.filter((p) => evidenceOf(p.check) === 'tested').length;
    const tooltip = `${checked.length} checked proposal(s) waiting: ${tested} tested, ${checked.length - tested} type-checked`;
    this.view.badge = checked.length > 0 ? { value: checked.length, tooltip } : undefined;
  }

  private post(): void {
    const widened = typeCheckedCounts();
    this.setBadge(widened);
    if (!this.view || !this.ready) return;
    const update: PanelUpdate = { type: 'state/update', snapshot: { ...this.model.snapshot(), typeCheckedCounts: widened } };
    void this.view.webview.postMessage(update);
    if (this.revealId) {
      const reveal: PanelUpdate = { type: 'reveal', id: this.revealId };
      this.revealId = undefined;
      void this.view.webview.postMessage(reveal);
    }
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.css'));
    const csp = ["default-src 'none'", `style-src ${webview.cspSource} 'nonce-${nonce}'`, `font-src ${webview.cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}" nonce="${nonce}">
<title>Nightshift</title>
</head>
<body data-part="${this.part}">
<main id="app"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
