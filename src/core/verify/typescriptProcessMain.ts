/**
 * Child process: the workspace's TypeScript checks and compiler fixes for one folder (see
 * TypeScriptProcess.ts). It ends when its host lets it go or goes away.
 */
import { serveRequests } from '../idleChild';
import type { TypeScriptRequest } from './TypeScriptProcess';
import { TypeScriptVerifier } from './TypeScriptVerifier';
import { UNTRUSTED } from './tsProject';

// The process itself is let go when idle: its language services need no release of their own.
const verifier = new TypeScriptVerifier(process.argv[2] ?? process.cwd(), Number.POSITIVE_INFINITY, process.argv[3] !== UNTRUSTED);
serveRequests<TypeScriptRequest & { id: number }>((req) => (req.op === 'verify' ? verifier.verify(req.request) : verifier.fixes(req.filePath, req.text, req.target)));
