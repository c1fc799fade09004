/**
 * Finds and reads the policy layers: the organisation's (a file path, or an https URL fetched with
 * a timeout, its last good copy cached and used — saying so — when it cannot be reached) and the
 * repository's `.nightshift/policy.json`. A layer that is configured but cannot be read is a layer
 * with a problem, never a missing layer.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isLoopbackUrl } from '../providers/backends';
import { readIfPresent, writeJsonAtomically } from '../stateFile';
import type { PolicyLayer } from './effectivePolicy';
import { parsePolicy, type ParsedPolicy } from './policyFile';

export const REPO_POLICY = path.join('.nightshift', 'policy.json');
const FETCH_TIMEOUT_MS = 5000;

export interface PolicyLocations {
  /** The workspace's first folder. */
  folder: string | undefined;
  /** nightshift.organizationPolicy or NIGHTSHIFT_ORG_POLICY: a path or an https URL. */
  organisation: string | undefined;
  /** Where the organisation policy's last good copy is kept. */
  stateDir: string;
  fetchTimeoutMs?: number;
}

const broken = (file: string, problem: string): ParsedPolicy => ({ file, policy: undefined, problems: [`${file}: ${problem}`], lineOf: () => undefined });

async function organisationLayer(where: string, loc: PolicyLocations, notes: string[]): Promise<ParsedPolicy> {
  if (!/^[a-z]+:\/\//i.test(where)) {
    try {
      return parsePolicy({ file: where, text: readFileSync(where, 'utf8') });
    } catch {
      return broken(where, 'the organisation policy file cannot be read');
    }
  }
  if (!/^https:\/\//i.test(where) && !isLoopbackUrl(where)) return broken(where, 'an organisation policy URL must be https');
  const cacheFile = path.join(loc.stateDir, 'policy-cache', `${createHash('sha256').update(where).digest('hex').slice(0, 16)}.json`);
  try {
    const res = await fetch(where, { signal: AbortSignal.timeout(loc.fetchTimeoutMs ?? FETCH_TIMEOUT_MS), redirect: 'error' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const text = await res.text();
    const parsed = parsePolicy({ file: where, text });
    // Only a good copy replaces the last good one.
    if (parsed.policy) writeJsonAtomically(cacheFile, { url: where, fetchedAt: new Date().toISOString(), text });
    return parsed;
  } catch (err) {
    const why = err instanceof Error ? (err.name === 'TimeoutError' ? `no answer within ${(loc.fetchTimeoutMs ?? FETCH_TIMEOUT_MS) / 1000} s` : err.message) : String(err);
    const cached = readIfPresent(cacheFile);
    if (cached) {
      try {
        const { fetchedAt, text } = JSON.parse(cached) as { fetchedAt: string; text: string };
        notes.push(`The organisation policy at ${where} could not be fetched (${why}); using the copy fetched ${fetchedAt.slice(0, 16).replace('T', ' ')} UTC.`);
        return parsePolicy({ file: where, text });
      } catch {
        // A broken cache is no copy.
      }
    }
    return broken(where, `the organisation policy could not be fetched (${why}) and no earlier copy is kept`);
  }
}

export async function loadPolicyLayers(loc: PolicyLocations): Promise<{ layers: PolicyLayer[]; notes: string[] }> {
  const notes: string[] = [];
  const layers: PolicyLayer[] = [];
  if (loc.organisation?.trim()) layers.push({ layer: 'organisation', parsed: await organisationLayer(loc.organisation.trim(), loc, notes) });
  if (loc.folder) {
    const text = readIfPresent(path.join(loc.folder, REPO_POLICY));
    if (text !== undefined) layers.push({ layer: 'repository', parsed: parsePolicy({ file: REPO_POLICY.split(path.sep).join('/'), text }) });
  }
  return { layers, notes };
}
