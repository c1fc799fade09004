/**
 * One tsconfig's program, twice: as the files are on disk (the base) and with a proposal's texts
 * laid over them (the proposed side). Both language services share one document registry, so a
 * file is parsed once, and each stays warm between checks: the base only rebuilds when a file on
 * disk changes. Never writes a file; texts live only in the overlays.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ownPackage } from './trustReach';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { normalizeMessage, type FoundError } from './diagnosticMatch';

/** The argument a TypeScript child process gets where the repository is not trusted. */
export const UNTRUSTED = '--untrusted';

/**
 * The `typescript` to check with. Where the repository is trusted, its own package (never ours: its
 * version decides what is an error). Where it is not, its `node_modules` is its own code and never
 * loaded: Nightshift's own copy, when it has one (as VS Code uses its bundled TypeScript in
 * Restricted Mode), else none. Undefined when there is none to load.
 */
export function workspaceTypeScript(root: string, trusted = true): typeof TS | undefined {
  return trusted && ownTypeScript(root) ? typeScriptFrom(path.join(root, 'package.json'), root) : typeScriptFrom(__filename);
}

/**
 * Whether the trusted folder's `typescript` is its own: within what trusting it vouches for
 * (trustReach.ts). One Node would find above the repository (a parent's node_modules, /tmp's) is
 * someone else's code: Nightshift's own stands in, as for an untrusted folder.
 */
function ownTypeScript(root: string): boolean {
  return ownPackage(root, 'typescript');
}

/** The version of the `typescript` that `workspaceTypeScript` would load (read from its package.json, nothing run), or undefined. */
export function typeScriptVersion(root: string, trusted = true): string | undefined {
  try {
    const own = trusted && ownTypeScript(root);
    const req = createRequire(own ? path.join(root, 'package.json') : __filename);
    const found = req(req.resolve('typescript/package.json', own ? { paths: [root] } : undefined)) as { version?: unknown };
    return typeof found.version === 'string' ? found.version : undefined;
  } catch {
    return undefined;
  }
}

function typeScriptFrom(from: string, root?: string): typeof TS | undefined {
  try {
    // Stryker disable next-line StringLiteral: equivalent, the resolve below names its paths
    const req = createRequire(from);
    return req(req.resolve('typescript', root ? { paths: [root] } : undefined)) as typeof TS;
  } catch {
    return undefined;
  }
}

/**
 * The compiler's fixes rung 0 may offer: ones that repair what the code means (a name spelt wrong,
 * an import or `await` left out, a member never declared). Left out are those that hide an error
 * (`// @ts-ignore`, `as unknown as T`) or make a stub that throws ("Add missing function
 * declaration"): they pass a type check and fix nothing.
 */
const REPAIRING_FIXES = new Set([
  'spelling',
  'import',
  'fixImportNonExportedMember',
  'fixMissingMember',
  'addMissingAwait',
  'addMissingAwaitToInitializer',
  'fixAwaitInSyncFunction',
  'addMissingAsync',
  'addMissingConst',
  'fixAddMissingNewOperator',
  'fixOverrideModifier',
  'fixAddVoidToPromise',
  'fixExtendsInterfaceBecomesImplements',
  'fixClassDoesntImplementInheritedAbstractMember',
  'fixClassIncorrectlyImplementsInterface',
  'fixAddMissingTypeof',
  'fixConvertToTypeOnlyImport',
  'fixPropertyAccessExpression',
]);

/** Versions are never reused, so a language service never mistakes a new overlay text for an old one. */
let overlayVersion = 0;

/**
 * The options tsserver gives an inferred project (a file no tsconfig includes) as VS Code starts
 * it: VS Code's `js/ts.implicitProjectConfig` defaults (strict null checks and function types on).
 */
export function inferredOptions(ts: typeof TS): TS.CompilerOptions {
  const [major, minor] = ts.versionMajorMinor.split('.').map(Number);
  const recent = major > 5 || (major === 5 && minor >= 4);
  return {
    module: recent ? ts.ModuleKind.Preserve : ts.ModuleKind.ESNext,
    moduleResolution: recent ? ts.ModuleResolutionKind.Bundler : ts.ModuleResolutionKind.Node10,
    target: ts.ScriptTarget.ES2022,
    jsx: ts.JsxEmit.React,
    allowJs: true,
    allowSyntheticDefaultImports: true,
    allowNonTsExtensions: true,
    strictNullChecks: true,
    strictFunctionTypes: true,
    noEmit: true,
  };
}

export class ShadowProgram {
  private readonly overlay = new Map<string, { text: string; version: number }>();
  /** Files checked as roots besides the config's (an inferred project's files). */
  private readonly roots = new Set<string>();
  readonly service: TS.LanguageService;

  constructor(
    private readonly ts: typeof TS,
    parsed: TS.ParsedCommandLine,
    configDir: string,
    registry: TS.DocumentRegistry,
  ) {
    const overlay = this.overlay;
    const host: TS.LanguageServiceHost = {
      getScriptFileNames: () => [...new Set([...parsed.fileNames.map((f) => path.resolve(f)), ...this.roots, ...overlay.keys()])],
      getScriptVersion: (f) => {
        const o = overlay.get(path.resolve(f));
        return o ? `overlay-${o.version}` : `disk-${ts.sys.getModifiedTime?.(f)?.getTime() ?? 0}`;
      },
      getScriptSnapshot: (f) => {
        const text = this.text(f);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      // Stryker disable next-line ArrowFunction: equivalent here, the config's paths are absolute once parsed
      getCurrentDirectory: () => configDir,
      getCompilationSettings: () => parsed.options,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      // Stryker disable next-line ConditionalExpression: equivalent for sources, which the compiler reads through the snapshot
      fileExists: (f) => overlay.has(path.resolve(f)) || ts.sys.fileExists(f),
      // Stryker disable next-line ArrowFunction: as above
      readFile: (f) => this.text(f),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    this.service = ts.createLanguageService(host, registry);
  }

  /** Makes the file one of the program's roots (it stays one). */
  addRoot(file: string): void {
    this.roots.add(path.resolve(file));
  }

  /** Lays `text` over the file, or lifts the overlay when `text` is what the disk holds. */
  set(file: string, text: string): void {
    // Stryker disable next-line all: an optimisation, an overlay holding the disk's own text changes no result
    if (!this.overlay.has(file) && existsSync(file) && this.ts.sys.readFile(file) === text) return;
    // Stryker disable next-line UpdateOperator: equivalent, counting down is as unique
    this.overlay.set(file, { text, version: ++overlayVersion });
  }

  clear(): void {
    this.overlay.clear();
  }

  text(file: string): string | undefined {
    const f = path.resolve(file);
    return this.overlay.get(f)?.text ?? (existsSync(f) ? this.ts.sys.readFile(f) : undefined);
  }

  /** The project's own files: no default library, nothing from node_modules. */
  projectFiles(): string[] {
    const program = this.service.getProgram();
    // Stryker disable next-line all: equivalent, a language service always has a program once asked
    if (!program) return [];
    return program
      .getSourceFiles()
      .filter((s) => !program.isSourceFileDefaultLibrary(s) && !program.isSourceFileFromExternalLibrary(s))
      .map((s) => path.resolve(s.fileName))
      .filter((f) => !f.split(path.sep).includes('node_modules'));
  }

  /** The file's errors, syntax and types, with normalised messages. */
  errors(file: string): FoundError[] {
    const ts = this.ts;
    // Stryker disable next-line MethodExpression: equivalent for the files checked, whose syntax errors are also semantic ones here
    return (
      [...this.service.getSyntacticDiagnostics(file), ...this.service.getSemanticDiagnostics(file)]
        // Stryker disable next-line ConditionalExpression: equivalent, the language service reports errors only (suggestions come from another call)
        .filter((d) => d.category === ts.DiagnosticCategory.Error)
        .map((d) => {
          // Stryker disable next-line all: equivalent, a file's own diagnostics always have a file and a start
          const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
          // Stryker disable next-line StringLiteral: equivalent, a chained message's indentation already separates its lines
          return { file, code: d.code, message: normalizeMessage(ts.flattenDiagnosticMessageText(d.messageText, '\n')), line: at.line, character: at.character };
        })
    );
  }

  /**
   * The compiler's own fixes for one of the file's errors (`at`, as `errors` found it), in the
   * compiler's order of preference: each as the edits it makes, file by file. Only repairing fixes
   * (REPAIRING_FIXES) that edit existing project files and run no command are kept.
   */
  codeFixes(file: string, at: FoundError): Array<{ fixName: string; description: string; changes: Array<{ file: string; edits: Array<{ start: number; length: number; newText: string }> }> }> {
    const source = this.service.getProgram()?.getSourceFile(file);
    if (!source) return [];
    const position = source.getPositionOfLineAndCharacter(at.line, at.character);
    const raw = [...this.service.getSyntacticDiagnostics(file), ...this.service.getSemanticDiagnostics(file)].find((d) => d.code === at.code && d.start === position);
    if (raw?.start === undefined) return [];
    let fixes: readonly TS.CodeFixAction[];
    try {
      fixes = this.service.getCodeFixesAtPosition(file, raw.start, raw.start + (raw.length ?? 0), [raw.code], formatLike(this.ts, source.text), { quotePreference: 'auto', importModuleSpecifierPreference: 'shortest' });
    } catch {
      return [];
    }
    return (
      fixes
        // Never a stub that throws ("Declare method": `throw new Error("Method not implemented.")`): the error goes, the code is not written.
        .filter((f) => REPAIRING_FIXES.has(f.fixName) && !f.commands?.length && f.changes.every((c) => !c.isNewFile && !c.fileName.split(/[\\/]/).includes('node_modules') && c.textChanges.every((t) => !/\bthrow\s+new\s+Error\s*\(/.test(t.newText))))
        .map((f) => ({
          fixName: f.fixName,
          description: f.description,
          changes: f.changes.map((c) => ({ file: path.resolve(c.fileName), edits: c.textChanges.map((t) => ({ start: t.span.start, length: t.span.length, newText: t.newText })) })),
        }))
    );
  }

  /**
   * What other files can see of this one: its declaration output, or 'global' when it declares
   * names for every file (a script, `declare global`, a module augmentation); undefined when it
   * cannot be told, which counts as changed.
   */
  surface(file: string): string | 'global' | undefined {
    // Stryker disable next-line OptionalChaining: equivalent, as for projectFiles
    const source = this.service.getProgram()?.getSourceFile(file);
    // Stryker disable next-line ConditionalExpression: equivalent, a changed file is always in the program
    if (!source) return undefined;
    if (!this.ts.isExternalModule(source)) return 'global';
    let output: TS.EmitOutput;
    try {
      // Stryker disable next-line BooleanLiteral: equivalent with these compilers, which emit declarations when asked for them only
      output = this.service.getEmitOutput(file, true, true);
      // Stryker disable next-line BlockStatement: a declaration emit that throws is not seen in tests; it counts as changed
    } catch {
      return undefined;
    }
    // Stryker disable next-line OptionalChaining,Regex: equivalent for .ts files (one declaration file out)
    const dts = output.outputFiles.find((o) => /\.d\.[mc]?ts$/.test(o.name))?.text;
    // Stryker disable next-line ConditionalExpression: equivalent, it returns undefined either way
    if (dts === undefined) return undefined;
    return /\bdeclare\s+(global\b|module\s+['"])/.test(dts) ? 'global' : dts;
  }
}

/**
 * Which project files import which (static imports, `require`, `import()`), resolved the way the
 * compiler resolves them. Cached per file text, so a warm check reads only what changed.
 */
export class ImportGraph {
  private readonly cache: TS.ModuleResolutionCache;
  private readonly imports = new Map<string, { text: string; targets: string[] }>();

  constructor(
    private readonly ts: typeof TS,
    private readonly options: TS.CompilerOptions,
    configDir: string,
  ) {
    // Stryker disable next-line all: a cache, equivalent in results
    this.cache = ts.createModuleResolutionCache(configDir, (s) => s, options);
  }

  /** The files among `files` that import `target` directly, as `program` holds their texts. */
  importersOf(target: string, files: readonly string[], program: ShadowProgram): string[] {
    // Stryker disable next-line ConditionalExpression: equivalent, a file that imports itself is already affected
    return files.filter((f) => f !== target && this.targetsOf(f, program).includes(target));
  }

  private targetsOf(file: string, program: ShadowProgram): string[] {
    // Stryker disable next-line StringLiteral: equivalent, a listed file has a text
    const text = program.text(file) ?? '';
    const known = this.imports.get(file);
    // Stryker disable next-line ConditionalExpression: `false` is equivalent (no cache); `true` is killed by the disk-change test
    if (known && known.text === text) return known.targets;
    const ts = this.ts;
    const targets = ts
      // Stryker disable next-line BooleanLiteral: only require() in JavaScript files differs; the fixtures are TypeScript
      .preProcessFile(text, true, true)
      // Stryker disable next-line OptionalChaining: equivalent, every import resolves in the fixtures (an unresolved one imports nothing we check)
      .importedFiles.map((i) => ts.resolveModuleName(i.fileName, file, this.options, ts.sys, this.cache).resolvedModule?.resolvedFileName)
      // Stryker disable next-line ConditionalExpression: equivalent, an undefined target equals no file
      .filter((f): f is string => f !== undefined)
      .map((f) => path.resolve(f));
    // Stryker disable next-line ObjectLiteral: equivalent, an empty entry is never a hit
    this.imports.set(file, { text, targets });
    return targets;
  }
}

/**
 * The compiler's formatting for a fix, in the file's own indentation (tabs, or the smallest step of
 * spaces its lines use) and line ends: with none given, an inserted member lands at column 0.
 */
export function formatLike(ts: typeof TS, text: string): TS.FormatCodeSettings {
  // A block comment's ` * ` lines are not a step of indentation.
  const indents = text.split('\n').flatMap((line) => /^([ \t]+)[^\s*]/.exec(line)?.[1] ?? []);
  const tabs = indents.some((i) => i.startsWith('\t'));
  const step = indents.filter((i) => !i.includes('\t')).reduce((min, i) => Math.min(min, i.length), Infinity);
  const size = tabs ? 4 : Number.isFinite(step) ? step : 2;
  return { ...ts.getDefaultFormatCodeSettings(text.includes('\r\n') ? '\r\n' : '\n'), indentSize: size, tabSize: tabs ? 4 : size, convertTabsToSpaces: !tabs };
}
