/**
 * Files judged by what they hold, not by their name: a kubeconfig with users, a Docker config with
 * registry logins, an npm config with a token, a .pgpass, .netrc or git-credentials file, a private
 * key, an env file of secrets. The privacy gate asks for a configuration-like file whatever its
 * name (a kubeconfig called `cluster.yaml`), and for any file with more than one name (a hard link
 * to .env called `config.ts`). Pure: it reads nothing, the caller hands it the file's start.
 */

/** How much of a file is read to judge it. */
export const SNIFF_BYTES = 64 * 1024;

/** Names whose contents may be a credentials file under another name. */
const CONFIG_LIKE = /(^|\/)[^/.]+$|\.(ya?ml|json|conf|cfg|config|ini|txt|properties|toml|rc)$|(^|\/)\.[^/]*rc$/i;

export function worthSniffing(relativePath: string, linked: boolean): boolean {
  return linked || CONFIG_LIKE.test(relativePath) || envNamed(relativePath);
}

/** A name with `env` as a part of it (`prod.env.bak`, `env.production`, `app.env.local`): an env file's copy or variant, whatever else it says. */
export function envNamed(relativePath: string): boolean {
  return /(^|[/.])env(\.|$)/i.test(relativePath.split('/').pop() ?? relativePath);
}

const SECRET_NAME = /(pass|pwd|secret|token|key|credential|auth|cookie|session|private|dsn|database_url)/i;

function meaningfulLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('//'));
}

/** An env file: nearly every line `NAME=value`, one of the names a secret's. */
function isEnvFile(lines: readonly string[]): boolean {
  if (lines.length === 0) return false;
  const assignments = lines.filter((l) => /^(export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*=/.test(l));
  return assignments.length >= Math.max(1, lines.length * 0.8) && assignments.some((l) => SECRET_NAME.test(l.replace(/^export\s+/, '').split('=')[0]) && !/=\s*$/.test(l));
}

/**
 * What credentials file this is, in words for a refusal ("a kubeconfig with credentials"), or
 * undefined. `linked`: the file has other names, so an env file or key under any name counts;
 * `envNamed`: its name says env (envNamed), so env content counts too.
 */
export function secretFileKind(text: string, linked: boolean, envNamedFile = false): string | undefined {
  const head = text.slice(0, SNIFF_BYTES);
  if (/^kind:[ \t]*["']?Config["']?[ \t]*$/m.test(head) && /^users:/m.test(head)) return 'a kubeconfig with credentials';
  if (/"auths"\s*:\s*\{/.test(head) && /"(auth|identitytoken|password)"\s*:\s*"[^"]+"/.test(head)) return 'a Docker config with registry logins';
  if (/^\s*(\/\/[^\n]*:)?_(authToken|auth|password)\s*=\s*\S/m.test(head)) return 'an npm config with a registry token';
  if (/^\s*-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----/.test(head)) return 'a private key';
  const lines = meaningfulLines(head);
  if (lines.length > 0 && lines.every((l) => /^[^:\s]+:[^:\s]*:[^:\s]*:[^:\s]*:\S+$/.test(l) && /^([^:]+):(\d+|\*):/.test(l))) return 'a .pgpass password file';
  if (/(^|\s)machine\s+\S+(\s+login\s+\S+)?\s+password\s+\S+/.test(head)) return 'a .netrc with passwords';
  if (lines.length > 0 && lines.every((l) => /^[a-z][a-z0-9+.-]*:\/\/[^:/\s@]+:[^@\s]+@\S+$/i.test(l))) return 'a git credentials file';
  if ((linked || envNamedFile) && isEnvFile(lines)) return 'an env file with secrets';
  return undefined;
}
