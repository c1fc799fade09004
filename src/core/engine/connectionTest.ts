/**
 * "Test the connection": one call of a single output token to the background profile, through the
 * governor and into the ledger like any other, so what it cost is known and booked. For the
 * walkthrough and `nightshift doctor`-like checks; it never runs past a budget limit.
 */
import type { ConnectionTest } from '../../shared/types';
import type { SpendGate } from '../budget/SpendAccountant';
import type { BackendResolution } from '../agent/runTask';
import { ModelError } from '../providers/modelBackend';

export async function testConnection(resolve: () => Promise<BackendResolution>, spend: SpendGate): Promise<ConnectionTest> {
  const resolved = await resolve();
  if ('setupNeeded' in resolved) return { ok: false, message: resolved.setupNeeded, action: resolved.action };
  const { backend } = resolved;
  const request = { messages: [{ role: 'user' as const, content: 'Reply with the single word OK.' }], maxCompletionTokens: 1 };
  const meta = { taskId: 'connection-test', taskKind: 'connectionTest', backend: backend.displayName, model: backend.model, role: 'background' as const };
  const reservation = await spend.reserve({ role: 'background', worstCaseUsd: backend.worstCaseUsd(request), priority: 'high', local: backend.local, approved: true, call: { taskId: meta.taskId, taskKind: meta.taskKind, backend: meta.backend, model: meta.model } });
  if (!reservation.ok) return { ok: false, message: `Not sent: ${reservation.reason}` };
  try {
    const result = await backend.complete(request);
    await spend.record(reservation.id, result.usage, { ...meta, model: result.model }, 'none');
    return { ok: true, backend: backend.displayName, model: result.model, latencyMs: result.usage.latencyMs, costUsd: result.usage.costUsd, inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens };
  } catch (err) {
    if (err instanceof ModelError && err.partial) await spend.record(reservation.id, err.partial, meta, 'error');
    else await spend.release(reservation.id);
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}
