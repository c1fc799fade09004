/**
 * What the user can do with a proposal: accept it (one undoable WorkspaceEdit, only onto the
 * exact content it was made for) or one hunk of it, reject it (sent after a few seconds in which
 * Undo takes it back), snooze it, or see it in the native diff editor.
 */
import * as vscode from 'vscode';
import { applyReplacements } from '../core/edits/searchReplace';
import { sha256 } from '../core/hash';
import { splitChecked } from '../shared/evidence';
import type { FileChange, Proposal } from '../shared/types';
import type { AgentClient } from './AgentClient';
import type { AgentModel } from './AgentModel';
import { typeCheckedCounts } from './checkEvidence';
import { settingDefault } from '../shared/settingsSchema';

export const PROPOSAL_SCHEME = 'nightshift-proposal';

/** The multi-diff editor's title for a proposal: how its tab is known as the proposal's (see multiDiffProposal). */
export function multiDiffTitle(title: string): string {
  return `Nightshift: ${title}`;
}

/** The waiting proposal whose multi-file diff is the active tab, if it is. */
export function multiDiffProposal(waiting: readonly { id: string; title: string; files: unknown[] }[]): string | undefined {
  const label = vscode.window.tabGroups.activeTabGroup.activeTab?.label;
  // The workbench adds the file count: "Nightshift: <title> (2 files)".
  const names = (p: { title: string }) => label === multiDiffTitle(p.title) || label?.startsWith(`${multiDiffTitle(p.title)} (`) === true;
  return label === undefined ? undefined : waiting.find((p) => p.files.length > 1 && names(p))?.id;
}
const REJECT_REASONS = ['The fix is wrong', 'Not worth changing', 'I will fix it myself', 'The style does not fit'];
/** How long a reject can be undone before it is sent (and booked). */
export const UNDO_MS = 10_000;

export class ProposalActions implements vscode.Disposable {
  /** Rejects not sent yet: Undo cancels one; stopping sends them all. */
  private readonly pending = new Map<string, { timer: ReturnType<typeof setTimeout>; send: () => Promise<void> }>();

  constructor(
    private readonly model: AgentModel,
    private readonly client: () => AgentClient | undefined,
    private readonly log: vscode.LogOutputChannel,
    private readonly onAccepted: () => void = () => undefined,
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
        void vscode.window.showWarningMessage(`${file.relativePath} changed after Nightshift made this proposal, so it was not applied.`);
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
    else if (vscode.workspace.getConfiguration('nightshift').get<boolean>('saveAfterAccept', settingDefault('saveAfterAccept'))) {
      // Files the user had unsaved changes in stay unsaved: their edits are theirs to save.
      await Promise.all(docs.filter((d) => !d.wasDirty).map((d) => this.save(d.doc)));
    }
    this.log.info(`Accepted "${proposal.title}"${applied ? '' : ' (the edit could not be applied)'}.`);
    if (applied) {
      this.onAccepted();
      // Its diff has nothing more to show: the file holds the change now.
      await closeDiffTabs(proposal);
    }
    await this.client()?.decide({ id, decision: 'accept', applied });
    return applied;
  }

  /** Rejects at once (tests, the API); the panel's reject waits for Undo first (`rejectWithReason`). */
  async reject(id: string, reason?: string): Promise<void> {
    const proposal = this.model.proposal(id);
    if (!proposal) return;
    this.model.withdraw(id);
    await closeDiffTabs(proposal);
    await this.client()?.decide({ id, decision: 'reject', ...(reason ? { reason } : {}) });
  }

  /** Hides the proposal and sends the reject after UNDO_MS, unless Undo comes first. */
  private rejectLater(id: string, reason?: string): void {
    const proposal = this.model.proposal(id);
    if (!proposal) return;
    this.model.withdraw(id);
    void closeDiffTabs(proposal);
    const send = async () => {
      this.pending.delete(id);
      if (this.model.snapshot().undo?.id === id) this.model.setUndo(undefined);
      await this.client()?.decide({ id, decision: 'reject', ...(reason ? { reason } : {}) });
    };
    this.pending.set(id, { timer: setTimeout(() => void send(), UNDO_MS), send });
    this.model.setUndo({ id, title: proposal.title, what: 'rejected' });
  }

  /** Takes back the last reject (not sent yet) or snooze. */
  async undo(id: string): Promise<void> {
    const undo = this.model.snapshot().undo;
    if (undo?.id !== id) return;
    this.model.setUndo(undefined);
    const waiting = this.pending.get(id);
    if (waiting) {
      clearTimeout(waiting.timer);
      this.pending.delete(id);
      this.model.restore(id);
      return;
    }
    if (undo.what === 'snoozed') await this.unsnooze(id);
  }

  async unsnooze(id: string): Promise<void> {
    await this.client()?.decide({ id, decision: 'unsnooze' });
  }

  /** Asks why (optional, Escape skips), then rejects: the reason goes into the ledger. */
  async rejectWithReason(id: string): Promise<void> {
    const proposal = this.model.proposal(id);
    if (!proposal) return;
    if (proposal.stale) return this.reject(id);
    const picked = await vscode.window.showQuickPick(REJECT_REASONS, { title: `Reject "${proposal.title}"`, placeHolder: 'Why? (optional: press Escape to skip)' });
    this.rejectLater(id, picked);
  }

  async snooze(id: string): Promise<void> {
    const proposal = this.model.proposal(id);
    if (!proposal) return;
    this.model.withdraw(id);
    const { ok } = (await this.client()?.decide({ id, decision: 'snooze' })) ?? { ok: false };
    this.model.restore(id);
    if (ok) this.model.setUndo({ id, title: proposal.title, what: 'snoozed' });
  }

  /**
   * One hunk of a proposal: accepted, the server first takes it out (keyed to the text the file
   * holds now), then it is applied as one undoable edit; rejected, it is dropped. A hunk whose text
   * changed is refused, never applied elsewhere.
   */
  async decideHunk(id: string, fileIndex: number, index: number, accept: boolean): Promise<boolean> {
    const proposal = this.model.proposal(id);
    const file = proposal?.files[fileIndex];
    const hunk = file?.replacements[index];
    if (!proposal || !file || !hunk) return false;
    const doc = await this.openBase(file);
    if (!doc) {
      void vscode.window.showWarningMessage(`${file.relativePath} changed where this hunk edits it, so it was not ${accept ? 'applied' : 'rejected'}.`);
      return false;
    }
    const wasDirty = doc.isDirty;
    const base = doc.getText();
    const answer = await this.client()?.decide({ id, decision: accept ? 'acceptHunk' : 'rejectHunk', hunk: { uri: file.uri, index, base } });
    if (!answer?.ok) {
      void vscode.window.showWarningMessage(`The hunk was not ${accept ? 'applied' : 'rejected'}: ${answer?.reason ?? 'the agent is not running'}.`);
      return false;
    }
    if (!accept) return true;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(hunk.offset), doc.positionAt(hunk.offset + hunk.length)), hunk.newText);
    const applied = await vscode.workspace.applyEdit(edit, { isRefactoring: false });
    if (!applied) void vscode.window.showErrorMessage(`Nightshift could not apply the hunk of "${proposal.title}".`);
    else this.onAccepted();
    if (applied && !wasDirty && vscode.workspace.getConfiguration('nightshift').get<boolean>('saveAfterAccept', settingDefault('saveAfterAccept'))) await doc.save();
    return applied;
  }

  /**
   * Accepts every proposal that counts as checked after a confirmation that lists their files, and
   * says how many type-checked ones it left out, and why.
   */
  async acceptAllChecked(): Promise<number> {
    const { checked, typeCheckedLeftOut } = splitChecked(
      this.model.waiting().filter((p) => !p.stale),
      typeCheckedCounts(),
    );
    const leftOut = leftOutNote(typeCheckedLeftOut);
    if (checked.length === 0) {
      void vscode.window.showInformationMessage(`No checked proposal is waiting.${leftOut}`);
      return 0;
    }
    const files = [...new Set(checked.flatMap((p) => p.files.map((f) => f.relativePath)))];
    const list = files.slice(0, 12).join(', ') + (files.length > 12 ? `, and ${files.length - 12} more` : '');
    const go = await vscode.window.showWarningMessage(`Accept ${checked.length} checked proposal(s)?`, { modal: true, detail: `They change ${list}.${leftOut}` }, 'Accept All');
    if (go !== 'Accept All') return 0;
    let done = 0;
    for (const p of checked) if (await this.accept(p.id)) done++;
    return done;
  }

  /** Rejects every waiting proposal of one kind, picked from those waiting. */
  async rejectAllOfKind(kind?: string): Promise<void> {
    const waiting = this.model.waiting();
    const kinds = [...new Set(waiting.map((p) => p.kind))];
    const picked =
      kind ??
      (
        await vscode.window.showQuickPick(
          kinds.map((k) => ({ label: k, description: `${waiting.filter((p) => p.kind === k).length} waiting` })),
          { title: 'Reject all proposals of a kind' },
        )
      )?.label;
    if (!picked) return;
    for (const p of waiting.filter((q) => q.kind === picked)) await this.reject(p.id);
  }

  /** Sends the rejects still waiting out their undo time (before the agent stops). */
  async flush(): Promise<void> {
    const all = [...this.pending.values()];
    for (const { timer } of all) clearTimeout(timer);
    await Promise.allSettled(all.map(({ send }) => send()));
  }

  dispose(): void {
    void this.flush();
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
    await vscode.commands.executeCommand(
      'vscode.changes',
      multiDiffTitle(proposal.title),
      sides.map((s) => [s.left, s.left, s.right]),
    );
  }

  /** Saves an accepted file; a save the workbench refused is tried once more, then the user is told (the edit stays, unsaved). */
  private async save(doc: vscode.TextDocument): Promise<void> {
    if (await doc.save()) return;
    await new Promise((r) => setTimeout(r, 300));
    if (!doc.isDirty || (await doc.save())) return;
    this.log.warn(`${vscode.workspace.asRelativePath(doc.uri)} could not be saved after the accepted edit; it stays unsaved in the editor.`);
    void vscode.window.showWarningMessage(`Nightshift applied the change to ${vscode.workspace.asRelativePath(doc.uri)} but could not save it. Save it yourself (Ctrl+S) to keep it.`);
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

/** Closes the proposal's diff tabs (side by side, or its multi-diff editor) once it is decided. */
async function closeDiffTabs(proposal: Pick<Proposal, 'id' | 'title'>): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => {
      if (t.input instanceof vscode.TabInputTextDiff) return t.input.modified.scheme === PROPOSAL_SCHEME && t.input.modified.query === proposal.id;
      return t.label === multiDiffTitle(proposal.title) || t.label.startsWith(`${multiDiffTitle(proposal.title)} (`);
    });
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs, true).then(undefined, () => undefined);
}

/** Why Accept All Checked did not take some type-checked proposals, as sentences after a space; empty when it took them all. */
function leftOutNote(typeChecked: readonly Proposal[]): string {
  const required = typeChecked.filter((p) => p.check?.testsRequired).length;
  const optional = typeChecked.length - required;
  return [...(optional > 0 ? [` ${optional} type-checked proposal(s) without test evidence are left out (the setting nightshift.typeCheckedCounts counts them).`] : []), ...(required > 0 ? [` ${required} type-checked proposal(s) are left out: the team policy requires test evidence.`] : [])].join('');
}

export function proposalContentProvider(actions: ProposalActions): vscode.TextDocumentContentProvider {
  return { provideTextDocumentContent: (uri) => actions.proposedText(uri) };
}
