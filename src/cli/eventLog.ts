/**
 * What the headless host prints: one line per event, readable (`12:04:31 proposal  src/a.ts …`)
 * or, with --json, one JSON object per line for machines. --quiet keeps proposals, warnings and
 * errors; --verbose adds the engine's log. Lines go to stderr when stdout carries a report.
 */
export type EventKind = 'start' | 'status' | 'proposal' | 'change' | 'diagnostics' | 'message' | 'log' | 'stop';

export interface EventLogOptions {
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  write: (line: string) => void;
  now?: () => Date;
}

const LOUD: ReadonlySet<EventKind> = new Set(['proposal', 'stop']);

export class EventLog {
  constructor(private readonly options: EventLogOptions) {}

  emit(event: EventKind, text: string, data: Record<string, unknown> = {}, level: 'info' | 'warning' | 'error' = 'info'): void {
    const { json, quiet, verbose } = this.options;
    if (event === 'log' && !verbose && level === 'info') return;
    if (quiet && level === 'info' && !LOUD.has(event)) return;
    const at = (this.options.now ?? (() => new Date()))();
    if (json) {
      this.options.write(JSON.stringify({ at: at.toISOString(), event, level, text, ...data }));
    } else {
      const mark = level === 'error' ? 'error   ' : level === 'warning' ? 'warning ' : '';
      this.options.write(`${at.toTimeString().slice(0, 8)} ${event.padEnd(11)} ${mark}${text}`);
    }
  }
}
