/**
 * Builds the money side of the server: the user's spend ledger in their state folder, the
 * governor loaded with this budget year's spend from it, and the accountant that books calls.
 */
import * as path from 'node:path';
import { BudgetGovernor, DEFAULT_BUDGET } from '../core/budget/BudgetGovernor';
import { budgetYearAt } from '../core/budget/budgetYear';
import { SpendAccountant } from '../core/budget/SpendAccountant';
import { SpendLedger } from '../core/budget/SpendLedger';
import type { BudgetSettings } from '../core/budget/BudgetGovernor';

export interface Spend {
  ledger: SpendLedger;
  governor: BudgetGovernor;
  accountant: SpendAccountant;
  /** Re-reads this budget year's spend from the ledger; returns sentences about bad lines. */
  reload(settings: BudgetSettings): string[];
}

export function createSpend(stateDir: string, workspace: string, hasLocalBackend: () => boolean): Spend {
  const ledger = new SpendLedger(path.join(stateDir, 'ledger'));
  const governor = new BudgetGovernor(DEFAULT_BUDGET, () => Date.now(), hasLocalBackend);
  const accountant = new SpendAccountant(governor, ledger, workspace);
  return {
    ledger,
    governor,
    accountant,
    reload(settings) {
      governor.updateSettings(settings);
      const year = budgetYearAt(Date.now(), settings.startMonth);
      const { aggregate, problems } = ledger.summarize(new Date(year.start).toISOString().slice(0, 7));
      governor.loadSpend(aggregate.days);
      return problems.map((p) =>
        p.kind === 'torn'
          ? `The spend ledger's last line in ${p.file} (line ${p.line}) was cut short, probably by a crash; it was skipped.`
          : `Line ${p.line} of the spend ledger ${p.file} is not a valid entry; it was skipped.`,
      );
    },
  };
}
