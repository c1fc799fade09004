/** What a task's run gets from the agent's host: its backend, money, privacy and checks, and where it logs. */
import type { WorkspaceContext } from '../context/WorkspaceContext';
import type { AgentHost } from './agentHost';
import type { RunDeps } from './runTask';
import type { Task } from './taskSources';
import type { Activity } from './activity';

export function runDepsFor(task: Task, host: AgentHost, workspace: WorkspaceContext | undefined, signal: AbortSignal, activity: Activity): RunDeps {
  return {
    resolveBackend: (o) => host.resolveBackend(o),
    maxCompletionTokens: () => host.maxCompletionTokens(),
    spend: activity.watching(host.spend, task.input.relativePath, () => host.now()),
    privacy: () => host.privacy(task.input.uri),
    verifier: host.verifier,
    onRedacted: (file, backend, findings) => {
      const what = findings.map((f) => `${f.kind} (line ${f.line})`).join(', ');
      host.log('info', `Redacted ${findings.length} secret(s) from ${file} before sending it to ${backend}: ${what}.`);
      activity.redacted(findings.length);
    },
    approveCost: (m) => host.approveCost(m),
    workspace,
    onProgress: (tokens) => activity.progress(task.key, tokens),
    onLookups: (summaries) => host.log('info', `The model looked things up for the ${task.kind} task of ${task.input.relativePath}: ${summaries.join(' | ')}`),
    newId: () => host.newId(),
    now: () => host.now(),
    signal,
  };
}
