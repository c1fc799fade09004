/**
 * Finds OpenAI-compatible model servers running on this machine (Ollama, LM Studio, llama.cpp,
 * vLLM, SGLang) by asking each default port for GET /v1/models, with a short timeout. It only
 * ever asks loopback addresses.
 */
import { z } from 'zod';
import { BACKENDS, isLoopbackUrl, type BackendKind } from './backends';

export interface LocalCandidate {
  kind: BackendKind;
  label: string;
  baseUrl: string;
}

export interface DetectedServer extends LocalCandidate {
  models: string[];
}

const modelsReply = z.object({ data: z.array(z.object({ id: z.string().min(1) })) });

export const DEFAULT_CANDIDATES: LocalCandidate[] = Object.values(BACKENDS)
  .filter((b) => b.local)
  .map(({ kind, label, baseUrl }) => ({ kind, label, baseUrl }));

export interface DetectOptions {
  timeoutMs?: number;
  /** The HTTP client; a seam for tests. */
  fetch?: typeof fetch;
}

export async function detectLocalServers(candidates: readonly LocalCandidate[] = DEFAULT_CANDIDATES, { timeoutMs = 500, fetch: get = fetch }: DetectOptions = {}): Promise<DetectedServer[]> {
  const probes = candidates.filter((c) => isLoopbackUrl(c.baseUrl)).map((c) => probe(c, timeoutMs, get));
  return (await Promise.all(probes)).filter((s): s is DetectedServer => s !== undefined);
}

async function probe(candidate: LocalCandidate, timeoutMs: number, get: typeof fetch): Promise<DetectedServer | undefined> {
  try {
    const res = await get(`${candidate.baseUrl.replace(/\/+$/, '')}/models`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const parsed = modelsReply.safeParse(await res.json());
    if (!parsed.success) return undefined;
    return { ...candidate, models: [...new Set(parsed.data.data.map((m) => m.id))] };
  } catch {
    return undefined; // nothing listening, too slow, or not an OpenAI-compatible server
  }
}
