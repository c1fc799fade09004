/**
 * The command line: `nightshift <command> [positional…] [--flag value…]`. Flags the CLI knows are
 * its own; any other `--name value` is a setting (the VS Code setting's name without `nightshift.`).
 */
export interface ParsedArgs {
  command: string | undefined;
  positional: string[];
  /** The CLI's own flags. */
  options: Map<string, string | true>;
  /** Setting flags, in order. */
  settings: Array<[string, string]>;
}

/** Flags that take no value. */
const SWITCHES = new Set(['json', 'quiet', 'verbose', 'help', 'once', 'yes', 'trust', 'service', 'dry-run']);
/** Flags of the CLI that take a value. */
const VALUED = new Set(['format', 'output', 'workspace', 'reason', 'key-file']);

export function parseArgs(argv: readonly string[]): ParsedArgs | { error: string } {
  const out: ParsedArgs = { command: undefined, positional: [], options: new Map(), settings: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h') {
      out.options.set('help', true);
    } else if (arg === '-q') {
      out.options.set('quiet', true);
    } else if (arg === '-o' || arg === '-f') {
      const value = argv[++i];
      if (value === undefined) return { error: `${arg} needs a value.` };
      out.options.set(arg === '-o' ? 'output' : 'format', value);
    } else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const inline = eq < 0 ? undefined : arg.slice(eq + 1);
      if (SWITCHES.has(name)) {
        out.options.set(name, true);
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined) return { error: `--${name} needs a value.` };
      if (VALUED.has(name)) out.options.set(name, value);
      else out.settings.push([name, value]);
    } else if (out.command === undefined) {
      out.command = arg;
    } else {
      out.positional.push(arg);
    }
  }
  return out;
}
