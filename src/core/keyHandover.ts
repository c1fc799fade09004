/**
 * API keys handed to a Nightshift process, taken out of reach at its start: read once from the
 * environment (a key variable, or `<VAR>_FILE` naming a file that holds the key, as containers
 * do) or from a pipe its parent opened (`NIGHTSHIFT_KEYS_FD`), then deleted from `process.env` and,
 * on Linux, wiped from the process's initial environment block — what `/proc/<pid>/environ`
 * shows, which deleting from `process.env` does not change — so that no process Nightshift starts,
 * and none that reads an ancestor's environment, finds a key. `spawnWithKeys` is the sending side:
 * keys through a pipe, never an environment, a file or a command line. Never logs a key.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
import { BACKENDS } from './providers/backends';

/** The variable that names the file descriptor a parent writes the keys to (JSON: variable → key). */
export const KEYS_FD_VARIABLE = 'NIGHTSHIFT_KEYS_FD';
/** A key file larger than this is not a key. */
const MAX_KEY_FILE = 64 * 1024;
const PRESET_VARIABLES = new Set(Object.values(BACKENDS).map((b) => b.keyEnv));

/** Whether a variable holds a key: NIGHTSHIFT_API_KEY, NIGHTSHIFT_API_KEY_<PROFILE>, or a backend's own (MINIMAX_API_KEY, …). */
export function isKeyVariable(name: string): boolean {
  return /^NIGHTSHIFT_API_KEY(_[A-Z0-9_]+)?$/.test(name) && !name.endsWith('_FILE') ? true : PRESET_VARIABLES.has(name);
}

/** The key variable a `<VAR>_FILE` variable stands for, if it is one. */
function fileVariableOf(name: string): string | undefined {
  if (!name.endsWith('_FILE')) return undefined;
  const base = name.slice(0, -'_FILE'.length);
  return /^NIGHTSHIFT_API_KEY(_[A-Z0-9_]+)?$/.test(base) || PRESET_VARIABLES.has(base) ? base : undefined;
}

export interface HeldKeys {
  /** Key variable → key, for the host to look up (never put back into an environment). */
  keys: Record<string, string>;
  /** Sentences about what could not be used or done; they never hold a key. */
  notes: string[];
}

export interface KeyIntake {
  readFile(file: string): string;
  readFd(fd: number): string;
  /** Wipes these variables' values from the initial environment block; a sentence when it could not. */
  wipe(names: readonly string[]): string | undefined;
}

/**
 * Takes every key out of `env` (process.env at start): key variables, their `_FILE` variants and
 * the parent's pipe, which wins (the editor's stored keys). Deletes them all from `env`, then wipes
 * the values from the initial environment block.
 */
export function holdKeys(env: NodeJS.ProcessEnv = process.env, intake: KeyIntake = systemIntake): HeldKeys {
  const keys: Record<string, string> = {};
  const notes: string[] = [];
  const fromEnvironment: string[] = [];
  for (const name of Object.keys(env)) {
    const value = env[name];
    if (isKeyVariable(name)) {
      if (value?.trim()) keys[name] = value.trim();
      fromEnvironment.push(name);
      delete env[name];
    }
  }
  for (const name of Object.keys(env)) {
    const base = fileVariableOf(name);
    if (!base) continue;
    const file = env[name];
    delete env[name];
    if (!file || keys[base]) continue;
    try {
      const key = intake.readFile(file).trim();
      if (key) keys[base] = key;
      else notes.push(`${name} names ${file}, which is empty; no key is read from it.`);
    } catch (err) {
      notes.push(`${name} names ${file}, which cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); no key is read from it.`);
    }
  }
  const fd = env[KEYS_FD_VARIABLE];
  delete env[KEYS_FD_VARIABLE];
  if (fd !== undefined) {
    try {
      const handed = JSON.parse(intake.readFd(Number(fd))) as unknown;
      if (!handed || typeof handed !== 'object' || Array.isArray(handed)) throw new Error('not an object');
      for (const [name, key] of Object.entries(handed)) if (isKeyVariable(name) && typeof key === 'string' && key.trim()) keys[name] = key.trim();
    } catch (err) {
      notes.push(`The keys handed over on descriptor ${fd} could not be read (${err instanceof Error ? err.message : String(err)}).`);
    }
  }
  if (fromEnvironment.length > 0) {
    const problem = intake.wipe(fromEnvironment);
    if (problem) notes.push(problem);
  }
  return { keys, notes };
}

/** Reads a descriptor to its end: a pipe may say "try again" while the parent is still writing. */
function readAll(fd: number): string {
  const chunks: Buffer[] = [];
  const buffer = Buffer.alloc(16 * 1024);
  const until = Date.now() + 10_000;
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > until) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  closeSync(fd);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Zeroes the values of these variables in this process's initial environment block, through
 * /proc/self/mem at the addresses /proc/self/stat gives (env_start, env_end), then reads
 * /proc/self/environ back to be sure. Linux only; elsewhere the block cannot be reached from Node.
 */
export function wipeInitialEnvironment(names: readonly string[]): string | undefined {
  const cannot = `Keys given in the environment (${names.join(', ')}) stay readable in this process's initial environment`;
  if (process.platform !== 'linux') return `${cannot} on ${process.platform}, by other processes of your user; give them in files instead (${names[0]}_FILE).`;
  const wanted = new Set(names);
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 50 and 51 of proc(5); `fields` starts at field 3.
    const [start, end] = [Number(fields[47]), Number(fields[48])];
    if (!(start > 0 && end > start && Number.isSafeInteger(end))) throw new Error('no environment addresses');
    const block = Buffer.alloc(end - start);
    const mem = openSync('/proc/self/mem', 'r+');
    try {
      readSync(mem, block, 0, block.length, start);
      for (let at = 0; at < block.length;) {
        const stop = block.indexOf(0, at) < 0 ? block.length : block.indexOf(0, at);
        const eq = block.indexOf(0x3d, at);
        if (eq > at && eq < stop && wanted.has(block.toString('latin1', at, eq)) && stop > eq + 1) {
          block.fill(0, eq + 1, stop);
          writeSync(mem, block, eq + 1, stop - eq - 1, start + eq + 1);
        }
        at = stop + 1;
      }
    } finally {
      closeSync(mem);
    }
    const left = readFileSync('/proc/self/environ', 'latin1')
      .split('\0')
      .filter((entry) => wanted.has(entry.slice(0, entry.indexOf('='))) && entry.length > entry.indexOf('=') + 1);
    return left.length > 0 ? `${cannot}: it could not be changed; give them in files instead (${names[0]}_FILE).` : undefined;
  } catch (err) {
    return `${cannot}: ${err instanceof Error ? err.message : String(err)}; give them in files instead (${names[0]}_FILE).`;
  }
}

const systemIntake: KeyIntake = {
  readFile: (file) => {
    if (statSync(file).size > MAX_KEY_FILE) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return readFileSync(file, 'utf8');
  },
  readFd: readAll,
  wipe: wipeInitialEnvironment,
};

/**
 * Starts a Nightshift process (the CLI) with keys: written to a pipe on descriptor 3, which the
 * child reads once at start (holdKeys). Key variables in `options.env` are left out.
 */
export function spawnWithKeys(command: string, args: readonly string[], options: SpawnOptions, keys: Readonly<Record<string, string>>): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), [KEYS_FD_VARIABLE]: '3' };
  for (const name of Object.keys(env)) if (isKeyVariable(name) || fileVariableOf(name)) delete env[name];
  const given = Array.isArray(options.stdio) ? options.stdio : [options.stdio ?? 'pipe', options.stdio ?? 'pipe', options.stdio ?? 'pipe'];
  const stdio = [...given.slice(0, 3), 'pipe'] as SpawnOptions['stdio'];
  const child = spawn(command, [...args], { ...options, env, stdio });
  const pipe = child.stdio[3] as NodeJS.WritableStream | null;
  pipe?.on('error', () => undefined);
  pipe?.end(JSON.stringify(keys));
  return child;
}
