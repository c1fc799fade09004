/**
 * What a team's gateway says is left of its budget — the shared counter across all the team's
 * machines, which no local ledger can be. LiteLLM: `GET /key/info` (the key's spend and
 * max_budget), then `GET /team/info?team_id=` when the key is in a team (a key in a team is held to
 * the team's budget). OpenRouter: `GET /api/v1/key` (`data.limit_remaining`). Read with a timeout;
 * never with the key in a log.
 */
export interface GatewayBudget {
  /** USD left under the tightest budget the gateway enforces on this key; null: no budget set. */
  remainingUsd: number | null;
  spentUsd: number | null;
  limitUsd: number | null;
  /** Whose budget binds: the key's or its team's. */
  scope: 'key' | 'team';
}

export type GatewayRead = { ok: true; budget: GatewayBudget } | { ok: false; message: string };

const TIMEOUT_MS = 5000;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

async function getJson(url: string, key: string, timeoutMs: number): Promise<unknown> {
  const res = await fetch(url, { headers: { Authorization: `Bearer ${key}`, 'x-litellm-api-key': key }, signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

const root = (baseUrl: string) => baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');

export async function readGatewayBudget(kind: 'litellm' | 'openrouter', baseUrl: string, key: string, timeoutMs = TIMEOUT_MS): Promise<GatewayRead> {
  try {
    if (kind === 'openrouter') {
      const body = (await getJson(`${baseUrl.replace(/\/+$/, '')}/key`, key, timeoutMs)) as { data?: { limit?: unknown; limit_remaining?: unknown; usage?: unknown } };
      if (!body?.data) return { ok: false, message: 'OpenRouter answered /key without data' };
      return { ok: true, budget: { remainingUsd: num(body.data.limit_remaining), limitUsd: num(body.data.limit), spentUsd: num(body.data.usage), scope: 'key' } };
    }
    const keyInfo = (await getJson(`${root(baseUrl)}/key/info`, key, timeoutMs)) as { info?: { spend?: unknown; max_budget?: unknown; team_id?: unknown } };
    const info = keyInfo?.info;
    if (!info) return { ok: false, message: 'the LiteLLM proxy answered /key/info without info' };
    const own = { spent: num(info.spend), limit: num(info.max_budget) };
    let team: { spent: number | null; limit: number | null } | undefined;
    if (typeof info.team_id === 'string' && info.team_id) {
      const t = (await getJson(`${root(baseUrl)}/team/info?team_id=${encodeURIComponent(info.team_id)}`, key, timeoutMs)) as { team_info?: { spend?: unknown; max_budget?: unknown } };
      team = { spent: num(t?.team_info?.spend), limit: num(t?.team_info?.max_budget) };
    }
    const left = (b: { spent: number | null; limit: number | null }) => (b.limit === null ? null : Math.max(0, b.limit - (b.spent ?? 0)));
    const ownLeft = left(own);
    const teamLeft = team ? left(team) : null;
    const teamBinds = teamLeft !== null && (ownLeft === null || teamLeft <= ownLeft);
    const binding = teamBinds ? team! : own;
    return { ok: true, budget: { remainingUsd: teamBinds ? teamLeft : ownLeft, spentUsd: binding.spent, limitUsd: binding.limit, scope: teamBinds ? 'team' : 'key' } };
  } catch (err) {
    const why = err instanceof Error ? (err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : err.message) : String(err);
    return { ok: false, message: `the gateway's budget could not be read (${why})` };
  }
}
