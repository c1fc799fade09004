/**
 * The one place every file read for a model passes. It refuses files that must never be read
 * (.env files, keys, credentials — by name, and by what they hold, whatever they are called or
 * linked as), files the user excluded (.gitignore, .nightshiftignore, nightshift.exclude, the
 * team policy: each set of rules on its own, so a `!pattern` in one never re-includes what another
 * excludes), and files marked local-only when the backend is remote; and it takes secrets out of
 * every text bound for a non-local backend, saying what it took.
 */
import { posix } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';
import type { WorkspaceDisk } from './fileIdentity';
import { redactedLines, redactSecrets, redactWithKnown, type Redaction } from './redact';
import { envNamed, secretFileKind, worthSniffing } from './secretFiles';

/** Never read, whatever the ignore files say. */
export const ALWAYS_DENIED = [
  // Stryker disable next-line StringLiteral: equivalent, `*.env` also matches .env (kept for the reader)
  '.env',
  '.env*',
  '*.env',
  '*.pem',
  '*.key',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  '*.kdbx',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  '*.ppk',
  '*.keytab',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '_netrc',
  '.pgpass',
  '.my.cnf',
  '.htpasswd',
  '.git-credentials',
  '.aws/',
  '.ssh/',
  '.gnupg/',
  '.kube/',
  'kubeconfig',
  'kubeconfig.*',
  'kubeconfig-*',
  '*.kubeconfig',
  '.docker/config.json',
  '.dockercfg',
  'secrets.json',
  'secrets.y*ml',
  'client_secret*.json',
  'credentials',
  'credentials.json',
  'credentials.y*ml',
  'credentials.xml',
  '*.tfstate',
  '*.tfvars',
  '.git/',
];

/** Contents judgements kept per gate, at most. */
const MAX_JUDGED = 10_000;

export interface PrivacyRules {
  /** Contents of the workspace's .gitignore, if any. */
  gitignore?: string;
  /** Contents of .nightshiftignore (gitignore syntax), if any. */
  nightshiftignore?: string;
  /** nightshift.exclude: more gitignore-style patterns. */
  exclude?: readonly string[];
  /** nightshift.localOnly: globs of files only ever sent to a local backend. */
  localOnly?: readonly string[];
  /**
   * The ignore rules of a subfolder by its workspace-relative path: one text per ignore file (its
   * .gitignore, its .nightshiftignore), each judged on its own; empty when it has none. Read once
   * per folder per gate.
   */
  nestedIgnore?: (folder: string) => string | readonly string[];
  /**
   * Where a workspace-relative path really leads (see realPath.ts): the real file's relative path,
   * `null` outside the workspace, undefined when it does not exist. Without it, paths are judged
   * as written (no file system).
   */
  realPath?: (relativePath: string) => string | null | undefined;
  /**
   * The disk under the workspace (see fileIdentity.ts): a file with other names is judged by each
   * of them, and a configuration-like or linked file by what it holds. Without it, by name only.
   */
  disk?: WorkspaceDisk;
  /** Redact what goes to a local backend too (a team policy's privacy.redactForLocalModels). */
  alwaysRedact?: boolean;
  /**
   * Which of the exclude and localOnly globs a team policy set, and where (".nightshift/policy.json:9
   * (privacy.neverRead, repository policy)"), so a refusal names the rule that made it.
   */
  setBy?: { neverRead?: readonly RuleGlobs[]; localOnly?: readonly RuleGlobs[] };
}

export interface RuleGlobs {
  globs: readonly string[];
  setBy: string;
}

export type ReadDecision = { allowed: true } | { allowed: false; reason: string };

export interface OutboundText {
  text: string;
  findings: Redaction[];
}

/** A file's text and the messages about it, as they may leave the machine. */
export interface OutboundFile {
  text: string;
  messages: string[];
  /** Per message, its findings' line is the message's index + 1; callers re-anchor them. */
  findings: Array<Redaction & { message?: number }>;
}

export class PrivacyGate {
  private readonly denied: Ignore;
  /** One matcher per source of exclusions: a negation applies within its own file only. */
  private readonly excluded: Ignore[];
  private readonly localOnly: (path: string) => boolean;
  private readonly nested = new Map<string, Ignore[]>();
  private readonly nestedIgnore: PrivacyRules['nestedIgnore'];
  private readonly disk: WorkspaceDisk | undefined;
  /** What a file's contents made of it, by path, while its version holds (a search asks once a hit). */
  private readonly contents = new Map<string, { version: string; kind: string | undefined }>();
  private readonly realPath: PrivacyRules['realPath'];
  private readonly alwaysRedact: boolean;
  private readonly neverReadBy: Array<{ matches: Ignore; setBy: string }>;
  private readonly localOnlyBy: Array<{ matches: (path: string) => boolean; setBy: string }>;

  constructor(rules: PrivacyRules = {}) {
    this.alwaysRedact = rules.alwaysRedact === true;
    this.neverReadBy = (rules.setBy?.neverRead ?? []).map((r) => ({ matches: ignore().add([...r.globs]), setBy: r.setBy }));
    this.localOnlyBy = (rules.setBy?.localOnly ?? [])
      .filter((r) => r.globs.some((g) => g.trim()))
      .map((r) => ({
        matches: picomatch(
          r.globs.filter((g) => g.trim()),
          { dot: true },
        ),
        setBy: r.setBy,
      }));
    this.nestedIgnore = rules.nestedIgnore;
    this.realPath = rules.realPath;
    this.disk = rules.disk;
    this.denied = ignore().add(ALWAYS_DENIED);
    // Stryker disable next-line StringLiteral,ArrayDeclaration: equivalent, a stand-in pattern names no real file
    // The exclude list only adds: its entries come from several hands (you, a policy, a repository), so a "!" entry, which would take back another's, is no entry.
    this.excluded = [ignore().add(rules.gitignore ?? ''), ignore().add(rules.nightshiftignore ?? ''), ignore().add((rules.exclude ?? []).filter((g) => !g.trimStart().startsWith('!')))];
    // Stryker disable next-line all: equivalent, a blank or stand-in glob matches no workspace file
    const globs = (rules.localOnly ?? []).filter((g) => g.trim() !== '');
    // Stryker disable next-line ConditionalExpression,EqualityOperator,ArrowFunction: equivalent, picomatch of no globs matches nothing
    this.localOnly = globs.length > 0 ? picomatch(globs, { dot: true }) : () => false;
  }

  /**
   * May this workspace-relative file be read for a model at all, and for this backend? A symbolic
   * link is judged as the file it leads to as well as by its own name: both must be allowed.
   */
  check(relativePath: string, backendIsLocal: boolean): ReadDecision {
    // `src/../../x` is `../x`, and `a/../.env` is `.env`: judge the path as it resolves.
    const slashed = relativePath.replace(/\\/g, '/');
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, normalize already drops `./`, and '' becomes '.', judged as outside
    const rel = slashed === '' ? '' : posix.normalize(slashed).replace(/^\.\//, '').replace(/\/$/, '');
    const named = this.judge(rel === '.' ? '' : rel, backendIsLocal);
    if (!named.allowed) return named;
    const real = this.realPath?.(rel);
    if (real === null) return { allowed: false, reason: 'it is a link to a place outside the workspace' };
    // Stryker disable next-line ConditionalExpression: equivalent, judging the same path twice gives the same answer
    if (real !== undefined && real !== rel) {
      const target = this.judge(real, backendIsLocal);
      if (!target.allowed) return { allowed: false, reason: `it is a link to ${real}, and ${target.reason}` };
    }
    return this.byWhatItIs(real ?? rel, backendIsLocal);
  }

  /**
   * A file with other names (hard links) is judged by each of them in the workspace, and by what
   * it holds; a configuration-like file is judged by what it holds too (a kubeconfig by any name).
   */
  private byWhatItIs(rel: string, backendIsLocal: boolean): ReadDecision {
    const facts = this.disk?.facts(rel);
    if (!this.disk || !facts) return { allowed: true };
    const linked = facts.links > 1;
    if (linked) {
      for (const other of this.disk.namesOf(facts.id, facts.links)) {
        if (other === rel) continue;
        const twin = this.judge(other, backendIsLocal);
        if (!twin.allowed) return { allowed: false, reason: `it is a hard link to ${other}, and ${twin.reason}` };
      }
    }
    if (!worthSniffing(rel, linked)) return { allowed: true };
    const version = `${facts.version}:${facts.links}`;
    let judged = this.contents.get(rel);
    if (judged?.version !== version) {
      const head = this.disk.head(rel);
      judged = { version, kind: head === undefined ? undefined : secretFileKind(head, linked, envNamed(rel)) };
      if (this.contents.size >= MAX_JUDGED) this.contents.clear();
      this.contents.set(rel, judged);
    }
    return judged.kind ? { allowed: false, reason: `it is ${judged.kind}, which Nightshift never reads` } : { allowed: true };
  }

  private judge(rel: string, backendIsLocal: boolean): ReadDecision {
    if (rel === '' || rel.startsWith('../') || rel.startsWith('/') || /^[a-z]:/i.test(rel)) {
      return { allowed: false, reason: 'it is outside the workspace' };
    }
    if (this.denied.ignores(rel)) return { allowed: false, reason: 'it looks like a secrets or key file, which Nightshift never reads' };
    const rule = this.neverReadBy.find((r) => r.matches.ignores(rel));
    if (rule || this.excluded.some((e) => e.ignores(rel)) || this.ignoredBelow(rel)) {
      return { allowed: false, reason: rule ? `the team policy never reads it (${rule.setBy})` : 'it is excluded by .gitignore, .nightshiftignore or nightshift.exclude' };
    }
    if (!backendIsLocal && this.localOnly(rel)) return { allowed: false, reason: `it is marked local-only (${this.localOnlyRule(rel)}) and the backend is not local` };
    return { allowed: true };
  }

  /**
   * Whether a workspace-relative folder is excluded as a folder (`build/` in a .gitignore, the
   * deny list's `.git/`): a file watcher never enters it. A folder's files may still be excluded
   * one by one; this says only that nothing below it can be read.
   */
  excludesFolder(relativeFolder: string): boolean {
    const rel = posix.normalize(relativeFolder.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
    if (rel === '.' || rel === '' || rel.startsWith('../')) return false;
    const dir = `${rel}/`;
    return this.denied.ignores(dir) || this.neverReadBy.some((r) => r.matches.ignores(dir)) || this.excluded.some((e) => e.ignores(dir)) || this.ignoredBelow(rel, '/');
  }

  /** Whether an ignore file in one of the path's folders (below the root) excludes it (`suffix` '/': as a folder). */
  private ignoredBelow(rel: string, suffix = ''): boolean {
    if (!this.nestedIgnore) return false;
    const parts = rel.split('/');
    // Stryker disable next-line EqualityOperator: equivalent, the file's own folder entry is its path, and ignore files name no empty path
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      // Stryker disable next-line ConditionalExpression: a cache, equivalent in results
      if (!this.nested.has(folder)) {
        const texts = this.nestedIgnore(folder);
        // Stryker disable next-line MethodExpression: equivalent, blank rules ignore nothing
        this.nested.set(
          folder,
          (typeof texts === 'string' ? [texts] : texts).filter((t) => t.trim()).map((t) => ignore().add(t)),
        );
      }
      const below = parts.slice(depth).join('/') + suffix;
      if (this.nested.get(folder)!.some((i) => i.ignores(below))) return true;
    }
    return false;
  }

  /** Which rule makes a file local-only: the team policy's, with its file and line, else the setting. */
  localOnlyRule(relativePath: string): string {
    const rel = relativePath.replace(/\\/g, '/');
    const real = this.realPath?.(rel);
    const rule = this.localOnlyBy.find((r) => r.matches(rel) || (typeof real === 'string' && r.matches(real)));
    return rule ? `the team policy: ${rule.setBy}` : 'nightshift.localOnly';
  }

  /** Whether the file may only go to a local backend. */
  isLocalOnly(relativePath: string): boolean {
    const rel = relativePath.replace(/\\/g, '/');
    const real = this.realPath?.(rel);
    return this.localOnly(rel) || (typeof real === 'string' && this.localOnly(real));
  }

  /** Text bound for a backend: secrets redacted unless the backend is on this machine. */
  outbound(text: string, backendIsLocal: boolean): OutboundText {
    if (backendIsLocal && !this.alwaysRedact) return { text, findings: [] };
    const { text: redacted, findings } = redactSecrets(text);
    return { text: redacted, findings };
  }

  /** A file's lines as they may go to a backend one at a time (search hits): secrets found in the whole text. */
  outboundLines(text: string, backendIsLocal: boolean): string[] {
    return backendIsLocal && !this.alwaysRedact ? text.split('\n') : redactedLines(text);
  }

  /**
   * A file and messages about it (diagnostics) bound for a backend: the messages are also
   * scrubbed of every secret found in the file, since compilers quote string literals.
   */
  outboundFile(text: string, messages: readonly string[], backendIsLocal: boolean): OutboundFile {
    if (backendIsLocal && !this.alwaysRedact) return { text, messages: [...messages], findings: [] };
    const file = redactSecrets(text);
    const known = file.values.map((value, i) => ({ kind: file.findings[i].kind, value }));
    const findings: OutboundFile['findings'] = [...file.findings];
    const scrubbed = messages.map((m, index) => {
      const r = redactWithKnown(m, known);
      findings.push(...r.findings.map((f) => ({ ...f, message: index })));
      return r.text;
    });
    return { text: file.text, messages: scrubbed, findings };
  }
}
