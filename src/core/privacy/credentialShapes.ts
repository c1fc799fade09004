/**
 * Secrets gitleaks' rules miss, as rules of the same form (run by the same RuleSet, keywords
 * first): a password in a URL whatever its characters (`postgres://app:pa/ss+w@db`), a value of
 * any length assigned to a name that says password or secret (`DB_PASS='x7!k'`, `dbPassword:
 * "hunter2"`, `--password=…`), and a kubeconfig's credentials (`client-key-data`, `token`).
 * What a name is judged by: its last word (camelCase, snake_case, kebab-case and dotted names
 * split into words) is a password word, or only qualifiers (`_PROD`, `_OLD`) follow one; what a
 * value is judged by: not a reference (`$DB_PASS`, `${{ secrets.X }}`), a placeholder, a type or code.
 */
import type { RuleSpec } from './ruleSet';

const PASSWORD_WORDS = new Set(['pass', 'passwd', 'password', 'pwd', 'pw', 'passphrase', 'passcode', 'secret']);
/** Words a name may end in after its password word and still hold a password. */
const QUALIFIERS = new Set(['prod', 'production', 'dev', 'development', 'test', 'staging', 'stage', 'qa', 'local', 'old', 'new', 'current', 'value', 'plain', 'cleartext', 'raw', 'b64', 'base64', 'str', 'string', 'text', 'enc', 'encoded', 'override', 'default', 'env']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether a name says it holds a password or a secret. */
export function namesPassword(name: string): boolean {
  const parts = words(name);
  for (let i = parts.length - 1; i >= 0; i--) {
    const w = parts[i];
    if (PASSWORD_WORDS.has(w) || (w.length > 8 && /(password|passwd|passphrase|secret)$/.test(w))) return true;
    if (!QUALIFIERS.has(w)) return false;
  }
  return false;
}

const TYPE_WORDS = /^(string|str|number|int|integer|boolean|bool|bytes|buffer|secretstr|securestring|optional\b.*|text|char|varchar\b.*|any|unknown|object|undefined|null|none|nil|true|false|yes|no|on|off)$/i;
const PLACEHOLDER = /^(\*+|x+|•+|\.+|…|-+|_+|changeme|change[-_ ]?me|example|placeholder|redacted|hidden|secret|password|passwd|pass|pwd|your[-_ a-z]*|<[^>]*>|\[[^\]]*\]|«[^»]*»|%[sv]|\?+)$/i;

/** Whether an assigned value could be a password: not a reference, a placeholder, a type or code. */
export function couldBePassword(value: string): boolean {
  const v = value.trim();
  if (v === '' || PLACEHOLDER.test(v) || TYPE_WORDS.test(v.replace(/[;,)]+$/, ''))) return false;
  // A mark (`pass: '✓'`) or a counter (`PASS = 0`), not a password.
  if ((!/[A-Za-z0-9]/.test(v) && v.length <= 3) || /^\d{1,3}$/.test(v)) return false;
  if (/^(\$\{?[A-Za-z_]|\$\(|\{\{|%[A-Za-z_]+%|#\{|process\.env|os\.environ|env\(|getenv|<%)/.test(v)) return false;
  // A version (`"@inquirer/password": "^5.2.5"` in a lock file), not a password.
  if (/^[\^~>=<]*v?\d+(\.\d+){1,3}([-+][\w.]+)?$/.test(v)) return false;
  // A file's path (`PASSWORD_FILE`-style values, the shell's `pwd`), not its contents.
  if (/^(~|\.{1,2})?\/[\w./-]*$/.test(v)) return false;
  // Code, not a value: a call, a member chain, an index, a lambda, a statement's end, a negation.
  if (/[()[\]{}]|=>|;$|^!+[A-Za-z_$]|^[A-Za-z_$][\w$.]*[<>]/.test(v)) return false;
  if (/^[A-Za-z_$][\w$]*(\??\.[A-Za-z_$][\w$]*)+$/.test(v)) return false;
  return true;
}

/**
 * A quoted value could be a password when it is no reference, placeholder, type or code; a bare
 * word is held to more: an identifier is code (`password = password`, `{ password: pw }`) unless it
 * has a digit, or the name is an environment variable's (`DB_PASS=hunter`) and the word no other
 * constant's, or it ends its line (YAML, INI) and is not itself named like a password.
 */
function quotedOrDense(value: string, m: RegExpExecArray, bareGroup: number): boolean {
  if (!couldBePassword(value)) return false;
  // A string literal type in a union (`token: "extends" | "implements"`), not a value.
  if (/^[ \t]*\|(?!\|)/.test(m.input.slice(m.index + m[0].length))) return false;
  if (m[bareGroup] !== value || !/^[A-Za-z_$][\w$]*$/.test(value)) return true;
  if (/^[A-Z][A-Z0-9_]*$/.test(m[1])) return !/^[A-Z][A-Z0-9]*_[A-Z0-9_]*$/.test(value);
  if (/\d/.test(value)) return true;
  const endsLine = /^[ \t]*(#.*)?(\r?\n|$)/.test(m.input.slice(m.index + m[0].length));
  return endsLine && !namesPassword(value);
}

const VALUE = String.raw`(?:"((?:[^"\\\n]|\\.){1,300})"|'((?:[^'\\\n]|\\.){1,300})'|\x60([^\x60\n]{1,300})\x60|([^\s"'\x60,;()#\]}][^\s,;#"'\x60]{0,300}))`;

export const CREDENTIAL_SHAPES: readonly RuleSpec[] = [
  {
    id: 'url-credentials',
    // scheme://user:password@host — the password runs to the last @ before the host, so `/`, `+`, `@` and `:` in it count.
    re: String.raw`\b[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/[^\s:/?#@'"\x60<>]{0,200}:([^\s'"\x60<>]{1,300})@(?=[\w[%-])`,
    flags: '',
    keywords: ['://'],
    group: 1,
    accept: (secret) => couldBePassword(secret) && !/^\d{1,5}(\/|$)/.test(secret),
  },
  {
    id: 'password-assignment',
    // name = value, name: value, name := value, NAME=value, "name": "value", name == "value".
    re: String.raw`(?<![\w$.@/-])([A-Za-z_$][\w$.-]{0,80})["']?[ \t]*(?:===?|!==?|:=|=>|=|:)[ \t]*${VALUE}`,
    flags: '',
    keywords: ['pass', 'pwd', 'pw', 'secret'],
    group: [2, 3, 4, 5],
    accept: (secret, m) => namesPassword(m[1]) && quotedOrDense(secret, m, 5),
  },
  {
    id: 'password-assignment',
    // With a type between: `const dbPassword: string = "…"`, `dbPass: "literal" = "…"` (the first form stops at the type).
    re: String.raw`(?<![\w$.@/-])([A-Za-z_$][\w$]{0,80})[ \t]*:[ \t]*[^=;\n]{1,80}?[ \t]*=(?![=>])[ \t]*${VALUE}`,
    flags: '',
    keywords: ['pass', 'pwd', 'pw', 'secret'],
    group: [2, 3, 4, 5],
    accept: (secret, m) => namesPassword(m[1]) && quotedOrDense(secret, m, 5),
  },
  {
    id: 'password-assignment',
    // A fallback for a variable named for a password: `process.env.DB_PASSWORD ?? "…"`, `|| '…'`.
    re: String.raw`([A-Za-z_$][\w$.]{0,80})[ \t]*(?:\?\?|\|\|)[ \t]*(?:"((?:[^"\\\n]|\\.){1,300})"|'((?:[^'\\\n]|\\.){1,300})')`,
    flags: '',
    keywords: ['pass', 'pwd', 'secret'],
    group: [2, 3],
    accept: (secret, m) => namesPassword(m[1].split('.').pop() ?? m[1]) && couldBePassword(secret),
  },
  {
    id: 'authorization-header',
    // An HTTP credential written out: `Authorization: "Basic ZGVw…"`, `"Bearer Zk9L…"` (a word of prose has no digit).
    re: String.raw`\b(?:Basic|Bearer|Token)[ \t]+([A-Za-z0-9+/._~-]{16,}={0,2})`,
    flags: '',
    keywords: ['basic', 'bearer', 'token'],
    group: 1,
    accept: (secret) => /\d/.test(secret) && /[A-Za-z]/.test(secret) && couldBePassword(secret),
  },
  {
    id: 'password-assignment',
    // Command lines: --password=…, --password …, -p=… is too short to tell.
    re: String.raw`(?:^|\s)--?(?:password|passwd|pass|pwd|secret)(?:=|[ \t]+)(?:"([^"\n]{1,300})"|'([^'\n]{1,300})'|([^\s"'-][^\s]{0,300}))`,
    flags: 'i',
    keywords: ['-pass', '-pwd', '-secret'],
    group: [1, 2, 3],
    accept: (secret) => couldBePassword(secret),
  },
  {
    id: 'kubeconfig-credential',
    // A kubeconfig's user entry (or any YAML) holding a key, a certificate or a token.
    re: String.raw`(?:^|\n)[ \t]*(?:-[ \t]+)?(client-key-data|client-certificate-data|token|id-token|refresh-token|access-token|auth-token)[ \t]*:[ \t]*(?:"([^"\n]+)"|'([^'\n]+)'|([^\s"'\x60,;()#\]}][^\s,;#]*))`,
    flags: '',
    keywords: ['client-key-data', 'client-certificate-data', 'token'],
    group: [2, 3, 4],
    // A bare token has digits in it (`id-token: write` in a workflow's permissions is no token).
    accept: (secret, m) => m[1].endsWith('-data') || (quotedOrDense(secret, m, 4) && (m[4] !== secret || (/\d/.test(secret) && secret.length >= 6))),
  },
  {
    id: 'netrc-password',
    // machine host login user password secret, on one line or several.
    re: String.raw`\bmachine\s+\S+(?:\s+(?:login|account|port)\s+\S+)*\s+password\s+(\S+)`,
    flags: '',
    keywords: ['machine'],
    group: 1,
    multiline: true,
    accept: (secret) => couldBePassword(secret),
  },
];
