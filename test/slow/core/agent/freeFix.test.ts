/**
 * Rung 0 against the real compiler: the workspace's own TypeScript offers its fixes for real
 * errors, each is checked like a model's answer, and only one that passes becomes a $0 proposal.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { freeFix, problemLabel } from '../../../../src/core/agent/freeFix';
import type { Task } from '../../../../src/core/agent/taskSources';
import { TsDiagnostics } from '../../../../src/core/signals/tsDiagnostics';
import { applyReplacements } from '../../../../src/core/edits/searchReplace';
import { TypeScriptVerifier } from '../../../../src/core/verify/TypeScriptVerifier';
import { REPO_ROOT } from '../../../harness/testEnv';
import { BackgroundAgent } from '../../../../src/core/agent/BackgroundAgent';
import { loopbackModel, recordingHost } from '../../../unit/core/agent/recordingHost';
import { WorkspaceContext } from '../../../../src/core/context/WorkspaceContext';
import { WorkspaceFiles } from '../../../../src/core/context/WorkspaceFiles';

const ROOT = path.join(REPO_ROOT, 'test', 'fixtures', 'compiler-fixes');
const typescript = new TypeScriptVerifier(ROOT);
const problems = new TsDiagnostics(ROOT).all();

/** The fix task the agent would make for one fixture file's errors. */
export function fixTaskFor(name: string, root = ROOT, found = problems): Task {
  const file = path.join(root, 'src', name);
  const diagnostics = found.find((f) => f.file === file)?.diagnostics ?? [];
  assert.ok(diagnostics.length > 0, `${name} has a compiler error`);
  const uri = pathToFileURL(file).href;
  return { key: name, id: name, kind: 'fix', priority: 'normal', input: { uri, relativePath: `src/${name}`, languageId: 'typescript', text: fs.readFileSync(file, 'utf8'), diagnostics } };
}

const deps = { fixer: typescript, verifier: typescript, root: ROOT, newId: () => 'p1', now: () => new Date('2026-12-02T12:00:00Z') };

async function proposalFor(name: string) {
  const r = await freeFix(fixTaskFor(name), deps);
  assert.equal(r.kind, 'proposal', JSON.stringify(r));
  return r.kind === 'proposal' ? r.proposal : assert.fail();
}

describe('freeFix (rung 0, the workspace’s own TypeScript)', () => {
  it('fixes a misspelt name for free, checked, marked as the compiler’s', async () => {
    const p = await proposalFor('spelling.ts');
    assert.equal(p.title, "Change spelling to 'formatPrice'");
    assert.equal(p.source, 'compiler');
    assert.equal(p.costUsd, 0);
    assert.equal(p.check?.status, 'passed');
    assert.match(p.model, /^TypeScript \d/);
    const text = fs.readFileSync(path.join(ROOT, 'src', 'spelling.ts'), 'utf8');
    assert.match(applyReplacements(text, p.files[0].replacements), /export const label = formatPrice\(250\);/);
  });

  it('adds a missing import, and never offers the stub a type check would also pass', async () => {
    const p = await proposalFor('missingImport.ts');
    assert.equal(p.title, 'Add import from "./money"');
    assert.doesNotMatch(p.rationale, /other compiler fix/, 'the throwing stub is not a candidate');
    assert.match(p.files[0].diff, /^\+import \{ formatPrice \} from ['"]\.\/money['"];?$/m);
  });

  it('adds a missing await, shows the compiler’s preferred fix and says another passed too', async () => {
    const p = await proposalFor('missingAwait.ts');
    assert.match(p.title, /await/i);
    assert.match(p.rationale, /1 other compiler fix also passed; this is the one TypeScript prefers/);
  });

  it('adds a name to a multi-line import list: two insertions at one offset land in the order TypeScript gives', async () => {
    const p = await proposalFor('droppedImport.ts');
    assert.equal(p.title, 'Update import from "./money"');
    const text = fs.readFileSync(path.join(ROOT, 'src', 'droppedImport.ts'), 'utf8');
    assert.match(applyReplacements(text, p.files[0].replacements), /^import \{\n {2}Cart,\n {2}formatPrice,?\n\} from '\.\/money';/);
    assert.equal(p.check?.status, 'passed');
  });

  it('declares a missing member in the file that owns the type', async () => {
    const p = await proposalFor('missingMember.ts');
    assert.deepEqual(
      p.files.map((f) => f.relativePath),
      ['src/money.ts'],
    );
    // In the file's own indentation (two spaces), not at column 0.
    assert.match(p.files[0].diff, /^\+ {2}total: number;$/m);
  });

  it('refuses a member declaration that strict mode rejects (a class property with no initialiser)', async () => {
    const r = await freeFix(fixTaskFor('uninitialisedMember.ts'), deps);
    assert.equal(r.kind, 'none');
    assert.match(r.kind === 'none' ? r.reason : '', /^TS2339 at line \d+: no compiler fix passed the check$/);
  });

  it('shows nothing when the only candidate fails the check (a spelling fix that breaks the type), and nothing when there is no fix', async () => {
    const wrong = await freeFix(fixTaskFor('wrongSpelling.ts'), deps);
    assert.equal(wrong.kind === 'none' && wrong.reason.replace(/^TS\d+ at line \d+: /, ''), 'no compiler fix passed the check');
    const none = await freeFix(fixTaskFor('typeMismatch.ts'), deps);
    assert.equal(none.kind === 'none' && none.reason, 'TS2322 at line 2: TypeScript offers no fix');
  });

  it('leaves a file the compiler cannot fix for alone (not TypeScript, or not a fix)', async () => {
    const task = fixTaskFor('spelling.ts');
    assert.equal((await freeFix({ ...task, kind: 'review' }, deps)).kind, 'none');
    const md = { ...task, input: { ...task.input, uri: pathToFileURL(path.join(ROOT, 'README.md')).href } };
    const r = await freeFix(md, deps);
    assert.equal(r.kind === 'none' && r.reason, 'TS2552 at line 3: no compiler fixes for this file');
  });

  describe('problem by problem, whatever else the file holds', () => {
    const { server, url } = loopbackModel();
    /** The fixture copied with extra files, and their problems as the headless feed finds them. */
    const withFiles = (files: Record<string, string>) => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-rung0-'));
      fs.cpSync(ROOT, root, { recursive: true });
      fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
      fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(root, 'node_modules', 'typescript'), 'dir');
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(root, 'src', name), text);
      const ts = new TypeScriptVerifier(root);
      const task = (name: string) => fixTaskFor(name, root, new TsDiagnostics(root).all());
      return { root, ts, task, deps: { ...deps, fixer: ts, verifier: ts, root } };
    };
    it('offers no throwing stub, no made-up property values, and no import when two modules export the name (second outside test)', async () => {
      const {
        root,
        task,
        deps: d,
      } = withFiles({
        'cartStub.ts': 'export class Cart {\n  items: number[] = [];\n  total(): number {\n    return this.sumItems();\n  }\n}\n',
        'dates.ts': 'export function format(n: number): string {\n  return `day ${n}`;\n}\n',
        'money2.ts': 'export function format(n: number): string {\n  return `$${n}`;\n}\n',
        'label.ts': 'export const priceLabel: string = format(3);\n',
        'user.ts': 'interface User {\n  name: string;\n  age: number;\n}\nexport const u: User = { name: "a" };\n',
      });
      try {
        for (const name of ['cartStub.ts', 'label.ts', 'user.ts']) {
          const r = await freeFix(task(name), d);
          assert.equal(r.kind, 'none', `${name}: ${JSON.stringify(r.kind === 'proposal' ? r.proposal.files : r)}`);
        }
        const label = await freeFix(task('label.ts'), d);
        assert.match(label.kind === 'none' ? label.reason : '', /2 modules export the name/);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });

    const MIXED = "import { formatPrice } from './money';\n\nexport const label = formatPirce(250);\n\nexport function half(n: number): number {\n  const out: number = String(n / 2);\n  return out;\n}\n";

    it('fixes the problem it can beside one it cannot, and says why not for the other', async () => {
      const w = withFiles({ 'mixed.ts': MIXED });
      const task = w.task('mixed.ts');
      assert.equal(task.input.diagnostics.length, 2);
      const r = await freeFix(task, w.deps);
      assert.equal(r.kind, 'proposal', JSON.stringify(r));
      if (r.kind !== 'proposal') return;
      assert.equal(r.proposal.title, "Change spelling to 'formatPrice'");
      assert.deepEqual(
        r.proposal.targets?.map((t) => t.code),
        ['2552'],
      );
      assert.deepEqual(
        r.notFixed.map((n) => [problemLabel(n.target), n.reason]),
        [['TS2322 at line 6', 'TypeScript offers no fix']],
      );
      assert.match(r.proposal.rationale, /1 other problem\(s\) of the file go to the model\./);
      assert.equal(r.proposal.check?.status, 'passed');
    });

    it('tries a file with more than three problems (each its own fix)', async () => {
      const many = "import { formatPrice } from './money';\n\nexport const a = formatPirce(1);\nexport const b = formatPrise(2);\nexport const c = fromatPrice(3);\nexport const d = formatPric(4);\n";
      const w = withFiles({ 'many.ts': many });
      const task = w.task('many.ts');
      assert.equal(task.input.diagnostics.length, 4);
      const r = await freeFix(task, w.deps);
      assert.equal(r.kind, 'proposal', JSON.stringify(r));
      if (r.kind !== 'proposal') return;
      assert.equal(r.notFixed.length, 0);
      const fixed = applyReplacements(many, r.proposal.files[0].replacements);
      assert.equal(fixed.match(/= formatPrice\(/g)?.length, 4, fixed);
    });

    it('in the agent: the free proposal for what it fixed, the rest to the model, and the log says why', async () => {
      const w = withFiles({ 'mixed.ts': MIXED });
      server.enqueue({ content: 'TITLE: none' });
      const rec = recordingHost(url, {}, {}, w.ts);
      rec.host.compilerFixes = w.ts;
      const agent = new BackgroundAgent(rec.host);
      const before = server.chatRequests().length;
      const { input } = w.task('mixed.ts');
      agent.onSettledDiagnostics({ uri: input.uri, relativePath: input.relativePath, languageId: input.languageId, text: input.text, diagnostics: input.diagnostics });
      await agent.freeFixesSettled();
      await rec.until(() => server.chatRequests().length > before && rec.last().state === 'idle');
      assert.deepEqual(
        rec.proposals().map((p) => [p.source, p.title]),
        [['compiler', "Change spelling to 'formatPrice'"]],
      );
      assert.ok(rec.logs.includes('No free fix for TS2322 at line 6 (TypeScript offers no fix) in src/mixed.ts: left for the model.'), rec.logs.join('\n'));
      const prompt = server.chatRequests()[before].rawBody;
      assert.match(prompt, /String\(n \/ 2\)/);
      assert.doesNotMatch(prompt, /Cannot find name 'formatPirce'/, 'the problem the compiler fixed is not asked of the model');
      await agent.dispose();
    });
  });

  describe('in the agent', () => {
    const { server, url } = loopbackModel();

    it('offers no compiler fix that edits a file the privacy rules never read (second outside test)', async () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-rung0-hidden-'));
      fs.cpSync(ROOT, root, { recursive: true });
      fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
      fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', 'typescript'), path.join(root, 'node_modules', 'typescript'), 'dir');
      fs.writeFileSync(path.join(root, 'src', 'hidden.ts'), '// HIDDEN_MARK: db password is hunter2zz9\nexport class Hidden {\n  id = 1;\n}\n');
      fs.writeFileSync(path.join(root, 'src', 'use.ts'), "import { Hidden } from './hidden';\n\nexport function f(h: Hidden): number {\n  return h.count;\n}\n");
      try {
        const ts = new TypeScriptVerifier(root);
        const rec = recordingHost(url, {}, { exclude: ['src/hidden.ts'] }, ts, new WorkspaceContext(new WorkspaceFiles(root, async () => undefined), undefined));
        rec.host.compilerFixes = ts;
        const agent = new BackgroundAgent(rec.host);
        server.enqueue({ content: 'TITLE: none' });
        const { input } = fixTaskFor('use.ts', root, new TsDiagnostics(root).all());
        agent.onSettledDiagnostics({ uri: input.uri, relativePath: input.relativePath, languageId: input.languageId, text: input.text, diagnostics: input.diagnostics });
        await agent.freeFixesSettled();
        assert.deepEqual(
          rec.proposals().filter((p) => p.source === 'compiler'),
          [],
        );
        assert.ok(
          rec.logs.some((l) => /No free fix for src\/use\.ts: TS2339 at line 4: its fixes edit a file Nightshift never reads/.test(l)),
          rec.logs.join('\n'),
        );
        await agent.dispose();
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
    const signalFor = (name: string) => {
      const { input } = fixTaskFor(name);
      return { uri: input.uri, relativePath: input.relativePath, languageId: input.languageId, text: input.text, diagnostics: input.diagnostics };
    };

    it('shows the compiler’s fix before any backend is set up, asks no model, and books it at $0 with its source', async () => {
      const rec = recordingHost(() => undefined, {}, {}, typescript);
      rec.host.compilerFixes = typescript;
      const agent = new BackgroundAgent(rec.host);
      await agent.checkSetup();
      assert.equal(rec.last().state, 'needsSetup');
      const before = server.chatRequests().length;
      agent.onSettledDiagnostics(signalFor('spelling.ts'));
      await agent.freeFixesSettled();
      assert.equal(rec.proposals().length, 1);
      assert.equal(rec.proposals()[0].source, 'compiler');
      assert.equal(server.chatRequests().length, before, 'no model was asked');
      const [call] = rec.ledger.load().calls;
      assert.deepEqual([call.costUsd, call.costSource, call.backend, call.outcome, call.proposalId], [0, 'compiler', 'TypeScript', 'proposal', rec.proposals()[0].id]);
      await agent.dispose();
    });

    it('hands a problem the compiler cannot fix to the model (rung 1)', async () => {
      server.enqueue({ content: 'TITLE: none' });
      const rec = recordingHost(url, {}, {}, typescript);
      rec.host.compilerFixes = typescript;
      const agent = new BackgroundAgent(rec.host);
      const before = server.chatRequests().length;
      agent.onSettledDiagnostics(signalFor('typeMismatch.ts'));
      await agent.freeFixesSettled();
      await rec.until(() => server.chatRequests().length > before && rec.last().state === 'idle');
      assert.equal(rec.proposals().length, 0);
      assert.ok(rec.ledger.load().calls.every((c) => c.costSource !== 'compiler'));
      await agent.dispose();
    });
  });
});
