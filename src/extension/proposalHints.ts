/**
 * Nightshift's work where the developer already looks: a quick fix on the diagnostic a waiting
 * proposal fixes, titled with what its check proved (preferred only when it counts as checked;
 * never one that silences the error), from the lightbulb, Ctrl+. and the Problems view; and a
 * quiet CodeLens on the line a checked proposal changes (nightshift.codeLens).
 */
import * as vscode from 'vscode';
import { countsAsChecked } from '../shared/evidence';
import type { Proposal } from '../shared/types';
import type { AgentModel } from './AgentModel';
import { describeChange, evidenceIcon, onTypeCheckedCountsChange, typeCheckedCounts } from './checkEvidence';
import { settingDefault } from '../shared/settingsSchema';

/** The waiting, current proposals that change this document. */
function proposalsFor(model: AgentModel, doc: vscode.TextDocument): Array<{ proposal: Proposal; fileIndex: number }> {
  const uri = doc.uri.toString();
  return model
    .waiting()
    .filter((p) => !p.stale)
    .flatMap((proposal) => {
      const fileIndex = proposal.files.findIndex((f) => f.uri === uri);
      return fileIndex < 0 ? [] : [{ proposal, fileIndex }];
    });
}

/** Whether a diagnostic in the editor is one the proposal was made to fix (same message and code, near the same line). */
function fixes(proposal: Proposal, d: vscode.Diagnostic): boolean {
  const code = typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
  return (proposal.targets ?? []).some((t) => t.message === d.message && (t.code ?? undefined) === code);
}

export class ProposalCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly model: AgentModel) {}

  provideCodeActions(doc: vscode.TextDocument, range: vscode.Range | vscode.Selection, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    const widened = typeCheckedCounts();
    for (const { proposal, fileIndex } of proposalsFor(this.model, doc)) {
      const diagnostics = context.diagnostics.filter((d) => fixes(proposal, d));
      const atChange = proposal.files[fileIndex].replacements.some((r) => new vscode.Range(doc.positionAt(r.offset), doc.positionAt(r.offset + r.length)).intersection(range));
      if (diagnostics.length === 0 && !atChange) continue;
      const apply = new vscode.CodeAction(`Nightshift: apply ${describeChange(proposal.kind, proposal.check)} — ${proposal.title}`, vscode.CodeActionKind.QuickFix);
      apply.diagnostics = diagnostics;
      apply.isPreferred = countsAsChecked(proposal.check, widened) && diagnostics.length > 0;
      apply.command = { command: 'nightshift.acceptProposal', title: 'Apply', arguments: [proposal.id] };
      const preview = new vscode.CodeAction(`Nightshift: preview — ${proposal.title}`, vscode.CodeActionKind.QuickFix);
      preview.diagnostics = diagnostics;
      preview.command = { command: 'nightshift.openProposalDiff', title: 'Preview', arguments: [proposal.id] };
      const show = new vscode.CodeAction('Nightshift: show in the Nightshift panel', vscode.CodeActionKind.QuickFix);
      show.diagnostics = diagnostics;
      show.command = { command: 'nightshift.showProposal', title: 'Show', arguments: [proposal.id] };
      actions.push(apply, preview, show);
    }
    return actions;
  }
}

export class ProposalCodeLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly model: AgentModel) {
    this.subscriptions = [model.onDidChange(() => this.changed.fire()), vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('nightshift.codeLens') && this.changed.fire()), onTypeCheckedCountsChange(() => this.changed.fire())];
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('nightshift').get<boolean>('codeLens', settingDefault('codeLens'))) return [];
    const widened = typeCheckedCounts();
    return proposalsFor(this.model, doc)
      .filter(({ proposal }) => countsAsChecked(proposal.check, widened))
      .flatMap(({ proposal, fileIndex }) => {
        const first = proposal.files[fileIndex].replacements[0];
        if (!first) return [];
        const at = new vscode.Range(doc.positionAt(first.offset), doc.positionAt(first.offset));
        return [
          new vscode.CodeLens(at, { title: `${evidenceIcon(proposal.check)} Nightshift: ${describeChange(proposal.kind, proposal.check)} waiting — apply`, command: 'nightshift.acceptProposal', arguments: [proposal.id], tooltip: proposal.title }),
          new vscode.CodeLens(at, { title: 'preview', command: 'nightshift.openProposalDiff', arguments: [proposal.id] }),
        ];
      });
  }

  dispose(): void {
    this.changed.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
