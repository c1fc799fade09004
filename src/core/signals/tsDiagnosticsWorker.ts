/**
 * Child process: the workspace's TypeScript language service for a headless host's diagnostics
 * (see tsDiagnosticsService.ts). A process rather than a thread, so that when it ends every byte
 * of the program's memory goes back to the system.
 */
import { serveRequests } from '../idleChild';
import { TsDiagnostics } from './tsDiagnostics';
import { UNTRUSTED } from '../verify/tsProject';
import type { DiagnosticsRequest } from './tsDiagnosticsService';

const diagnostics = new TsDiagnostics(process.argv[2] ?? process.cwd(), process.argv[3] !== UNTRUSTED);
serveRequests<DiagnosticsRequest & { id: number }>((req) => (req.op === 'all' ? diagnostics.all() : req.op === 'file' ? diagnostics.file(req.file) : diagnostics.unavailable()));
