/**
 * The native views beside the Proposals inbox in the Nightshift container: "Needs a Stronger Model"
 * (tasks the background model could not do, each with Escalate…) and "Activity" (what the agent
 * does now, the queue with Run now / Cancel, the last calls with cost and latency, redactions,
 * backend health, and each Python folder's interpreter with what checks with it). Native tree views: keyboard, themes and screen readers come with them.
 */
import * as vscode from 'vscode';
import { formatBackendHealth, formatUsd } from '../shared/format';
import type { EscalationItem, TaskItem } from '../shared/types';
import type { PythonSetupLine } from '../core/verify/python/pythonSetup';
import type { AgentModel } from './AgentModel';

const KIND: Record<string, string> = { fix: 'fix', todo: 'marker comment', review: 'review', refactor: 'refactor' };

abstract class ModelTree<T> implements vscode.TreeDataProvider<T>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(protected readonly model: AgentModel) {
    this.subscription = model.onDidChange(() => this.changed.fire());
  }

  abstract getTreeItem(element: T): vscode.TreeItem;
  abstract getChildren(element?: T): T[];

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export class EscalationsTree extends ModelTree<EscalationItem> {
  static readonly viewId = 'nightshift.escalations';

  getChildren(element?: EscalationItem): EscalationItem[] {
    return element ? [] : this.model.snapshot().escalations;
  }

  getTreeItem(item: EscalationItem): vscode.TreeItem {
    const t = new vscode.TreeItem(item.relativePath, vscode.TreeItemCollapsibleState.None);
    t.id = item.id;
    t.description = KIND[item.kind] ?? item.kind;
    t.tooltip = `${item.reason}\n\nEscalate… shows what it would cost before anything is spent (once an escalation model is chosen: Nightshift: Choose the Escalation Model).`;
    t.iconPath = new vscode.ThemeIcon('rocket');
    t.contextValue = 'escalation';
    t.accessibilityInformation = { label: `${KIND[item.kind] ?? item.kind} for ${item.relativePath}: ${item.reason}` };
    return t;
  }
}

/** The view of the tree: its header says how many wait, so the view can start collapsed and still be noticed. */
export function escalationsView(tree: EscalationsTree, model: AgentModel): vscode.Disposable {
  const view = vscode.window.createTreeView(EscalationsTree.viewId, { treeDataProvider: tree });
  let shown = -1;
  const sub = model.onDidChange(({ escalations }) => {
    if (escalations.length === shown) return;
    shown = escalations.length;
    view.description = shown > 0 ? `${shown} waiting` : undefined;
    view.badge = shown > 0 ? { value: shown, tooltip: `${shown} task(s) wait for a stronger model` } : undefined;
  });
  return vscode.Disposable.from(sub, view);
}

type ActivityNode = { type: 'now' } | { type: 'group'; id: 'tasks' | 'calls' | 'backends'; label: string } | { type: 'task'; task: TaskItem } | { type: 'line'; id: string; label: string; description?: string; icon?: string; tooltip?: string };

export class ActivityTree extends ModelTree<ActivityNode> {
  static readonly viewId = 'nightshift.activity';

  constructor(
    model: AgentModel,
    /** Each Python folder's interpreter and checkers (none: no Python lines). */
    private readonly python: () => PythonSetupLine[] = () => [],
  ) {
    super(model);
  }

  getChildren(element?: ActivityNode): ActivityNode[] {
    const { status } = this.model.snapshot();
    if (!element) {
      return [
        { type: 'now' },
        { type: 'group', id: 'tasks', label: `Tasks (${status.tasks?.length ?? 0})` },
        { type: 'group', id: 'calls', label: 'Recent calls' },
        { type: 'line', id: 'redactions', label: `Redactions this session: ${status.redactions ?? 0}`, icon: 'shield', tooltip: 'Secrets taken out of what was sent to a model (see the log for which files).' },
        { type: 'group', id: 'backends', label: 'Backends, last hour' },
        ...this.python().map((p, i): ActivityNode => ({ type: 'line', id: `python-${i}`, label: p.label, description: p.description, icon: 'symbol-namespace', tooltip: p.tooltip })),
      ];
    }
    if (element.type !== 'group') return [];
    if (element.id === 'tasks') return (status.tasks ?? []).map((task) => ({ type: 'task', task }));
    if (element.id === 'calls') {
      return (status.recentCalls ?? []).map((c, i) => ({
        type: 'line',
        id: `call-${i}-${c.at}`,
        label: `${KIND[c.kind] ?? c.kind} · ${c.file}`,
        description: `${c.model} · ${c.costUsd === null ? 'cost unknown' : formatUsd(c.costUsd)} · ${(c.latencyMs / 1000).toFixed(1)} s · ${c.outcome}`,
        icon: c.role === 'escalation' ? 'rocket' : 'pulse',
        tooltip: `${new Date(c.at).toLocaleTimeString()}: ${c.role} call`,
      }));
    }
    return (status.backends ?? []).map((b) => ({ type: 'line', id: `backend-${b.backend}`, label: formatBackendHealth(b), icon: b.errors > 0 ? 'warning' : 'server' }));
  }

  getTreeItem(node: ActivityNode): vscode.TreeItem {
    const { status } = this.model.snapshot();
    switch (node.type) {
      case 'now': {
        const t = new vscode.TreeItem(status.detail);
        t.id = 'now';
        t.iconPath = new vscode.ThemeIcon(status.state === 'working' ? 'loading~spin' : status.state === 'paused' ? 'debug-pause' : status.state === 'error' || status.state === 'needsSetup' ? 'warning' : 'circle-outline');
        t.tooltip = status.detail;
        return t;
      }
      case 'group': {
        const t = new vscode.TreeItem(node.label, node.id === 'backends' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        t.id = node.id;
        return t;
      }
      case 'task': {
        const { task } = node;
        const t = new vscode.TreeItem(task.relativePath);
        t.id = `task-${task.key}`;
        t.description = `${KIND[task.kind] ?? task.kind}${task.role === 'escalation' ? ' · escalated' : ''} · ${task.compilerFix ? "trying the compiler's own fixes (free)" : task.running ? `running${task.tokensSoFar ? ` · ~${task.tokensSoFar.toLocaleString('en-US')} tokens so far` : ''}` : `${task.priority} priority`}`;
        t.iconPath = new vscode.ThemeIcon(task.running ? 'loading~spin' : 'clock');
        // A compiler-fix attempt is quick and free: nothing to cancel or run now.
        t.contextValue = task.compilerFix ? 'compilerFixTask' : task.running ? 'runningTask' : 'queuedTask';
        return t;
      }
      case 'line': {
        const t = new vscode.TreeItem(node.label);
        t.id = node.id;
        t.description = node.description;
        t.tooltip = node.tooltip;
        if (node.icon) t.iconPath = new vscode.ThemeIcon(node.icon);
        return t;
      }
    }
  }
}
