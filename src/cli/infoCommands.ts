/** `nightshift budget` and `nightshift status`: read-only views of the shared ledger and the workspace. */
import * as path from 'node:path';
import { describeHolder, engineHolder } from '../core/engine/engineLock';
import { ProposalStore } from '../core/proposals/ProposalStore';
import { countsAsChecked } from '../shared/evidence';
import { formatUsd } from '../shared/format';
import type { BudgetReport } from '../shared/types';
import { budgetReportLines } from '../core/budget/budgetReportLines';
import type { LoadedSettings } from './cliSettings';
import type { EventLog } from './eventLog';
import { openHeadless } from './headless';
import { EXIT } from './help';
import { openProposals } from './scanCommand';
import { describePolicy } from '../core/policy/effectivePolicy';

export interface InfoOptions {
  folder: string;
  json: boolean;
  flags: LoadedSettings;
  log: EventLog;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
}

async function report(o: InfoOptions): Promise<{ report: BudgetReport; workspaceStateDir: string; problems: string[]; typeCheckedCounts: boolean }> {
  const h = openHeadless({ folder: o.folder, flags: o.flags, log: o.log, env: o.env });
  try {
    const settings = await h.engine.config.current();
    const { problems } = await h.engine.spend.reload(settings.budget);
    await h.engine.refreshGateway();
    return { report: await h.engine.budgetReport(), workspaceStateDir: h.workspaceStateDir, problems, typeCheckedCounts: h.settings().typeCheckedCounts === true };
  } finally {
    await h.engine.spend.ledger.close();
  }
}

export async function budgetCommand(o: InfoOptions): Promise<number> {
  const { report: r, problems } = await report(o);
  if (o.json) {
    o.out(JSON.stringify(r, null, 2));
    return EXIT.none;
  }
  o.out([...budgetReportLines(r), ...problems].join('\n'));
  return EXIT.none;
}

/** `nightshift policy`: each rule's effective value and the layer that set it; exit 3 when a layer cannot be used. */
export async function policyCommand(o: InfoOptions): Promise<number> {
  const h = openHeadless({ folder: o.folder, flags: o.flags, log: o.log, env: o.env });
  try {
    await h.engine.settingsChanged();
    const policy = h.engine.policy();
    const rows = describePolicy(policy);
    if (o.json) o.out(JSON.stringify({ broken: policy.broken, problems: policy.problems, rules: rows }, null, 2));
    else {
      const width = Math.max(...rows.map((r) => r.rule.length));
      o.out([...rows.map((r) => `${r.rule.padEnd(width)}  ${r.value}  — ${r.setBy}`), ...policy.problems.map((p) => `problem: ${p}`)].join('\n'));
    }
    return policy.broken ? EXIT.incomplete : EXIT.none;
  } finally {
    await h.engine.dispose();
  }
}

export async function statusCommand(o: InfoOptions): Promise<number> {
  const { report: r, workspaceStateDir, typeCheckedCounts } = await report(o);
  const holder = engineHolder(workspaceStateDir);
  const waiting = openProposals(new ProposalStore(path.join(workspaceStateDir, 'proposals.json')).list(), new Date());
  const status = {
    workspace: path.resolve(o.folder),
    engine: holder ? { host: holder.host, pid: holder.pid, since: holder.startedAt, socket: holder.socket } : null,
    proposalsWaiting: waiting.length,
    // Tested, or type-checked where that counts (countsAsChecked): the badge's count.
    checkedWaiting: waiting.filter((p) => countsAsChecked(p.check, typeCheckedCounts)).length,
    spentTodayUsd: r.spentTodayUsd,
    step: r.step,
  };
  if (o.json) o.out(JSON.stringify(status, null, 2));
  else
    o.out(
      `${holder ? `${describeHolder(holder)} works on ${status.workspace}.` : `No engine works on ${status.workspace} (start one with nightshift watch).`}\n` +
        `${status.proposalsWaiting} proposal(s) wait (${status.checkedWaiting} checked); spent today ${formatUsd(r.spentTodayUsd)}; budget ${r.step}.`,
    );
  return EXIT.none;
}
