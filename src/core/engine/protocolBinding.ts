/**
 * The nightshift/* requests and notifications an editor sends, bound to an engine. The editor's
 * own server and the headless daemon (serving attached editors over its socket) both bind through
 * here, so the protocol is answered the same way whichever host runs the engine.
 */
import {
  BudgetReportRequest,
  CredentialsChangedNotification,
  DecideProposalRequest,
  DetectLocalModelsRequest,
  EscalateRequest,
  EscalationQuoteRequest,
  ExportLedgerRequest,
  FilesDeletedNotification,
  PolicyReportRequest,
  SetPausedRequest,
  SettledDiagnosticsNotification,
  UserIdleNotification,
  UserPresenceNotification,
  TaskActionRequest,
  TuningControlRequest,
  TestConnectionRequest,
  type typedEndpoint,
} from '../../shared/agentProtocol';
import type { Engine } from './engine';
import { describePolicy } from '../policy/effectivePolicy';
import { fileURLToPath } from 'node:url';
import { isPyrightTarget } from '../verify/python/pyrightJudge';

export interface BindingOptions {
  /** Whether this editor's diagnostics and idle time drive the engine (a daemon has its own watcher, but an attached editor still knows diagnostics the daemon cannot see). */
  editorSignals: boolean;
  /**
   * An accept that says "applied" is booked only when the files on disk hold the proposal's result:
   * a daemon's socket takes any process of the user, whose word is not proof. (The editor's own
   * server takes the editor's word: an accepted edit may stay unsaved there.)
   */
  acceptsFromDisk?: boolean;
}

export function bindEngineProtocol(rpc: ReturnType<typeof typedEndpoint>, engine: () => Engine | undefined, options: BindingOptions = { editorSignals: true }): void {
  if (options.editorSignals) {
    rpc.onNotify(SettledDiagnosticsNotification, (params) => {
      engine()?.workedOn();
      engine()?.agent.onSettledDiagnostics(params);
      // pyright starts while the model works on a Python problem (its first start takes seconds).
      if (params.uri.startsWith('file:') && params.diagnostics.some(isPyrightTarget)) engine()?.warmPython(fileURLToPath(params.uri));
    });
    rpc.onNotify(UserIdleNotification, () => void engine()?.agent.onUserIdle());
  }
  // Presence counts for a daemon too: a policy may hold its work while the user types.
  rpc.onNotify(UserPresenceNotification, ({ active }) => engine()?.agent.setUserActive(active === true));
  rpc.onNotify(FilesDeletedNotification, ({ uris }) => engine()?.agent.onFilesDeleted(uris));
  rpc.onNotify(CredentialsChangedNotification, () => engine()?.credentialsChanged());
  rpc.onRequest(DecideProposalRequest, async (params) => engine()?.agent.decide(params, { fromDisk: options.acceptsFromDisk === true }) ?? { ok: false });
  rpc.onRequest(TestConnectionRequest, () => engine()!.testConnection());
  rpc.onRequest(TaskActionRequest, ({ key, action }) => {
    const agent = engine()?.agent;
    return { ok: !!agent && (action === 'runNow' ? agent.runNow(key) : agent.cancelTask(key)) };
  });
  rpc.onRequest(TuningControlRequest, ({ kind, action }) => {
    const agent = engine()?.agent;
    if (!agent || !['fix', 'todo', 'review', 'refactor'].includes(kind) || !['freeze', 'unfreeze', 'reset'].includes(action)) return { ok: false };
    agent.controlTuning(kind, action);
    return { ok: true };
  });
  rpc.onRequest(EscalationQuoteRequest, ({ id }) => engine()!.agent.quoteEscalation(id));
  rpc.onRequest(EscalateRequest, ({ id }) => engine()!.agent.escalate(id));
  // Resume lifts the user's own pause, never a broken policy's (the agent's state says so: agentState.ts).
  rpc.onRequest(SetPausedRequest, (params) => engine()!.agent.setPaused(params.paused === true));
  rpc.onRequest(BudgetReportRequest, () => engine()!.budgetReport());
  rpc.onRequest(ExportLedgerRequest, ({ format, path: file }) => engine()!.exportLedger(format === 'json' ? 'json' : 'csv', file));
  rpc.onRequest(PolicyReportRequest, () => {
    const policy = engine()!.policy();
    return { broken: policy.broken, problems: policy.problems, rules: describePolicy(policy) };
  });
  rpc.onRequest(DetectLocalModelsRequest, async () => ({ servers: await engine()!.detectLocalModels() }));
}
