/**
 * A key goes only to the backend it belongs to. A stored key remembers the base URL it was given
 * for (the editor stores it beside the key; the headless host knows it from the variable's name);
 * it is sent only to that server (same scheme, host and port). A key given for no known server
 * (one stored before keys remembered theirs, or the catch-all NIGHTSHIFT_API_KEY) is never sent to
 * a server on this machine, which the README says needs none — a MiniMax key must not reach
 * whatever listens on a local port because nightshift.baseUrl was pointed there.
 */
import { DEFAULT_PROFILE_NAME } from '../../shared/agentProtocol';
import { BACKENDS, inferBackendKind, isLoopbackUrl, type BackendKind } from './backends';

export interface StoredKey {
  key: string;
  /** The base URL of the backend the key was given for, when known. */
  for?: string;
}

/** Where a key would be sent. */
export interface KeyTarget {
  baseUrl: string;
  /** On this machine (free, no key needed). */
  local: boolean;
}

function origin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/** The key to send to `target`, or null: none stored, or the stored one belongs elsewhere. */
export function keyForBackend(stored: string | StoredKey | null, target: KeyTarget): string | null {
  if (stored === null) return null;
  const { key, for: givenFor } = typeof stored === 'string' ? { key: stored, for: undefined } : stored;
  if (givenFor !== undefined) return origin(givenFor) !== undefined && origin(givenFor) === origin(target.baseUrl) ? key : null;
  return target.local ? null : key;
}

/** Whether a server counts as on this machine: the profile's own `local`, else by its kind (a loopback URL of no known kind is). */
export function isLocalBackend(kind: BackendKind, baseUrl: string, local?: boolean): boolean {
  return local ?? (kind === 'custom' ? isLoopbackUrl(baseUrl) : BACKENDS[kind].local);
}

/**
 * A profile's backend read leniently from raw settings (`nightshift.baseUrl`, `nightshift.profiles`),
 * for hosts that store or hand over keys without the engine's validation; undefined when the
 * profile is not there.
 */
export function profileTarget(name: string, settings: { baseUrl?: unknown; profiles?: unknown }): KeyTarget | undefined {
  if (name === DEFAULT_PROFILE_NAME) {
    const baseUrl = typeof settings.baseUrl === 'string' && settings.baseUrl.trim() ? settings.baseUrl.trim() : BACKENDS.minimax.baseUrl;
    return { baseUrl, local: isLocalBackend(inferBackendKind(baseUrl), baseUrl) };
  }
  const raw = Array.isArray(settings.profiles) ? (settings.profiles as unknown[]).find((p) => (p as { name?: unknown })?.name === name) : undefined;
  if (!raw || typeof raw !== 'object') return undefined;
  const p = raw as { baseUrl?: unknown; backend?: unknown; local?: unknown };
  const named = typeof p.backend === 'string' && p.backend in BACKENDS ? (p.backend as BackendKind) : undefined;
  const baseUrl = typeof p.baseUrl === 'string' ? p.baseUrl : BACKENDS[named ?? 'minimax'].baseUrl;
  const kind = named ?? (typeof p.baseUrl === 'string' ? inferBackendKind(baseUrl) : 'minimax');
  return { baseUrl, local: isLocalBackend(kind, baseUrl, typeof p.local === 'boolean' ? p.local : undefined) };
}
