/**
 * Whether a folder's tests are pytest's, read from its files without running anything: a pytest
 * config (pytest.ini, `[tool.pytest.ini_options]` in pyproject.toml, `[tool:pytest]` in setup.cfg,
 * `[pytest]` in tox.ini), a conftest.py, or a test file that imports pytest. The runner is the
 * folder's interpreter (`python -m pytest`); one it cannot find is said so. Must never guess
 * pytest from a folder with no sign of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DetectedRunner } from '../tests/detectRunner';
import type { PythonInterpreter } from './pythonEnv';
import { isPytestFile, pythonFiles } from './pythonImports';

const CONFIGS: Array<[string, RegExp | undefined]> = [
  ['pytest.ini', undefined],
  ['pyproject.toml', /^\[tool\.pytest(\.ini_options)?\]/m],
  ['setup.cfg', /^\[tool:pytest\]/m],
  ['tox.ini', /^\[pytest\]/m],
  ['conftest.py', undefined],
];

export function detectPytest(root: string, interpreter: PythonInterpreter | undefined): DetectedRunner | undefined {
  const from = fromConfig(root) ?? fromTests(root);
  if (!from) return undefined;
  if (!interpreter) return { name: 'pytest', from, missing: 'no Python interpreter was found to run pytest with (python.defaultInterpreterPath, a .venv folder, or python3 on PATH)' };
  return { name: 'pytest', from, bin: interpreter.path };
}

function fromConfig(root: string): string | undefined {
  for (const [name, section] of CONFIGS) {
    const file = path.join(root, name);
    if (!existsSync(file)) continue;
    if (!section) return name;
    try {
      if (section.test(readFileSync(file, 'utf8'))) return name;
    } catch {
      /* unreadable: no sign */
    }
  }
  return undefined;
}

function fromTests(root: string): string | undefined {
  for (const file of pythonFiles(root, 3).filter(isPytestFile)) {
    try {
      if (/^\s*(import pytest|from pytest import)\b/m.test(readFileSync(file, 'utf8'))) return path.relative(root, file);
    } catch {
      /* unreadable: no sign */
    }
  }
  return undefined;
}
