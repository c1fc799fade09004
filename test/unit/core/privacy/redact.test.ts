import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PrivacyGate } from '../../../../src/core/privacy/PrivacyGate';
import { redactedLines, redactSecrets, redactWithKnown } from '../../../../src/core/privacy/redact';
import { entropy } from '../../../../src/core/privacy/secretPatterns';

const SECRETS: Array<[string, string]> = [
  ['aws-access-key', 'const id = "AKIAIOSFODNN7EXAMPLQ";'],
  ['github-token', `token: ghp_${'A1b2'.repeat(9)}`],
  ['github-token', `github_pat_${'11ABCDEFG0'.repeat(3)}_xyz`],
  ['slack-token', 'SLACK=xoxb-123456789012-abcdefghijklmn'],
  ['anthropic-key', `key = "sk-ant-api03-${'Zx9_'.repeat(8)}"`],
  ['openai-key', `OPENAI_KEY: sk-proj-${'q8W2'.repeat(8)}`],
  ['stripe-key', `stripe("${'sk_' + 'live_'}${'4eC39HqLyjWDarjtT1zdp7dc'}")`],
  ['google-api-key', `AIza${'SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6q'}`],
  ['jwt', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['url-credentials', 'DATABASE_URL=postgres://admin:S3cr3tP4ss!@db.internal:5432/app'],
  ['assigned-secret', "const apiKey = 'f3a9c81b7e2d4a6f9b0c';"],
  ['assigned-secret', 'DB_PASSWORD=Zq8#mP2$vL9!xR4'],
  ['sendgrid-key', `SENDGRID=SG.${'aB3dE5fG7hJ9kL1mN3pQ5r'}.${'sT7uV9wX1yZ3aB5cD7eF9gH1iJ3kL5mN7oP9qR1sT3u'}`],
  ['stripe-key', `const restricted = '${'rk_' + 'live_'}${'51HqLyjWDarjtT1zdp7dcAbC'}';`],
  ['stripe-webhook-secret', `endpointSecret := "whsec_${'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'}"`],
  ['slack-webhook', `url: https://hooks.slack.com/services/${'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'}`],
  ['gitlab-token', `GITLAB_TOKEN: glpat-${'xR4vN8qL2mK6pT9wY3zB'}`],
  ['npm-token', `//registry.npmjs.org/:_authToken=npm_${'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'}`],
  ['huggingface-token', `HF = "hf_${'aBcDeFgHiJkLmNoPqRsTuVwXyZ012345'}"`],
  ['twilio-key', `client = Twilio("SK${'0123456789abcdef0123456789abcdef'}", secret)`],
  ['azure-key', `"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='};EndpointSuffix=core.windows.net"`],
  ['high-entropy-string', `aws = { region: "eu-west-1", s3: "${'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'}" }`],
  ['high-entropy-string', `const x = '${'Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZmdo'}';`],
  ['url-credentials', 'mongodb+srv://app:hunter2secret@cluster0.mongodb.net/db'],
  ['private-key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----'],
];

const HARMLESS = [
  'const password = process.env.DB_PASSWORD;',
  'const token = getToken();',
  "placeholder: apiKey = 'your-api-key-here'",
  'secretSanta = "holiday-party-list"',
  'const tokenizer = new Tokenizer({ maxTokens: 4096 });',
  'password: "********"',
  'import { createSecretKey } from "node:crypto";',
  'See https://example.com/docs/api-keys for how to get one.',
  'password: decode(password),',
  'const token = this.config.authToken;',
  'apiKey = settings["apiKey"]',
  'const checksum = "3c6e0b8a9c15224a8228b9a98ca1531dd3c6e0b8a9c15224";',
  'const id = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";',
  'const sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";',
  'const mode = "READ_WRITE_EXECUTE_PERMISSIONS_ALL_USERS";',
  'const path = "src/core/privacy/secretPatterns/highEntropy.ts";',
];

describe('redactSecrets', () => {
  for (const [kind, text] of SECRETS) {
    it(`finds a ${kind}: ${text.slice(0, 30)}…`, () => {
      const r = redactSecrets(`line one\n${text}\n`);
      assert.equal(r.findings[0]?.kind, kind, JSON.stringify(r.findings));
      assert.equal(r.findings[0].line, 2);
      assert.match(r.text, new RegExp(`«redacted ${kind}»`));
      for (const v of r.values) assert.ok(!r.text.includes(v));
    });
  }

  it('leaves ordinary code alone', () => {
    for (const text of HARMLESS) assert.deepEqual(redactSecrets(text).findings, [], text);
  });

  it('reports kinds and lines only: findings carry no value', () => {
    const r = redactSecrets('a\nb\nconst apiKey = "f3a9c81b7e2d4a6f9b0c";');
    assert.deepEqual(r.findings, [{ kind: 'assigned-secret', line: 3 }]);
  });
});

describe('PrivacyGate', () => {
  const gate = new PrivacyGate({ gitignore: 'node_modules/\n*.log\n', nightshiftignore: 'vendor/**\n', exclude: ['**/*.snap'], localOnly: ['src/billing/**'] });

  it('refuses secret files whatever the ignore rules say', () => {
    for (const f of ['.env', '.env.local', 'deploy/prod.env', 'keys/server.pem', 'id_rsa', '.ssh/config', '.aws/credentials', '.npmrc', 'infra/terraform.tfstate']) {
      assert.equal(gate.check(f, true).allowed, false, f);
    }
  });

  it('honours .gitignore, .nightshiftignore and nightshift.exclude', () => {
    for (const f of ['node_modules/x/index.js', 'debug.log', 'vendor/lib.ts', 'src/__snapshots__/a.snap']) assert.equal(gate.check(f, true).allowed, false, f);
    assert.equal(gate.check('src/index.ts', false).allowed, true);
  });

  it('honours ignore files in subfolders, relative to their folder', () => {
    const nested = new PrivacyGate({ nestedIgnore: (folder) => (folder === 'packages/api' ? 'generated/\n*.gen.ts\n' : '') });
    assert.equal(nested.check('packages/api/generated/client.ts', false).allowed, false);
    assert.equal(nested.check('packages/api/src/schema.gen.ts', false).allowed, false);
    assert.equal(nested.check('packages/web/generated/client.ts', false).allowed, true);
    assert.equal(nested.check('generated/x.ts', false).allowed, true);
  });

  it('sends local-only files to local backends only, and nothing outside the workspace', () => {
    assert.equal(gate.check('src/billing/tax.ts', false).allowed, false);
    assert.equal(gate.check('src/billing/tax.ts', true).allowed, true);
    assert.equal(gate.check('../other/secret.ts', true).allowed, false);
  });

  it('redacts only for remote backends', () => {
    const text = 'const apiKey = "f3a9c81b7e2d4a6f9b0c";';
    assert.equal(gate.outbound(text, true).text, text);
    assert.notEqual(gate.outbound(text, false).text, text);
  });
});

describe('PrivacyGate, every rule on its own', () => {
  const bare = new PrivacyGate();
  // One path per always-denied pattern, matched by that pattern alone.
  const DENIED_SAMPLES = [
    '.env',
    'config/.env.production',
    'deploy/prod.env',
    'tls/server.pem',
    'tls/server.key',
    'certs/a.p12',
    'certs/a.pfx',
    'java/store.jks',
    'android/release.keystore',
    'vault.kdbx',
    'id_rsa',
    'keys/id_dsa.pub',
    'id_ecdsa',
    'home/id_ed25519',
    '.npmrc',
    '.pypirc',
    '.netrc',
    '.git-credentials',
    '.aws/config',
    '.ssh/known_hosts',
    '.gnupg/pubring.kbx',
    '.docker/config.json',
    'secrets.json',
    'config/secrets.yaml',
    'client_secret_42.json',
    'credentials',
    'gcp/credentials.json',
    'credentials.yml',
    'maven/credentials.xml',
    'infra/main.tfstate',
    'prod.tfvars',
    '.git/config',
  ];

  it('refuses a file of every always-denied kind', () => {
    for (const f of DENIED_SAMPLES) assert.deepEqual(bare.check(f, true), { allowed: false, reason: 'it looks like a secrets or key file, which Nightshift never reads' }, f);
    assert.deepEqual(bare.check('src/env.ts', true), { allowed: true });
    assert.deepEqual(bare.check('docs/keys.md', true), { allowed: true });
  });

  it('reads Windows paths as the same paths: backslashes, drive letters, ./', () => {
    for (const f of ['src\\..\\..\\x.ts', 'C:\\Users\\me\\x.ts', 'c:/x.ts', '/etc/passwd', '', '../x.ts']) {
      assert.deepEqual(bare.check(f, true), { allowed: false, reason: 'it is outside the workspace' }, f);
    }
    assert.equal(bare.check('.\\.env', true).allowed, false);
    assert.equal(bare.check('config\\.env', true).allowed, false);
    assert.equal(bare.check('./src/a.ts', true).allowed, true);
    assert.equal(bare.check('src/../.env', true).allowed, false, 'a detour does not hide the .env');
    assert.equal(bare.check('src/./../src/a.ts', true).allowed, true);
  });

  it('says why for an excluded and a local-only file', () => {
    const gate = new PrivacyGate({ exclude: ['build/'], localOnly: ['billing/**', ' '] });
    assert.deepEqual(gate.check('build/x.js', true), { allowed: false, reason: 'it is excluded by .gitignore, .nightshiftignore or nightshift.exclude' });
    assert.deepEqual(gate.check('billing/tax.ts', false), { allowed: false, reason: 'it is marked local-only (nightshift.localOnly) and the backend is not local' });
    assert.equal(gate.isLocalOnly('billing\\tax.ts'), true);
    assert.equal(gate.isLocalOnly('src/tax.ts'), false);
    assert.equal(new PrivacyGate({ localOnly: ['  '] }).isLocalOnly('anything.ts'), false, 'a blank glob names nothing');
  });

  it('scrubs the messages about a file of the secrets found in it, for a remote backend only', () => {
    const gate = new PrivacyGate();
    const text = 'const a = 1;\nexport const key = "AKIAIOSFODNN7EXAMPLQ";\n';
    const out = gate.outboundFile(text, ["Type '\"AKIAIOSFODNN7EXAMPLQ\"' is not assignable to type 'number'.", 'plain'], false);
    assert.doesNotMatch(out.text + out.messages.join('\n'), /AKIAIOSFODNN7EXAMPLQ/);
    assert.deepEqual(out.messages[1], 'plain');
    assert.deepEqual(out.findings, [
      { kind: 'aws-access-key', line: 2 },
      { kind: 'aws-access-key', line: 1, message: 0 },
    ]);
    const local = gate.outboundFile(text, ['m'], true);
    assert.deepEqual(local, { text, messages: ['m'], findings: [] });
    assert.deepEqual(gate.outbound(text, true), { text, findings: [] });
    assert.deepEqual(gate.outboundLines('a\nb', true), ['a', 'b']);
  });
});

describe('redaction details', () => {
  it('redacts two secrets whatever order the patterns find them in', () => {
    const text = `first ghp_${'A1b2'.repeat(9)} then AKIAIOSFODNN7EXAMPLQ`;
    const r = redactSecrets(text);
    assert.equal(r.text, 'first «redacted github-token» then «redacted aws-access-key»');
    assert.deepEqual(
      r.findings.map((f) => f.kind),
      ['github-token', 'aws-access-key'],
    );
  });

  it('counts lines to each secret, and keeps the text between them', () => {
    const r = redactSecrets('a\nAKIAIOSFODNN7EXAMPLQ\nb\n\nAKIAIOSFODNN7EXAMPLR c\n');
    assert.deepEqual(
      r.findings.map((f) => f.line),
      [2, 5],
    );
    assert.equal(r.text, 'a\n«redacted aws-access-key»\nb\n\n«redacted aws-access-key» c\n');
    assert.deepEqual(r.values, ['AKIAIOSFODNN7EXAMPLQ', 'AKIAIOSFODNN7EXAMPLR']);
  });

  it('scrubs known values wherever they are, and ignores ones too short to be a secret', () => {
    const r = redactWithKnown('said hunter2hunter2 and abc', [
      { kind: 'assigned-secret', value: 'hunter2hunter2' },
      { kind: 'x', value: 'abc' },
    ]);
    assert.equal(r.text, 'said «redacted assigned-secret» and abc');
    assert.deepEqual(r.findings, [{ kind: 'assigned-secret', line: 1 }]);
  });

  it('marks every line a key block touches, and no other', () => {
    const lines = redactedLines('before\nx = `-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----` + y\nafter');
    assert.deepEqual(lines, ['before', 'x = `«redacted private-key»', '«redacted private-key»', '«redacted private-key»` + y', 'after']);
    assert.deepEqual(redactedLines('no secrets\nhere'), ['no secrets', 'here']);
  });

  it('measures entropy in bits per character', () => {
    assert.equal(entropy('aaaa'), 0);
    assert.equal(entropy('abcd'), 2);
    assert.equal(entropy('ab'), 1);
  });
});

describe('secret formats, edge by edge', () => {
  const kinds = (text: string) => redactSecrets(text).findings.map((f) => f.kind);

  it('finds a secret assigned to any of the names secrets go by', () => {
    for (const name of ['password', 'passwd', 'pwd', 'secret', 'token', 'api_key', 'api-key', 'apikey', 'access_key', 'accesskey', 'auth_key', 'authkey', 'private_key', 'privatekey', 'client_secret', 'clientsecret', 'credential']) {
      assert.deepEqual(kinds(`${name} = "Zq8mP2vL9xR4tY7w"`), ['assigned-secret'], name);
    }
  });

  it('does not take placeholders, short values, low-entropy values or code for secrets', () => {
    for (const text of [
      'api_key = "xxxxxxxxxxxxxxxx"',
      'password: "****************"',
      'token = "................"',
      'secret = "<your-token-here>"',
      'secret = "${SECRET_VALUE}"',
      'token = "example"',
      'apiKey = "placeholder"',
      'apiKey = "your_key_goes_here"',
      'password = "changeme"',
      'api_key = "a1B2c3D4"',
      'token = config.auth.token',
      'secret = env["SECRET"]',
      'password = os.getenv("PW")',
    ])
      assert.deepEqual(kinds(text), [], text);
    assert.deepEqual(kinds('password = "Zq8#mP2$vL9!"'), ['assigned-secret'], 'twelve random characters are enough');
    // A name that says password holds one whatever its length or entropy (issue 23: `DB_PASS='x7!k'` was sent).
    assert.deepEqual(kinds('pwd = "a1B2c3D4"'), ['password-assignment']);
    assert.deepEqual(kinds('password = "aaaaaaaaaaaaaaa1"'), ['password-assignment']);
  });

  it('takes a quoted high-entropy string only when it mixes digits, lower and upper case', () => {
    const mixed = 'Zm9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFi';
    assert.equal(mixed.length, 32);
    assert.deepEqual(kinds(`x = "${mixed}"`), ['high-entropy-string']);
    assert.deepEqual(kinds(`x = '${mixed}'`), ['high-entropy-string']);
    for (const value of ['abcdefghijklmnopqrstuvwxyzABCDEFGHIJ', 'abcdefghij0123456789klmnopqrstuvwxyz', 'ABCDEFGHIJ0123456789KLMNOPQRSTUVWXYZ', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaA1']) {
      assert.deepEqual(kinds(`x = "${value}"`), [], value);
    }
  });

  it('knows each provider format in its variants', () => {
    assert.deepEqual(kinds(`k = sk-${'Ab3dEf6hIj9lMn2pQr5tUv8x'}`), ['openai-key']);
    assert.deepEqual(kinds(`https://hooks.slack.com/workflows/${'T01ABCDEF/A02BCDEFG/123456789012345678'}`), ['slack-webhook']);
    assert.deepEqual(kinds(`SLACK_APP=xapp-1-${'A012BCDEFGH-1234567890123-abcdef'}`), ['slack-token']);
    assert.deepEqual(kinds(`Endpoint=sb://x.servicebus.windows.net/;SharedAccessKeyName=r;SharedAccessKey=${'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6I='}`), ['azure-key']);
    assert.deepEqual(kinds(`https://acct.blob.core.windows.net/c/b?sv=2022-11-02&sig=${'abcDEF123%2BghiJKL456%2FmnoPQR789stuVWX'}`), ['azure-key']);
    assert.deepEqual(kinds('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBYq\n-----END EC PRIVATE KEY-----'), ['private-key']);
    assert.deepEqual(kinds('-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF\n'), ['private-key'], 'an unterminated block is taken to the end');
  });

  it('counts a secret on a line after a leading line break as line 2, and leaves harmless text without values', () => {
    assert.deepEqual(redactSecrets('\nAKIAIOSFODNN7EXAMPLQ').findings, [{ kind: 'aws-access-key', line: 2 }]);
    assert.deepEqual(redactSecrets('nothing to see').values, []);
    const six = redactWithKnown('abc123 here', [{ kind: 'assigned-secret', value: 'abc123' }]);
    assert.equal(six.text, '«redacted assigned-secret» here', 'six characters are a secret worth scrubbing');
  });
});

describe('PrivacyGate, paths and globs', () => {
  it('treats "." and a path back to the root as outside, and a colon inside a name as a name', () => {
    const gate = new PrivacyGate();
    assert.equal(gate.check('.', true).allowed, false);
    assert.equal(gate.check('src/..', true).allowed, false);
    assert.equal(gate.check('src/a:b.ts', true).allowed, true);
  });

  it('matches local-only globs on dotfiles too', () => {
    const gate = new PrivacyGate({ localOnly: ['billing/**'] });
    assert.equal(gate.isLocalOnly('billing/.rates.ts'), true);
    assert.equal(gate.check('billing/.rates.ts', false).allowed, false);
  });

  it('anchors a subfolder ignore file’s patterns to that subfolder', () => {
    const gate = new PrivacyGate({ nestedIgnore: (folder) => (folder === 'packages/api' ? '/local.ts\n' : '') });
    assert.equal(gate.check('packages/api/local.ts', true).allowed, false);
    assert.equal(gate.check('packages/api/src/local.ts', true).allowed, true);
  });

  it('redacts text for a remote backend and says what it took', () => {
    const out = new PrivacyGate().outbound('key AKIAIOSFODNN7EXAMPLQ', false);
    assert.deepEqual(out, { text: 'key «redacted aws-access-key»', findings: [{ kind: 'aws-access-key', line: 1 }] });
  });
});
