/**
 * What the user can do with a proposal: accept it (one undoable WorkspaceEdit, only onto the
 * exact content it was made for), reject it, or see it in the native diff editor.
 */
import * as vscode from 'vscode';
import { applyReplacements } from '../core/edits/searchReplace';
import { sha256 } from '../core/hash';
import type { FileChange } from '../shared/types';
import type { AgentClient } from './AgentClient';
import type { AgentModel } from './AgentModel';

export const PROPOSAL_SCHEME = 'nightshift-proposal';
const REJECT_REASONS = ['The fix is wrong', 'Not worth changing', 'I will fix it myself', 'The style does not fit'];

export class ProposalActions {
  constructor(
    private readonly model: AgentModel,
    private readonly client: () => AgentClient | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async accept(id: string): Promise<boolean> {
    const proposal = this.model.proposal(id);
    if (!proposal) return false;
    if (proposal.stale) {
      void vscode.window.showWarningMessage(`"${proposal.title}" is stale (${proposal.stale}) and cannot be applied. Dismiss it from the panel.`);
      return false;
    }
    this.model.withdraw(id);
    const edit = new vscode.WorkspaceEdit();
    const docs: { doc: vscode.TextDocument; wasDirty: boolean }[] = [];
    for (const file of proposal.files) {
      const doc = await this.openBase(file);
      if (!doc) {
        void vscode.window.showWarningMessage(
          `${file.relativePath} changed after Nightshift made this proposal, so it was not applied.`,
        );
        await this.client()?.decide({ id, decision: 'accept', applied: false, reason: 'stale' });
        return false;
      }
      docs.push({ doc, wasDirty: doc.isDirty });
      for (const r of file.replacements) {
        edit.replace(doc.uri, new vscode.Range(doc.positionAt(r.offset), doc.positionAt(r.offset + r.length)), r.newText);
      }
    }
    const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: false });
    if (!applied) void vscode.window.showErrorMessage(`Nightshift could not apply "${proposal.title}".`);
    else if (vscode.workspace.getConfiguration('nightshift').get<boolean>('saveAfterAccept', true)) {
      // Files the user had unsaved changes in stay unsaved: their edits are theirs to save.
      await Promise.all(docs.filter((d) => !d.wasDirty).map((d) => d.doc.save()));
    }
    this.log.info(`Accepted "${proposal.title}"${applied ? '' : ' (the edit could not be applied)'}.`);
    await this.client()?.decide({ id, decision: 'accept', applied });
    return applied;
  }

  async reject(id: string, reason?: string): Promise<void> {
    if (!this.model.proposal(id)) return;
    this.model.withdraw(id);
    await this.client()?.decide({ id, decision: 'reject', ...(reason ? { reason } : {}) });
  }

  /** Asks why (optional, Escape skips), then rejects: the reason goes into the ledger. */
  async rejectWithReason(id: string): Promise<void> {
    const proposal = this.model.proposal(id);
    if (!proposal) return;
    if (proposal.stale) return this.reject(id);
    const picked = await vscode.window.showQuickPick(REJECT_REASONS, { title: `Reject "${proposal.title}"`, placeHolder: 'Why? (optional: press Escape to skip)' });
    await this.reject(id, picked);
  }

  async snooze(id: string): Promise<void> {
    if (!this.model.proposal(id)) return;
    this.model.withdraw(id);
    await this.client()?.decide({ id, decision: 'snooze' });
  }

  /** The native diff editor: one file side by side, or several in the multi-file changes editor. */
  async openDiff(id: string): Promise<void> {
    const proposal = this.model.proposal(id);
    if (!proposal || proposal.files.length === 0) return;
    const sides = proposal.files.map((file) => {
      const left = vscode.Uri.parse(file.uri);
      return { file, left, right: vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: left.path, query: proposal.id }) };
    });
    if (sides.length === 1) {
      const [{ file, left, right }] = sides;
      await vscode.commands.executeCommand('vscode.diff', left, right, `${file.relativePath} ↔ ${proposal.title}`, { preview: true });
      return;
    }
    await vscode.commands.executeCommand('vscode.changes', `Nightshift: ${proposal.title}`, sides.map((s) => [s.left, s.left, s.right]));
  }

  /** The text a proposal would give a file, for the diff editor's right side. */
  async proposedText(uri: vscode.Uri): Promise<string> {
    const proposal = this.model.proposal(uri.query);
    const file = proposal?.files.find((f) => vscode.Uri.parse(f.uri).path === uri.path);
    if (!proposal || !file) return '// This proposal is no longer open.\n';
    const doc = await this.openBase(file);
    if (!doc) return '// The file changed after this proposal was made; it no longer applies.\n';
    return applyReplacements(doc.getText(), file.replacements);
  }

  /** The file's document, if it still holds exactly the content the proposal was made on. */
  private async openBase(file: FileChange): Promise<vscode.TextDocument | undefined> {
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(file.uri));
      return sha256(doc.getText()) === file.baseHash ? doc : undefined;
    } catch {
      return undefined;
    }
  }
}

export function proposalContentProvider(actions: ProposalActions): vscode.TextDocumentContentProvider {
  return { provideTextDocumentContent: (uri) => actions.proposedText(uri) };
}

