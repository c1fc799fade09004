#!/usr/bin/env node
/**
 * `nightshift`: the headless host. Takes the keys out of its environment before anything runs
 * (core/keyHandover.ts), parses the command line, builds the settings, and runs one command;
 * every command's logic lives in its own module, and the engine in src/core.
 */
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { holdKeys } from '../core/keyHandover';
import { parseArgs } from './args';
import { settingFlags, userConfigFile } from './cliSettings';
import { EventLog } from './eventLog';
import { failureExit } from './failure';
import { EXIT, HELP } from './help';
import { budgetCommand, policyCommand, statusCommand } from './infoCommands';
import { proposalsCommand } from './proposalsCommand';
import { scanCommand } from './scanCommand';
import { serviceCommand } from './serviceCommand';
import { trustCommand } from './trust';
import type { ReportFormat } from './reportFormats';
import { watchCommand } from './watchCommand';

/** The extension's manifest, beside the bundle (dist/cli.js → package.json): the version. */
function manifest(): { version: string } {
  for (const candidate of [path.join(__dirname, '..', 'package.json'), path.join(__dirname, '..', '..', '..', 'package.json')]) {
    try {
      const json = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (json.name === 'nightshift') return { version: json.version ?? '0.0.0' };
    } catch {
      // Try the next place.
    }
  }
  return { version: '0.0.0' };
}

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
const err = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);

/**
 * `env` must hold no key: the keys come in `keys` (variable → key), taken out of the environment
 * at start, so that nothing this process starts can find one.
 */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, keys: Readonly<Record<string, string>> = {}, keyNotes: readonly string[] = []): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    out(manifest().version);
    return EXIT.none;
  }
  const parsed = parseArgs(argv);
  if ('error' in parsed) {
    err(`${parsed.error}\n\n${HELP.main}`);
    return EXIT.usage;
  }
  const { command, positional, options } = parsed;
  if (!command || command === 'help' || (command === undefined && options.has('help'))) {
    out(HELP[positional[0] ?? 'main'] ?? HELP.main);
    return command ? EXIT.none : options.has('help') ? EXIT.none : EXIT.usage;
  }
  if (options.has('help')) {
    if (!HELP[command]) {
      err(`Unknown command "${command}".\n\n${HELP.main}`);
      return EXIT.usage;
    }
    out(HELP[command]);
    return EXIT.none;
  }
  if (command === '--version' || command === 'version') {
    out(manifest().version);
    return EXIT.none;
  }
  const { version } = manifest();
  const flags = settingFlags(parsed.settings);
  const json = options.has('json');
  // A report on stdout keeps it clean: events go to stderr for scan, and for the others too.
  const log = new EventLog({ json, quiet: options.has('quiet'), verbose: options.has('verbose'), write: err });
  for (const note of keyNotes) log.emit('message', note, {}, 'warning');
  const workspace = (options.get('workspace') as string | undefined) ?? process.cwd();
  // A folder that is not there (a typo in a CI path) is a usage error, never a clean scan.
  const named = command === 'proposals' ? workspace : (positional[0] ?? workspace);
  if (['watch', 'scan', 'proposals', 'budget', 'policy', 'status'].includes(command) && !isFolder(named)) {
    err(`${path.resolve(named)} is not a folder: name the workspace to ${command === 'proposals' ? 'work on with --workspace' : command}.`);
    return EXIT.usage;
  }
  switch (command) {
    case 'watch': {
      const stopped = new Promise<string>((resolve) => {
        const stop = (signal: string) => {
          resolve(signal === 'SIGINT' ? 'Interrupted' : 'Terminated');
          // A second signal while stopping: leave at once.
          process.once(signal, () => process.exit(130));
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      return watchCommand({ folder: positional[0] ?? workspace, flags, log, env, keys, stopped, trust: options.has('trust'), service: options.has('service') });
    }
    case 'scan': {
      const format = ((options.get('format') as string | undefined) ?? 'json') as ReportFormat;
      if (!['json', 'sarif', 'patch'].includes(format)) {
        err(`--format must be json, sarif or patch, not "${format}".`);
        return EXIT.usage;
      }
      return scanCommand({ folder: positional[0] ?? workspace, format, output: options.get('output') as string | undefined, flags, log, env, keys, version, trust: options.has('trust'), stdout: (t) => process.stdout.write(t) });
    }
    case 'proposals':
      return proposalsCommand({ action: positional[0] ?? 'list', id: positional[1], folder: workspace, json, reason: options.get('reason') as string | undefined, flags, log, env, out, err });
    case 'budget':
      return budgetCommand({ folder: positional[0] ?? workspace, json, flags, log, env, keys, out });
    case 'policy':
      return policyCommand({ folder: positional[0] ?? workspace, json, flags, log, env, keys, out });
    case 'status':
      return statusCommand({ folder: positional[0] ?? workspace, json, flags, log, env, keys, out });
    case 'service':
      // The service reads your config file, as watch does: a setting given here would be lost.
      if (Object.keys(flags.settings).length > 0) {
        err(
          `nightshift service takes no setting flags (${Object.keys(flags.settings)
            .map((k) => `--${k}`)
            .join(', ')}): the service reads your config file, as watch does. Put them in ${userConfigFile(env)}, then install.`,
        );
        return EXIT.usage;
      }
      return serviceCommand({ action: positional[0] ?? 'status', folder: positional[1] ?? workspace, dryRun: options.has('dry-run'), keyFile: options.get('key-file') as string | undefined, env, out, err });
    case 'trust':
    case 'untrust':
      return trustCommand({ folder: positional[0] ?? workspace, trust: command === 'trust', env, out, err });
    default:
      err(`Unknown command "${command}".\n\n${HELP.main}`);
      return EXIT.usage;
  }
}

if (require.main === module) {
  // First of all: no key may stay in this process's environment, nor reach anything it starts.
  const held = holdKeys(process.env);
  main(process.argv.slice(2), process.env, held.keys, held.notes).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const failed = failureExit(e, process.env);
      err(failed.message);
      process.exitCode = failed.code;
    },
  );
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
