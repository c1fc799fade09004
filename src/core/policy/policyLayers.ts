/**
 * Finds and reads the policy layers: the organisation's (a file path, or an https URL fetched with
 * a timeout, its last good copy cached and used — saying so — when it cannot be reached) and the
 * repository's `.nightshift/policy.json`. A layer that is configured but cannot be read is a layer
 * with a problem, never a missing layer.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { isLoopbackUrl } from '../providers/backends';
import { readIfPresent, writeJsonAtomically } from '../stateFile';
import type { PolicyLayer } from './effectivePolicy';
import { parsePolicy, type ParsedPolicy } from './policyFile';

export const REPO_POLICY = path.join('.nightshift', 'policy.json');
const FETCH_TIMEOUT_MS = 5000;
/** A policy is a page of JSON; anything this big is not one (and is not read whole). */
export const MAX_POLICY_BYTES = 256 * 1024;

export interface PolicyLocations {
  /** The workspace's folders: each one's `.nightshift/policy.json` is a repository layer. */
  folders: readonly string[];
  /** nightshift.organizationPolicy or NIGHTSHIFT_ORG_POLICY: a path or an https URL. */
  organisation: string | undefined;
  /** Where the organisation policy's last good copy is kept. */
  stateDir: string;
  fetchTimeoutMs?: number;
}

const broken = (file: string, problem: string): ParsedPolicy => ({ file, policy: undefined, problems: [`${file}: ${problem}`], lineOf: () => undefined });

/**
 * A policy file on disk: its text, undefined when there is none, or why it cannot be used. Only a
 * missing file is no policy: one that is there but unreadable, a folder, a dangling link or too big
 * is a broken layer — never a silent absence.
 */
function readPolicyFile(file: string, retried = false): { text: string } | { problem: string } | undefined {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return { problem: 'is not a file' };
    if (stat.size > MAX_POLICY_BYTES) return { problem: `is ${Math.round(stat.size / 1024)} KB; a policy file may be at most ${MAX_POLICY_BYTES / 1024} KB` };
    return { text: readFileSync(file, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      let link;
      try {
        link = lstatSync(file);
      } catch {
        return undefined;
      }
      // Not a link: the file was written between the two looks (a policy being saved); read it again.
      if (!link.isSymbolicLink()) return retried ? undefined : readPolicyFile(file, true);
      return { problem: 'is a link to nothing' };
    }
    return { problem: `cannot be read (${code ?? 'error'})` };
  }
}

async function organisationLayer(where: string, loc: PolicyLocations, notes: string[]): Promise<ParsedPolicy> {
  if (!/^[a-z]+:\/\//i.test(where)) {
    const read = readPolicyFile(where);
    if (!read) return broken(where, 'the organisation policy file does not exist');
    return 'text' in read ? parsePolicy({ file: where, text: read.text }) : broken(where, `the organisation policy file ${read.problem}`);
  }
  if (!/^https:\/\//i.test(where) && !isLoopbackUrl(where)) return broken(where, 'an organisation policy URL must be https');
  const cacheFile = path.join(loc.stateDir, 'policy-cache', `${createHash('sha256').update(where).digest('hex').slice(0, 16)}.json`);
  try {
    const res = await fetch(where, { signal: AbortSignal.timeout(loc.fetchTimeoutMs ?? FETCH_TIMEOUT_MS), redirect: 'error' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    if (Number(res.headers.get('content-length') ?? 0) > MAX_POLICY_BYTES) throw new Error(`the answer is over ${MAX_POLICY_BYTES / 1024} KB`);
    const text = await res.text();
    if (text.length > MAX_POLICY_BYTES) throw new Error(`the answer is over ${MAX_POLICY_BYTES / 1024} KB`);
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
  for (const folder of loc.folders) {
    // One folder: ".nightshift/policy.json"; several: each named by its folder.
    const shown = [...(loc.folders.length > 1 ? [path.basename(folder)] : []), ...REPO_POLICY.split(path.sep)].join('/');
    const read = readPolicyFile(path.join(folder, REPO_POLICY));
    if (read) layers.push({ layer: 'repository', parsed: 'text' in read ? parsePolicy({ file: shown, text: read.text }) : broken(shown, `the policy file ${read.problem}`) });
  }
  return { layers, notes };
}
