/**
 * Builds the money side of the server: the user's spend ledger in their state folder, the
 * governor loaded with this budget year's spend from it, and the accountant that books calls.
 */
import * as path from 'node:path';
import { BudgetGovernor, DEFAULT_BUDGET } from './BudgetGovernor';
import { budgetYearAt } from './budgetYear';
import { SpendAccountant } from './SpendAccountant';
import { SpendLedger } from './SpendLedger';
import { SharedReservations } from './sharedReservations';
import type { BudgetSettings } from './BudgetGovernor';
import { writeFileSync } from 'node:fs';
import { budgetReport } from './budgetReport';
import { ledgerToCsv, ledgerToJson } from './ledgerExport';
import type { ModelPrice } from '../providers/pricing';
import type { BudgetReport } from '../../shared/types';
import type { LedgerAggregate } from './ledgerAggregate';

export interface Spend {
  ledger: SpendLedger;
  /** The Budget view's numbers; `frontier` prices the "saved vs frontier" line. */
  report(frontier: { model: string; price: ModelPrice }): Promise<BudgetReport>;
  exportTo(format: 'csv' | 'json', file: string): { calls: number; decisions: number };
  governor: BudgetGovernor;
  accountant: SpendAccountant;
  /** Re-reads this budget year's spend from the ledger; returns its sums and sentences about bad lines. */
  reload(settings: BudgetSettings): Promise<{ aggregate: LedgerAggregate; problems: string[] }>;
}

export function createSpend(stateDir: string, workspace: string, hasLocalBackend: () => boolean): Spend {
  const ledger = new SpendLedger(path.join(stateDir, 'ledger'));
  const governor = new BudgetGovernor(DEFAULT_BUDGET, () => Date.now(), hasLocalBackend);
  let yearStartMonth = DEFAULT_BUDGET.yearStartMonth;
  const yearFromMonth = () => new Date(budgetYearAt(Date.now(), yearStartMonth).start).toISOString().slice(0, 7);
  // Every window and the headless host spend against this one ledger: reservations are shared.
  const shared = {
    reservations: new SharedReservations(ledger.dir),
    refresh: async () => governor.loadSpend((await ledger.summarize(yearFromMonth())).aggregate.days),
  };
  const accountant = new SpendAccountant(governor, ledger, workspace, undefined, shared);
  return {
    ledger,
    governor,
    accountant,
    async report(frontier) {
      const { aggregate, problems } = await ledger.summarize(yearFromMonth());
      return budgetReport(aggregate, governor.status(), Date.now(), frontier, problems.length);
    },
    exportTo(format, file) {
      const { calls, decisions } = ledger.load();
      writeFileSync(file, format === 'csv' ? ledgerToCsv(calls, decisions) : ledgerToJson(calls, decisions));
      return { calls: calls.length, decisions: decisions.length };
    },
    async reload(settings) {
      yearStartMonth = settings.yearStartMonth;
      governor.updateSettings(settings);
      // A call a process killed mid-call left reserved is booked before the sums are read.
      await accountant.bookLeftoverCalls().catch(() => undefined);
      const { aggregate, problems } = await ledger.summarize(yearFromMonth());
      governor.loadSpend(aggregate.days);
      return { aggregate, problems: problems.map((p) => (p.kind === 'torn' ? `The spend ledger's last line in ${p.file} (line ${p.line}) was cut short, probably by a crash; it was skipped.` : `Line ${p.line} of the spend ledger ${p.file} is not a valid entry; it was skipped.`)) };
    },
  };
}
