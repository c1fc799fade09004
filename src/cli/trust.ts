/**
 * Trust, headless: a repository is untrusted until its user says so — `nightshift trust [folder]`
 * (its real path in `trustedFolders` of the user's own config file) or `--trust` for one run. Only
 * the user's word counts: never a repository's file, never the environment. Writing the config
 * file keeps every other key and is atomic (a crash leaves the old file or the new one).
 */
import { chmodSync, mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readUserConfigFile, userConfigFile } from './cliSettings';
import { EXIT } from './help';

/** A folder as the user's trust names it: its absolute real path (a symbolic link is not another folder). */
export function trustName(folder: string): string {
  const absolute = path.resolve(folder);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

/** The folders the user's own config file trusts (absolute paths, as written). */
export function trustedFolders(settings: Record<string, unknown>): string[] {
  const list = settings.trustedFolders;
  return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string' && path.isAbsolute(f)).map((f) => path.resolve(f)) : [];
}

/**
 * Whether the user trusts the folder: `--trust`, or the folder's real path in their `trustedFolders`.
 * Only the checked folder is resolved: the entries are compared as written (the real path at grant).
 * Resolving an entry now would follow whatever link stands at that path today, so moving a trusted
 * folder away and putting a link in its place would hand its trust to the link's target.
 */
export function isTrusted(folder: string, env: NodeJS.ProcessEnv, flag = false): boolean {
  if (flag) return true;
  const name = trustName(folder);
  return trustedFolders(readUserConfigFile(env).settings).includes(name);
}

/** What to say at the start of a run in an untrusted folder: what does not run there, and how to trust it. */
export function untrustedNotice(folder: string): string {
  return `${folder} is not trusted, so Nightshift runs none of its code: not its tests, not the check commands its .nightshift/config.json names, not its ESLint config, not the packages in its node_modules (types are checked with Nightshift's own TypeScript, where it has one); its settings may only tighten yours. Check commands you set yourself still run. To trust it: nightshift trust ${JSON.stringify(folder)} (or --trust for one run).`;
}

export interface TrustOptions {
  folder: string;
  trust: boolean;
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: (text: string) => void;
}

/** `nightshift trust [folder]` / `nightshift untrust [folder]`. */
export function trustCommand(o: TrustOptions): number {
  const folder = trustName(o.folder);
  if (o.trust && !isDirectory(folder)) {
    o.err(`${folder} is not a folder; nothing was trusted.`);
    return EXIT.usage;
  }
  const file = userConfigFile(o.env);
  let target = file;
  let config: Record<string, unknown> = {};
  try {
    target = realpathSync(file);
    const parsed: unknown = JSON.parse(readFileSync(target, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new SyntaxError('not one JSON object');
    config = parsed as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      o.err(`${file} cannot be read as a JSON object (${e instanceof Error ? e.message : String(e)}); fix it first, nothing was changed.`);
      return EXIT.incomplete;
    }
  }
  const before = Array.isArray(config.trustedFolders) ? (config.trustedFolders as unknown[]) : [];
  const after = o.trust ? withFolder(before, folder) : withoutFolder(before, folder);
  if (after.length === before.length) {
    o.out(o.trust ? `${folder} is already trusted (${file}).` : `${folder} is not trusted; nothing to change.`);
    return EXIT.none;
  }
  writeAtomically(target, `${JSON.stringify({ ...config, trustedFolders: after }, null, 2)}\n`);
  o.out(o.trust ? `Trusted ${folder} (${file}): Nightshift may now run its tests and the check commands its .nightshift/config.json names. Undo with nightshift untrust ${JSON.stringify(folder)}.` : `${folder} is no longer trusted (${file}): none of its code runs.`);
  return EXIT.none;
}

/** An entry names the folder as written (the way isTrusted reads it), never through a link. */
function namesAsWritten(entry: unknown, folder: string): boolean {
  return typeof entry === 'string' && path.isAbsolute(entry) && path.resolve(entry) === folder;
}

/** The list with the folder's real path added, unless an entry already names it as written. */
function withFolder(list: unknown[], folder: string): unknown[] {
  return list.some((f) => namesAsWritten(f, folder)) ? list : [...list, folder];
}

/**
 * The list without the folder: the entries naming it as written, and also a hand-written link that
 * leads to it today (taking trust away may follow a link; only granting it may not).
 */
function withoutFolder(list: unknown[], folder: string): unknown[] {
  return list.filter((f) => !namesAsWritten(f, folder) && !(typeof f === 'string' && path.isAbsolute(f) && trustName(f) === folder));
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/** Temp file beside the target, then rename; the file keeps its mode (a new one is the user's alone). */
function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let mode = 0o600;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    // A new file.
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}
