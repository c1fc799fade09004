/**
 * Child process: the workspace's TypeScript language service for a headless host's diagnostics
 * (see tsDiagnosticsService.ts). A process rather than a thread, so that when it ends every byte
 * of the program's memory goes back to the system.
 */
import { TsDiagnostics } from './tsDiagnostics';

export type WorkerRequest = { id: number; op: 'all' } | { id: number; op: 'file'; file: string } | { id: number; op: 'unavailable' };

const diagnostics = new TsDiagnostics(process.argv[2] ?? process.cwd());
process.on('message', (req: WorkerRequest) => {
  try {
    const result = req.op === 'all' ? diagnostics.all() : req.op === 'file' ? diagnostics.file(req.file) : diagnostics.unavailable();
    process.send?.({ id: req.id, result });
  } catch (err) {
    process.send?.({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  }
});
// The host went away: so does its checker.
process.on('disconnect', () => process.exit(0));
