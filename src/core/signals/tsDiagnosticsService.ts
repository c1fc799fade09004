/**
 * TypeScript diagnostics for a host that runs all day: the language service lives in a child
 * process (see idleChild.ts), warm while files change, which ends after a spell without requests,
 * handing its memory (a program and its libraries: a few hundred MB) back to the system. The next
 * change starts it cold.
 */
import * as path from 'node:path';
import type { DiagnosticInfo } from '../../shared/agentProtocol';
import { IdleChild, WARM_WHILE_WORKED_ON_MS } from '../idleChild';
import type { FileDiagnostics } from './tsDiagnostics';
import { UNTRUSTED } from '../verify/tsProject';

const WORKER_FILE = path.join(__dirname, 'tsDiagnosticsWorker.js');
/** How long the warm checker waits for the next change before it lets its memory go (idleChild.ts says why 15 minutes). */
export const TS_IDLE_MS = WARM_WHILE_WORKED_ON_MS;

export type DiagnosticsRequest = { op: 'all' } | { op: 'file'; file: string } | { op: 'unavailable' };

export class TsDiagnosticsService {
  private readonly child: IdleChild<DiagnosticsRequest>;

  /** `trusted`: whether the repository may supply its own `typescript` (workspaceTypeScript). */
  constructor(root: string, idleMs = TS_IDLE_MS, trusted = true) {
    this.child = new IdleChild(WORKER_FILE, trusted ? [root] : [root, UNTRUSTED], idleMs, 'The TypeScript diagnostics process');
  }

  all(): Promise<FileDiagnostics[]> {
    return this.child.ask({ op: 'all' }) as Promise<FileDiagnostics[]>;
  }

  file(file: string): Promise<DiagnosticInfo[] | undefined> {
    return this.child.ask({ op: 'file', file }) as Promise<DiagnosticInfo[] | undefined>;
  }

  /** Why there are no TypeScript diagnostics here, or undefined when there are. */
  unavailable(): Promise<string | undefined> {
    return this.child.ask({ op: 'unavailable' }) as Promise<string | undefined>;
  }

  /** A save: a warm process stays another idle spell. */
  touch(): void {
    this.child.touch();
  }

  /** Whether the checker is warm (its process running). */
  warm(): boolean {
    return this.child.warm();
  }

  dispose(): Promise<void> {
    return this.child.dispose();
  }
}
