import { readFileSync } from 'node:fs';

/**
 * Whether a process runs (EPERM: it does, as another user's). For holders named in shared state
 * files. `started` (from `processStart` when the holder wrote its pid) tells a pid the system has
 * since given to another process from the holder itself: where both are known and differ, the
 * holder is gone.
 */
export function processAlive(pid: number, started?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (started === undefined) return true;
  const now = processStart(pid);
  return now === undefined || now === started;
}

/**
 * When a process started, as the kernel counts it (Linux: field 22 of `/proc/<pid>/stat`, clock
 * ticks since boot), so a reused pid is told from the process that wrote it; undefined where the
 * system does not say (macOS, Windows) or the process is gone.
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces or ')': count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[19];
    return start && /^\d+$/.test(start) ? start : undefined;
  } catch {
    return undefined;
  }
}
