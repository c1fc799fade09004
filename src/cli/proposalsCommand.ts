/**
 * `nightshift proposals`: what waits in a workspace, and the decisions on it. Reading needs no
 * engine (the store is written whole, atomically); a decision goes to the engine that holds the
 * workspace — a watch daemon over its socket — or, when none does, to one started for it.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { DecideProposalRequest } from '../shared/agentProtocol';
import { evidenceKey, evidenceLine, evidenceOf } from '../shared/evidence';
import type { Proposal } from '../shared/types';
import { claimWorkspace, describeHolder, engineHolder } from '../core/engine/engineLock';
import { applyProposalToDisk } from '../core/proposals/applyToDisk';
import { ProposalStore } from '../core/proposals/ProposalStore';
import { stillWaits } from '../core/proposals/appliedOnDisk';
import { userStateDir, workspaceStateDir } from '../core/stateDirs';
import { formatUsd } from '../shared/format';
import type { LoadedSettings } from './cliSettings';
import { connectDaemon } from './daemonClient';
import type { EventLog } from './eventLog';
import { openHeadless } from './headless';
import { EXIT } from './help';
import { openProposals } from './scanCommand';

export interface ProposalsOptions {
  action: string;
  id: string | undefined;
  folder: string;
  json: boolean;
  reason: string | undefined;
  flags: LoadedSettings;
  log: EventLog;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

function line(p: Proposal): string {
  const files = p.files.map((f) => f.relativePath).join(', ');
  return `${p.id.slice(0, 8)}  ${p.kind.padEnd(8)} ${evidenceOf(p.check).padEnd(18)} ${(p.costUsd === null ? 'cost ?' : formatUsd(p.costUsd)).padEnd(9)} ${files}: ${p.title}`;
}

export async function proposalsCommand(o: ProposalsOptions): Promise<number> {
  const folder = path.resolve(o.folder);
  const dir = workspaceStateDir(userStateDir(o.env), folder);
  const holder = engineHolder(dir);
  const daemon = holder?.socket ? await connectDaemon(holder.socket, undefined, 'proposals').catch((e: Error) => (o.err(e.message), undefined)) : undefined;
  try {
    // Listed with no engine running, the store is read as it was left: a proposal whose file changed since waits no more, as the next engine will judge it (apply still names why it refuses one).
    const kept = daemon ? daemon.proposals : new ProposalStore(path.join(dir, 'proposals.json'), o.err).list();
    const stored = daemon || o.action !== 'list' ? kept : await filterAsync(kept, (p) => stillWaits(p, readText));
    const list = openProposals(stored, new Date());
    if (o.action === 'list') {
      if (o.json)
        o.out(
          JSON.stringify(
            list.map((p) => ({ id: p.id, kind: p.kind, title: p.title, evidence: evidenceKey(p.check), costUsd: p.costUsd, files: p.files.map((f) => f.relativePath) })),
            null,
            2,
          ),
        );
      else o.out(list.length === 0 ? `No proposals wait in ${folder}.` : list.map(line).join('\n'));
      return EXIT.none;
    }
    if (!o.id) {
      o.err(`nightshift proposals ${o.action} needs a proposal ID (see nightshift proposals list).`);
      return EXIT.usage;
    }
    const matches = list.filter((p) => p.id.startsWith(o.id!));
    if (matches.length !== 1) {
      o.err(matches.length === 0 ? `No open proposal has the ID ${o.id}.` : `${o.id} names ${matches.length} proposals; give more of the ID.`);
      return EXIT.usage;
    }
    const proposal = matches[0];
    if (o.action === 'show') {
      o.out(o.json ? JSON.stringify(proposal, null, 2) : `${line(proposal)}\n${proposal.rationale}\nCheck: ${evidenceLine(proposal.check)}\n\n${proposal.files.map((f) => f.diff).join('\n')}`);
      return EXIT.none;
    }
    if (o.action !== 'apply' && o.action !== 'reject') {
      o.err(`Unknown action "${o.action}": use list, show, apply or reject.`);
      return EXIT.usage;
    }
    if (holder && !daemon) {
      o.err(`${describeHolder(holder)} works on this workspace: ${o.action === 'apply' ? 'accept' : 'reject'} the proposal there.`);
      return EXIT.busy;
    }
    let applied = true;
    if (o.action === 'apply') {
      const done = applyProposalToDisk(folder, proposal);
      if (!done.ok) {
        o.err(`Not applied: ${done.reason}.`);
        applied = false;
      } else {
        o.out(`Applied to ${done.files.join(', ')}.`);
      }
    }
    const params = { id: proposal.id, decision: o.action === 'apply' ? ('accept' as const) : ('reject' as const), applied, reason: o.reason };
    if (daemon) {
      const answer = await daemon.rpc.request(DecideProposalRequest, params);
      if (!answer.ok && answer.reason) o.err(`The daemon did not book it as decided: ${answer.reason}.`);
    } else {
      const h = openHeadless({ folder, flags: o.flags, log: o.log, env: o.env });
      const claim = await claimWorkspace(h.workspaceStateDir, { host: 'scan' }, o.err);
      if (!claim.ok) {
        o.err(`${describeHolder(claim.holder)} started working on this workspace; decide there.`);
        return EXIT.busy;
      }
      try {
        await h.engine.start();
        await h.engine.agent.decide(params);
      } finally {
        await h.engine.dispose();
        await claim.release();
      }
    }
    if (o.action === 'reject') o.out(`Rejected ${proposal.id.slice(0, 8)}: ${proposal.title}.`);
    return applied ? EXIT.none : EXIT.incomplete;
  } finally {
    daemon?.close();
  }
}

/** A file's text by URI, undefined when it cannot be read. */
async function readText(uri: string): Promise<string | undefined> {
  try {
    return await readFile(new URL(uri), 'utf8');
  } catch {
    return undefined;
  }
}

async function filterAsync<T>(list: readonly T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const kept = await Promise.all(list.map(keep));
  return list.filter((_, i) => kept[i]);
}
