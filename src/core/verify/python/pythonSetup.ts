/**
 * What a host shows about a folder's Python: which interpreter the checks use (and what found it)
 * and what checks with it — pyright for the types, pytest for the tests, ruff for a folder that
 * configures Ruff. Read from the folder's files only; runs nothing.
 */
import * as path from 'node:path';
import { detectPytest } from './detectPytest';
import { findInterpreter, looksLikePython, pyrightPackage, type InterpreterOptions } from './pythonEnv';
import { findRuff, usesRuff } from '../ruff/findRuff';

export interface PythonSetupLine {
  label: string;
  description: string;
  tooltip: string;
}

/** One line for a folder holding Python; undefined for one that holds none. */
export function describePythonSetup(root: string, options: InterpreterOptions & { ruffBundled?: string }): PythonSetupLine | undefined {
  if (!looksLikePython(root)) return undefined;
  const interpreter = findInterpreter(root, options);
  const pyright = pyrightPackage();
  const pytest = detectPytest(root, interpreter);
  const ruffUsed = usesRuff(root);
  const ruff = ruffUsed ? findRuff(root, interpreter, { trusted: options.trusted, ...(options.pathEnv !== undefined ? { pathEnv: options.pathEnv } : {}), ...(options.ruffBundled ? { bundled: options.ruffBundled } : {}) }) : undefined;
  const checks = [pyright ? `pyright ${pyright.version}` : 'no pyright', pytest ? `pytest (${pytest.from})` : 'no pytest tests found', ...(ruffUsed ? [ruff ? `ruff (${ruff.from})` : 'no ruff found'] : [])];
  const name = path.basename(root);
  if (!interpreter) {
    return {
      label: `Python (${name}): no interpreter found`,
      description: checks.join(' · '),
      tooltip: `No Python was found for ${name}: set ${options.configuredFrom ?? 'python.defaultInterpreterPath'}, make a .venv, or put python3 on PATH.${options.trusted ? '' : ' An interpreter inside an untrusted folder is never used.'} pyright checks with its own defaults; pytest cannot run.`,
    };
  }
  return {
    label: `Python (${name}): ${interpreter.path}`,
    description: `from ${interpreter.from} · ${checks.join(' · ')}`,
    tooltip: `Proposals to ${name}'s Python files are checked with ${checks[0]} using ${interpreter.path} (${interpreter.from}) and its pyrightconfig.json / pyproject.toml; ${pytest ? 'the pytest tests that reach a change run with it in a temporary worktree' : 'no pytest tests were found'}.${ruff ? ` Ruff's problems are proved gone, and its safe fixes tried first, with ${ruff.path}.` : ''}`,
  };
}
