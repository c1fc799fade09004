/**
 * Issue 23's attack, one case each: a repository planted 26 secrets and 5 reached the model, a
 * hard link to .env was read as an ordinary file, and a `.nightshiftignore` line `!secrets/`
 * re-included a folder .gitignore excludes. Each test feeds the input that got through.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { WorkspaceContext } from '../../../../src/core/context/WorkspaceContext';
import { WorkspaceFiles } from '../../../../src/core/context/WorkspaceFiles';
import { PrivacyRules } from '../../../../src/core/privacy/folderPrivacy';
import { PrivacyGate } from '../../../../src/core/privacy/PrivacyGate';
import { redactSecrets } from '../../../../src/core/privacy/redact';

const sent = (text: string) => redactSecrets(text).text;
const b64 = (s: string) => Buffer.from(s).toString('base64');
const folder = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nightshift-leak-'));
function write(root: string, rel: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

describe('the five secrets that reached the model', () => {
  it('a database URL whose password holds / or +', () => {
    for (const password of ['Xk9/q2+Lm', 'a+b/c', 'p@ss/w0rd+', 'ab:cd/ef']) {
      const out = sent(`DATABASE_URL=postgres://app:${password}@db.internal:5432/app`);
      assert.ok(!out.includes(password), out);
      assert.match(out, /postgres:\/\/app:«redacted url-credentials»@db\.internal/);
    }
    assert.ok(!sent("const url = 'mongodb://svc:pa/ss+w@mongo:27017/x';").includes('pa/ss+w'));
  });

  it("DB_PASS='…': a name without a known secret word and a value under 32 characters", () => {
    for (const [text, secret] of [
      ["DB_PASS='x7!k'", 'x7!k'],
      ['export MYSQL_PWD="q2"', 'q2'],
      ['SMTP_PASSWD=hunter', 'hunter'],
      ['redis_secret: "zz9"', 'zz9'],
      ['--password=s3cr3t!', 's3cr3t!'],
    ]) {
      const out = sent(text);
      assert.ok(!out.includes(secret), `${text} → ${out}`);
    }
  });

  it('a .pgpass file is never read, by its name or as a second name of it', () => {
    const root = folder();
    write(root, '.pgpass', 'db.internal:5432:app:admin:Zq8mP2vL9\n');
    write(root, 'ops/pgpass.txt', 'db.internal:5432:*:admin:Zq8mP2vL9\n');
    const gate = new PrivacyRules(root).current();
    assert.equal(gate.check('.pgpass', false).allowed, false);
    assert.equal(gate.check('ops/.pgpass', false).allowed, false);
    assert.deepEqual(gate.check('ops/pgpass.txt', false), { allowed: false, reason: 'it is a .pgpass password file, which Nightshift never reads' });
  });

  it('an unquoted base64-encoded key', () => {
    const key = b64(`sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`);
    const out = sent(`STRIPE_KEY_B64=${key}\nother: 1`);
    assert.ok(!out.includes(key), out);
    assert.match(out, /«redacted base64-secret»/);
    const pem = b64('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBYqZ3u1x9Qe7k5WcXy0tTQm6y8vR1n2b3c4d5e6f7g8\n-----END EC PRIVATE KEY-----\n');
    assert.ok(!sent(`tls_key: ${pem}`).includes(pem.slice(0, 40)));
  });

  it('a whole base64 private key in a kubeconfig (client-key-data)', () => {
    const body =
      'MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxKLxoS2tFczGkPLPgizskuemMghRniWaoLcyehkd3qqGElvW/VDL5AaWTg0nLVkjRo9z+40RQzuVaE8AkAFmxZzow3x+VJYKdjykkJ0iT9wCS0DRTXu269V264Vf/3jvredZiKRkgwlL9xNAwxXFg0x/XFw005UWVRIkdgcKWTjpBP2dPwVZ4WWC+9aGVd+Gyn1o0CLelf4rEjGoXbAAEgAqeGUxrcIlbjXfbcmwIDAQAB';
    const kubeconfig = [
      'apiVersion: v1',
      'kind: Config',
      'users:',
      '- name: admin',
      '  user:',
      `    client-certificate-data: ${b64(`-----BEGIN CERTIFICATE-----\n${body.slice(0, 64)}\n-----END CERTIFICATE-----\n`)}`,
      `    client-key-data: ${b64(`-----BEGIN RSA PRIVATE KEY-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END RSA PRIVATE KEY-----\n`)}`,
      '    token: k8s7Qv.0a1b2c3d4e5f6a7b',
      '',
    ].join('\n');
    const out = sent(kubeconfig);
    for (const line of kubeconfig.split('\n').slice(5, 8)) assert.ok(!out.includes(line.split(': ')[1]), out);
    assert.match(out, /client-key-data: «redacted/);
    // Read from disk under any name, a kubeconfig with users is not sent at all.
    const root = folder();
    write(root, 'deploy/cluster.yaml', kubeconfig);
    assert.deepEqual(new PrivacyRules(root).current().check('deploy/cluster.yaml', false), { allowed: false, reason: 'it is a kubeconfig with credentials, which Nightshift never reads' });
  });
});

describe('a hard link is judged by the file it is', () => {
  const SECRET = 'Zq8mP2vL9xR4tY7wQ1';

  it('refuses a second name of .env, and of a gitignored file, for every read and search', async () => {
    const root = folder();
    write(root, '.env', `STRIPE_SECRET=${SECRET}\n`);
    write(root, '.gitignore', 'private/\n');
    write(root, 'private/notes.ts', `export const note = "${SECRET}";\n`);
    write(root, 'src/ok.ts', 'export const ok = 1;\n');
    fs.linkSync(path.join(root, '.env'), path.join(root, 'src', 'config.ts'));
    fs.linkSync(path.join(root, 'private', 'notes.ts'), path.join(root, 'src', 'notes.ts'));
    const gate = new PrivacyRules(root).current();
    assert.deepEqual(gate.check('src/config.ts', false), { allowed: false, reason: 'it is a hard link to .env, and it looks like a secrets or key file, which Nightshift never reads' });
    assert.deepEqual(gate.check('src/notes.ts', true), { allowed: false, reason: 'it is a hard link to private/notes.ts, and it is excluded by .gitignore, .nightshiftignore or nightshift.exclude' });
    assert.deepEqual(gate.check('src/ok.ts', false), { allowed: true });
    const context = new WorkspaceContext(new WorkspaceFiles(root, async () => undefined), undefined);
    assert.match(await context.runTool({ tool: 'read', path: 'src/config.ts', from: 1, to: 5 }, gate, true), /not available/);
    assert.equal(await context.runTool({ tool: 'find', text: SECRET }, gate, true), `FIND ${JSON.stringify(SECRET)}: no matches.`);
  });

  it('refuses a linked file that holds an env file, its twin being outside the workspace', () => {
    const root = folder();
    const outside = folder();
    write(outside, 'prod.env', `# production\nDATABASE_URL=postgres://app@db/app\nDB_PASSWORD=${SECRET}\n`);
    fs.mkdirSync(path.join(root, 'src'));
    fs.linkSync(path.join(outside, 'prod.env'), path.join(root, 'src', 'settings.ts'));
    assert.deepEqual(new PrivacyRules(root).current().check('src/settings.ts', false), { allowed: false, reason: 'it is an env file with secrets, which Nightshift never reads' });
  });

  it('still reads two names of an ordinary source file', () => {
    const root = folder();
    write(root, 'src/a.ts', 'export const a = 1;\n');
    fs.linkSync(path.join(root, 'src', 'a.ts'), path.join(root, 'src', 'b.ts'));
    const gate = new PrivacyRules(root).current();
    assert.deepEqual([gate.check('src/a.ts', false), gate.check('src/b.ts', false)], [{ allowed: true }, { allowed: true }]);
  });
});

describe('.nightshiftignore only adds exclusions', () => {
  it('a negation never re-includes what .gitignore excludes, in the root or a subfolder', () => {
    const root = folder();
    write(root, '.gitignore', 'secrets/\n');
    write(root, '.nightshiftignore', '!secrets/\n!secrets/**\ngenerated/*\n!generated/keep.ts\n');
    write(root, 'pkg/.gitignore', 'private/\n');
    write(root, 'pkg/.nightshiftignore', '!private/\n');
    const gate = new PrivacyRules(root).current();
    assert.equal(gate.check('secrets/db.ts', false).allowed, false);
    assert.equal(gate.check('pkg/private/x.ts', false).allowed, false);
    assert.equal(gate.check('generated/other.ts', false).allowed, false);
    assert.equal(gate.check('generated/keep.ts', false).allowed, true, 'a negation still narrows its own file’s exclusions');
  });

  it('nor what the deny list or the team policy excludes', () => {
    const gate = new PrivacyGate({
      nightshiftignore: '!.env\n!vault/\n',
      exclude: ['vault/**', '!vault/**'],
      setBy: { neverRead: [{ globs: ['vault/**'], setBy: '.nightshift/policy.json:4:5 (privacy.neverRead, repository policy)' }] },
    });
    assert.equal(gate.check('.env', false).allowed, false);
    assert.deepEqual(gate.check('vault/keys.ts', false), { allowed: false, reason: 'the team policy never reads it (.nightshift/policy.json:4:5 (privacy.neverRead, repository policy))' });
  });
});

describe('files denied for what they are', () => {
  it('refuses every credentials file by its name', () => {
    const gate = new PrivacyGate();
    for (const f of [
      '.pgpass',
      'home/.pgpass',
      '.kube/config',
      'kubeconfig',
      'kubeconfig.prod.yaml',
      'kubeconfig-staging',
      'ci/prod.kubeconfig',
      '.git-credentials',
      '.docker/config.json',
      '.dockercfg',
      '.netrc',
      '_netrc',
      '.npmrc',
      'id_rsa',
      'id_rsa.pub',
      'id_ed25519',
      'tls/server.pem',
      'tls/server.key',
      'certs/client.p12',
      '.env',
      '.env.local',
      '.envrc',
      'deploy/prod.env',
      '.my.cnf',
      'web/.htpasswd',
      'keys/putty.ppk',
      'krb/service.keytab',
    ]) {
      assert.deepEqual(gate.check(f, false), { allowed: false, reason: 'it looks like a secrets or key file, which Nightshift never reads' }, f);
    }
    for (const f of ['src/env.ts', 'docs/kube.md', 'src/netrc.ts', 'pgpass.md']) assert.deepEqual(gate.check(f, false), { allowed: true }, f);
  });

  it('refuses a credentials file by what it holds, whatever its name, and reads a look-alike', () => {
    const root = folder();
    const files: Record<string, string | undefined> = {
      'deploy/cluster.yaml': 'apiVersion: v1\nkind: Config\nclusters: []\nusers:\n- name: u\n  user:\n    token: abc\n',
      'ci/registry.json': '{\n  "auths": {\n    "ghcr.io": { "auth": "dXNlcjpwYXNz" }\n  }\n}\n',
      'ops/npm-config': '//npm.example.com/:_authToken=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\n',
      'ops/machines.txt': 'machine api.example.com login deploy password Zq8mP2vL9\n',
      'ops/creds.txt': 'https://deploy:ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8@github.com\n',
      'ops/deploy': '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n',
      'k8s/deployment.yaml': undefined,
    };
    for (const [rel, text] of Object.entries(files)) write(root, rel, text ?? 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n');
    write(root, 'k8s/clusters.yaml', 'apiVersion: v1\nkind: Config\nclusters:\n- name: c\n');
    const gate = new PrivacyRules(root).current();
    const reasons = Object.keys(files).map((rel) => gate.check(rel, false));
    assert.deepEqual(
      reasons.map((r) => (r.allowed ? 'allowed' : r.reason.replace(/, which Nightshift never reads$/, ''))),
      ['it is a kubeconfig with credentials', 'it is a Docker config with registry logins', 'it is an npm config with a registry token', 'it is a .netrc with passwords', 'it is a git credentials file', 'it is a private key', 'allowed'],
    );
    assert.equal(gate.check('k8s/clusters.yaml', false).allowed, true, 'a kubeconfig without users holds no credentials');
  });

  it('refuses an env file named as a copy or variant of one (prod.env.bak, env.production), and reads code named env (found by the outside test)', () => {
    const root = folder();
    const env = 'DB_PASSWORD=Zq8mP2vL9x\nSIGNING_SEED=7f3a9c1e55\nAPP_SALT=q2w3e4r5\n';
    for (const rel of ['deploy/prod.env.bak', 'deploy/env.production', 'app.env.local']) write(root, rel, env);
    write(root, 'src/env.ts', 'export const env = { port: Number(process.env.PORT ?? 3000) };\n');
    write(root, 'docs/env.production.md', '# What goes in env.production\n\nSee the wiki.\n');
    const gate = new PrivacyRules(root).current();
    for (const rel of ['deploy/prod.env.bak', 'deploy/env.production', 'app.env.local']) assert.deepEqual(gate.check(rel, false), { allowed: false, reason: 'it is an env file with secrets, which Nightshift never reads' }, rel);
    for (const rel of ['src/env.ts', 'docs/env.production.md']) assert.deepEqual(gate.check(rel, false), { allowed: true }, rel);
  });
});
