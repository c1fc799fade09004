/** `nightshift budget`, `policy` and `status`: read-only views of the shared ledger, the rules in force (each with who set it) and the workspace. */
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
import { trustName } from './trust';
import { describePythonSetup } from '../core/verify/python/pythonSetup';

export interface InfoOptions {
  folder: string;
  json: boolean;
  flags: LoadedSettings;
  log: EventLog;
  env: NodeJS.ProcessEnv;
  /** The keys taken at start (the team gateway's budget is read with one). */
  keys?: Readonly<Record<string, string>>;
  out: (text: string) => void;
}

async function report(o: InfoOptions): Promise<{ report: BudgetReport; workspaceStateDir: string; typeCheckedCounts: boolean; trusted: boolean; pythonInterpreter?: string }> {
  const h = openHeadless({ folder: o.folder, flags: o.flags, log: o.log, env: o.env, keys: o.keys });
  try {
    // The budget in force: the user's settings under the team policy, each limit with who set it.
    await h.engine.readSettings();
    await h.engine.refreshGateway();
    const python = h.settings().pythonInterpreter;
    return {
      report: await h.engine.budgetReport(),
      workspaceStateDir: h.workspaceStateDir,
      typeCheckedCounts: h.settings().typeCheckedCounts === true,
      trusted: h.trusted,
      ...(typeof python === 'string' && python.trim() ? { pythonInterpreter: python } : {}),
    };
  } finally {
    await h.engine.dispose();
  }
}

export async function budgetCommand(o: InfoOptions): Promise<number> {
  const { report: r } = await report(o);
  if (o.json) {
    o.out(JSON.stringify(r, null, 2));
    return EXIT.none;
  }
  const limits = (r.policy ?? []).filter((row) => row.rule.startsWith('budget: ')).map((row) => `  ${row.rule.slice('budget: '.length)}: ${row.value} — ${row.setBy}`);
  o.out([...budgetReportLines(r), ...(limits.length ? ['Limits in force:', ...limits] : [])].join('\n'));
  return EXIT.none;
}

/** `nightshift policy`: each rule's effective value and the layer that set it; exit 3 when a layer cannot be used. */
export async function policyCommand(o: InfoOptions): Promise<number> {
  const h = openHeadless({ folder: o.folder, flags: o.flags, log: o.log, env: o.env, keys: o.keys });
  try {
    await h.engine.readSettings();
    const policy = h.engine.policy();
    const rows = describePolicy(policy);
    if (o.json) o.out(JSON.stringify({ broken: policy.broken, problems: policy.problems, refused: policy.refused, rules: rows }, null, 2));
    else {
      const width = Math.max(...rows.map((r) => r.rule.length));
      o.out([...rows.map((r) => `${r.rule.padEnd(width)}  ${r.value}  — ${r.setBy}`), ...policy.problems.map((p) => `problem: ${p}`), ...policy.refused.map((r) => `refused: ${r}`)].join('\n'));
    }
    return policy.broken ? EXIT.incomplete : EXIT.none;
  } finally {
    await h.engine.dispose();
  }
}

export async function statusCommand(o: InfoOptions): Promise<number> {
  const { report: r, workspaceStateDir, typeCheckedCounts, trusted, pythonInterpreter } = await report(o);
  const holder = engineHolder(workspaceStateDir);
  const waiting = openProposals(new ProposalStore(path.join(workspaceStateDir, 'proposals.json')).list(), new Date());
  const status = {
    workspace: path.resolve(o.folder),
    // The user's word (nightshift trust, or --trust): only then do the repository's tests and check commands run.
    trusted,
    engine: holder ? { host: holder.host, pid: holder.pid, since: holder.startedAt, socket: holder.socket } : null,
    proposalsWaiting: waiting.length,
    // Tested, or type-checked where that counts (countsAsChecked): the badge's count.
    checkedWaiting: waiting.filter((p) => countsAsChecked(p.check, typeCheckedCounts)).length,
    spentTodayUsd: r.spentTodayUsd,
    step: r.step,
  };
  // A folder holding Python: which interpreter the checks use, what found it, and what checks with it.
  const python = describePythonSetup(path.resolve(o.folder), { ...(pythonInterpreter ? { configured: pythonInterpreter } : {}), configuredFrom: 'pythonInterpreter', trusted });
  if (o.json) o.out(JSON.stringify({ ...status, ...(python ? { python: { setup: python.label, checks: python.description } } : {}) }, null, 2));
  else
    o.out(
      `${holder ? `${describeHolder(holder)} works on ${status.workspace}.` : `No engine works on ${status.workspace} (start one with nightshift watch).`}\n` +
        `${trusted ? 'Trusted: its tests and the check commands it names may run.' : `Not trusted: none of its code runs (nightshift trust ${JSON.stringify(trustName(o.folder))} to trust it).`}\n` +
        `${status.proposalsWaiting} proposal(s) wait (${status.checkedWaiting} checked); spent today ${formatUsd(r.spentTodayUsd)}; budget ${r.step}.` +
        (python ? `\n${python.label} — ${python.description}.` : ''),
    );
  return EXIT.none;
}
