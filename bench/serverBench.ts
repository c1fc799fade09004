/**
 * Runs the engine's benchmarks (providers, budget, ledger) and prints their rows as JSON. bench/run.ts starts it with the
 * Node that VS Code's extension host uses (22+; here the test environment's Node 24), since the
 * agent server runs there, not on the machine's own Node.
 */
import { ledgerSpeed, simulatedYears } from './budgetBench';
import * as path from 'node:path';
import { contextSize } from './contextBench';
import { eventStorm, pipelineOverhead } from './engineBench';
import { idleServer } from './idleBench';
import { redactionThroughput, secretCorpusRows } from './privacyBench';
import { shadowCheck } from './verifyBench';
import { providerOverhead, usageThroughput } from './providerBench';
import { sharedBudget } from './sharedBudgetBench';
import { faults } from './faultBench';
import { watchHost } from './watchBench';
import { policyCost } from './policyBench';

async function main(): Promise<void> {
  const rows = [
    ...policyCost(),
    ...(await providerOverhead()),
    ...usageThroughput(),
    ...(await simulatedYears()),
    ...(await ledgerSpeed()),
    ...(await sharedBudget()),
    ...(await faults()),
    ...redactionThroughput(),
    ...secretCorpusRows(),
    ...(await shadowCheck(path.resolve(__dirname, '..', '..'))),
    ...(await eventStorm()),
    ...(await pipelineOverhead()),
    ...(await contextSize(path.resolve(__dirname, '..', '..'))),
    ...(await idleServer(process.execPath, path.resolve(__dirname, '..', '..'))),
    ...(await watchHost(process.execPath, path.resolve(__dirname, '..', '..'))),
  ];
  process.stdout.write(JSON.stringify({ node: process.version, rows }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
