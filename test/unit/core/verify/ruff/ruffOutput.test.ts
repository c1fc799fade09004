/**
 * Ruff's JSON report read right: places from Ruff's one-based rows and code-point columns to UTF-16
 * (a wide character before the problem, \r\n and \r line ends, an edit to the end of the text),
 * fixes as edits, a syntax error as fatal, the Ruff server's severities, and a report that is not
 * Ruff's refused with why (never read as "no problems"). Where a ruff is found, and whether a folder
 * uses Ruff, from files only.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { applyTextEdits } from '../../../../../src/core/verify/compilerFixes';
import { findInterpreter, pathOutside } from '../../../../../src/core/verify/python/pythonEnv';
import { findRuff, usesRuff } from '../../../../../src/core/verify/ruff/findRuff';
import { diagnosticOf, messagesOf, parseRuffReport, placesIn, type RuffReported } from '../../../../../src/core/verify/ruff/ruffOutput';

const at = (row: number, column: number) => ({ row, column });
const reported = (over: Partial<RuffReported> = {}): RuffReported => ({ code: 'F401', message: '`os` imported but unused', location: at(1, 8), end_location: at(1, 10), filename: '/w/a.py', fix: null, ...over });

describe('ruffOutput', () => {
  it('turns code-point columns into UTF-16 offsets, whatever the line ends', () => {
    const text = 'x = "😀é"; import os\r\ny = 1\rz = "𝒳"; w\n';
    const places = placesIn(text);
    assert.equal(text.slice(places.offset(1, 18), places.offset(1, 20)), 'os');
    assert.equal(places.character(1, 18), 18, 'the emoji is two units before it');
    assert.equal(text.slice(places.offset(2, 1), places.offset(2, 6)), 'y = 1');
    assert.equal(text.slice(places.offset(3, 10), places.offset(3, 11)), 'w');
    assert.equal(places.offset(4, 1), text.length, 'the row after the last line end');
    assert.equal(places.offset(9, 1), text.length, 'a row past the end');
    // Ruff counts no byte order mark (`GREETING = f"hello"`: the f at column 12, outside test).
    const bom = '\uFEFFGREETING = f"hello"\n';
    assert.equal(bom.slice(placesIn(bom).offset(1, 12), placesIn(bom).offset(1, 20)), 'f"hello"');
    assert.equal(placesIn(bom).character(1, 12), 11);
  });

  it('reads a fix as edits on the text, and a syntax error as a fatal problem with no rule', () => {
    const text = 'import os\nimport sys\n\nprint(sys.argv)\n';
    const [m, bad] = messagesOf(
      [reported({ fix: { applicability: 'safe', message: 'Remove unused import: `os`', edits: [{ content: '', location: at(1, 1), end_location: at(2, 1) }] } }), reported({ code: 'invalid-syntax', message: 'Expected an expression', location: at(4, 7), end_location: at(4, 8) })],
      text,
    );
    assert.equal(applyTextEdits(text, m.ruffFix!.edits), 'import sys\n\nprint(sys.argv)\n');
    assert.equal(m.ruffFix!.applicability, 'safe');
    assert.deepEqual([m.ruleId, m.line, m.column, m.endColumn, m.fatal], ['F401', 1, 8, 10, undefined]);
    assert.deepEqual([bad.ruleId, bad.fatal], [null, true]);
  });

  it('gives the Ruff server’s severities: errors for undefined names, unreadable files and syntax; warnings else', () => {
    const text = 'import os\n';
    const severity = (code: string | null) => diagnosticOf(messagesOf([reported({ code })], text)[0]).severity;
    assert.deepEqual(['F821', 'E902', 'E999', 'invalid-syntax', null, 'F401', 'E711'].map(severity), ['error', 'error', 'error', 'error', 'error', 'warning', 'warning']);
    assert.deepEqual(diagnosticOf(messagesOf([reported()], text)[0]), { message: '`os` imported but unused', severity: 'warning', source: 'Ruff', code: 'F401', range: { startLine: 0, startCharacter: 7, endLine: 0, endCharacter: 9 } });
  });

  it('refuses a report that is not Ruff’s JSON, saying what is wrong', () => {
    assert.throws(() => parseRuffReport('error: unexpected argument'), /Ruff's report is not JSON \("error: unexpected/);
    assert.throws(() => parseRuffReport('{"code":"F401"}'), /unexpected shape/);
    assert.throws(() => parseRuffReport('[{"code":"F401","message":"m","location":{"row":"1"}}]'), /unexpected shape \(0\.location\.row/);
    assert.deepEqual(parseRuffReport('[]'), []);
  });

  it('finds ruff beside the folder’s Python first, then on PATH, then the Ruff extension’s; never inside an untrusted folder', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-ruff-'));
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-ruff-path-'));
    try {
      fs.mkdirSync(path.join(root, '.venv', 'bin'), { recursive: true });
      for (const f of [path.join(root, '.venv', 'bin', 'ruff'), path.join(elsewhere, 'ruff')]) fs.writeFileSync(f, '#!/bin/sh\n', { mode: 0o755 });
      const venv = { path: path.join(root, '.venv', 'bin', 'python'), from: '.venv' };
      assert.deepEqual(findRuff(root, venv, { trusted: true, pathEnv: elsewhere }), { path: path.join(root, '.venv', 'bin', 'ruff'), from: 'beside the .venv Python' });
      assert.deepEqual(findRuff(root, venv, { trusted: false, pathEnv: elsewhere }), { path: path.join(elsewhere, 'ruff'), from: 'PATH' });
      assert.equal(findRuff(root, venv, { trusted: false, pathEnv: root }), undefined);
      assert.deepEqual(findRuff(root, venv, { trusted: false, pathEnv: '', bundled: path.join(elsewhere, 'ruff') }), { path: path.join(elsewhere, 'ruff'), from: 'the Ruff extension' }, 'the Ruff extension’s own, last');
      assert.equal(findRuff(root, venv, { trusted: true, pathEnv: elsewhere, bundled: '/nowhere/ruff' })?.from, 'beside the .venv Python');
      // An activated .venv puts the repository's own bin first on PATH; the folder reached through a link is the same folder (outside test).
      const link = `${root}-link`;
      fs.symlinkSync(root, link);
      try {
        const venvFirst = [path.join(link, '.venv', 'bin'), elsewhere].join(path.delimiter);
        assert.deepEqual(findRuff(link, undefined, { trusted: false, pathEnv: venvFirst }), { path: path.join(elsewhere, 'ruff'), from: 'PATH' });
        assert.deepEqual(findRuff(root, undefined, { trusted: false, pathEnv: venvFirst }), { path: path.join(elsewhere, 'ruff'), from: 'PATH' });
        assert.equal(pathOutside(link, venvFirst), elsewhere);
        fs.writeFileSync(path.join(root, '.venv', 'bin', 'python3'), '#!/bin/sh\n', { mode: 0o755 });
        assert.equal(findInterpreter(link, { trusted: false, pathEnv: path.join(root, '.venv', 'bin') }), undefined);
      } finally {
        fs.rmSync(link);
      }
      fs.chmodSync(path.join(elsewhere, 'ruff'), 0o644);
      assert.equal(findRuff(root, undefined, { trusted: true, pathEnv: elsewhere }), undefined, 'not executable');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('knows a folder uses Ruff from ruff.toml, .ruff.toml or a [tool.ruff…] table, not from a word in a comment', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ns-ruff-uses-'));
    try {
      assert.equal(usesRuff(root), false);
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "x"\n# we tried [tool.ruff] once\n');
      assert.equal(usesRuff(root), false);
      fs.writeFileSync(path.join(root, 'pyproject.toml'), '[project]\nname = "x"\n\n[tool.ruff.lint]\nselect = ["F"]\n');
      assert.equal(usesRuff(root), true);
      fs.rmSync(path.join(root, 'pyproject.toml'));
      fs.writeFileSync(path.join(root, '.ruff.toml'), '');
      assert.equal(usesRuff(root), true);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
