/**
 * A child process for the ledger's crash and concurrency tests: appends `count` entries and
 * prints each task id once its append has returned (that is, once it is on disk).
 */
import { SpendLedger } from '../../../../src/core/budget/SpendLedger';
import { entry } from '../../../unit/core/budget/ledgerFixtures';

async function main(): Promise<void> {
  const [dir, prefix, countArg] = process.argv.slice(2);
  const ledger = new SpendLedger(dir);
  for (let i = 0; i < Number(countArg); i++) {
    const taskId = `${prefix}-${i}`;
    await ledger.append(entry({ taskId, workspace: `/ws/${'x'.repeat(i % 300)}` }));
    process.stdout.write(`${taskId}\n`);
  }
  await ledger.close();
}

void main();
