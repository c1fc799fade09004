/**
 * A corpus for the redactor: fake secrets of many formats, each in the kind of text it turns up in
 * (source, config, shell, YAML, URLs), and look-alikes that are not secrets (hashes, integrity
 * strings, UUIDs, SHAs, code that names a password, base64 of plain text). Every value is made
 * here from a seeded generator in its format's shape: none is, or was, a real credential.
 * Used by the unit test (recall and false positives) and the bench row.
 */
import { seededRandom } from './seededRandom';

export interface SecretCase {
  format: string;
  /** The text the secret sits in. */
  text: string;
  /** The value that must not survive redaction. */
  secret: string;
}

export interface LookAlike {
  name: string;
  text: string;
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';
const ALNUM = UPPER + LOWER + DIGITS;
const B64 = ALNUM + '+/';

function generator(seed: number) {
  const random = seededRandom(seed);
  const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  return { pick, random };
}

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

/** A fake PEM private key block: the right header and DER prefix, random body. */
function fakePem(kind: 'RSA PRIVATE KEY' | 'PRIVATE KEY' | 'EC PRIVATE KEY', pick: (a: string, n: number) => string, lines = 6): string {
  const prefix = kind === 'PRIVATE KEY' ? 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC' : kind === 'EC PRIVATE KEY' ? 'MHcCAQEEI' : 'MIIEowIBAAKCAQEA';
  const body = [prefix + pick(B64, 64 - prefix.length), ...Array.from({ length: lines - 1 }, () => pick(B64, 64))];
  return `-----BEGIN ${kind}-----\n${body.join('\n')}\n-----END ${kind}-----`;
}

/** A DER private key's bytes (PKCS#8 header, random rest). */
function fakeDer(random: () => number): Buffer {
  const header = Buffer.from([0x30, 0x82, 0x04, 0xbd, 0x02, 0x01, 0x00, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]);
  return Buffer.concat([header, Buffer.from(Array.from({ length: 90 }, () => Math.floor(random() * 256)))]);
}

export function secretCases(seed = 23): SecretCase[] {
  const { pick, random } = generator(seed);
  const cases: SecretCase[] = [];
  const add = (format: string, secret: string, text: (s: string) => string) => cases.push({ format, secret, text: text(secret) });
  for (let round = 0; round < 2; round++) {
    add('aws-access-key-id', `AKIA${pick(UPPER + '234567', 16)}`, (s) => `aws_access_key_id = ${s}`);
    add('aws-secret-access-key', pick(B64, 40), (s) => `export AWS_SECRET_ACCESS_KEY="${s}"`);
    add('github-pat', `ghp_${pick(ALNUM, 36)}`, (s) => `const octokit = new Octokit({ auth: "${s}" });`);
    add('github-fine-grained-pat', `github_pat_${pick(ALNUM, 22)}_${pick(ALNUM, 59)}`, (s) => `GITHUB_TOKEN=${s}`);
    add('github-oauth', `gho_${pick(ALNUM, 36)}`, (s) => `token: ${s}`);
    add('gitlab-pat', `glpat-${pick(ALNUM + '_-', 20)}`, (s) => `git clone https://oauth2:${s}@gitlab.example.com/group/app.git`);
    add('slack-bot-token', `xoxb-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${pick(ALNUM, 24)}`, (s) => `slack = WebClient(token="${s}")`);
    add('slack-webhook', `https://hooks.slack.com/services/T${pick(UPPER + DIGITS, 8)}/B${pick(UPPER + DIGITS, 10)}/${pick(ALNUM, 24)}`, (s) => `webhook_url: ${s}`);
    add('stripe-secret-key', `sk_live_${pick(ALNUM, 24)}`, (s) => `Stripe.apiKey = "${s}";`);
    add('stripe-restricted-key', `rk_live_${pick(ALNUM, 24)}`, (s) => `STRIPE_RESTRICTED=${s}`);
    add('openai-key', `sk-proj-${pick(ALNUM + '_-', 48)}`, (s) => `client = OpenAI(api_key="${s}")`);
    add('anthropic-key', `sk-ant-api03-${pick(ALNUM + '_-', 93)}AA`, (s) => `ANTHROPIC_API_KEY=${s}`);
    add('google-api-key', `AIza${pick(ALNUM + '_-', 35)}`, (s) => `<script src="https://maps.example.com/api/js?key=${s}"></script>`);
    add('sendgrid-key', `SG.${pick(ALNUM + '_-', 22)}.${pick(ALNUM + '_-', 43)}`, (s) => `sgMail.setApiKey('${s}');`);
    add('twilio-api-key', `SK${pick(HEX, 32)}`, (s) => `twilio_key_sid = "${s}"`);
    add('npm-token', `npm_${pick(ALNUM, 36)}`, (s) => `//npm.example.com/:_authToken=${s}`);
    add('huggingface-token', `hf_${pick(LOWER + UPPER, 34)}`, (s) => `HUGGING_FACE_HUB_TOKEN: ${s}`);
    add('digitalocean-pat', `dop_v1_${pick(HEX, 64)}`, (s) => `do_token = "${s}"`);
    add('digitalocean-oauth', `doo_v1_${pick(HEX, 64)}`, (s) => `DIGITALOCEAN_ACCESS_TOKEN=${s}`);
    add('shopify-access-token', `shpat_${pick(HEX, 32)}`, (s) => `shopify.accessToken = '${s}'`);
    add('shopify-shared-secret', `shpss_${pick(HEX, 32)}`, (s) => `SHOPIFY_SECRET=${s}`);
    add('databricks-token', `dapi${pick(HEX, 32)}`, (s) => `databricks_host = "https://adb.example.net"\ndatabricks_token = "${s}"`);
    add('postman-api-key', `PMAK-${pick(HEX, 24)}-${pick(HEX, 34)}`, (s) => `postman_api_key: ${s}`);
    add('vault-service-token', `hvs.${pick(ALNUM + '_-', 94)}`, (s) => `VAULT_TOKEN=${s} vault kv get secret/app`);
    add('doppler-token', `dp.pt.${pick(ALNUM, 43)}`, (s) => `doppler configure set token ${s}`);
    add('telegram-bot-token', `${pick(DIGITS, 10)}:AA${pick(ALNUM + '_-', 33)}`, (s) => `TELEGRAM_BOT_TOKEN = "${s}"`);
    add('pypi-token', `pypi-AgEIcHlwaS5vcmc${pick(ALNUM + '_-', 60)}`, (s) => `[pypi]\nusername = __token__\npassword = ${s}`);
    add('jwt', `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${b64(`{"sub":"${pick(DIGITS, 10)}","name":"${pick(LOWER, 8)}"}`).replace(/=+$/, '')}.${pick(ALNUM + '_-', 43)}`, (s) => `fetch(url, { headers: { Authorization: "Bearer ${s}" } })`);
    add('rsa-private-key', fakePem('RSA PRIVATE KEY', pick), (s) => `const key = \`${s}\`;`);
    add('pkcs8-private-key-in-json', fakePem('PRIVATE KEY', pick).split('\n').join('\\n'), (s) => `{ "type": "service_account", "private_key_id": "k1", "private_key": "${s}\\n" }`);
    add('postgres-url-slash-plus', `${pick(ALNUM, 6)}/${pick(ALNUM, 5)}+${pick(ALNUM, 4)}`, (s) => `DATABASE_URL=postgres://app:${s}@db.internal:5432/app`);
    add('mongodb-srv-url', `${pick(ALNUM, 12)}`, (s) => `const uri = "mongodb+srv://svc:${s}@cluster0.example.net/prod";`);
    add('redis-url-no-user', `${pick(ALNUM + '!*', 10)}`, (s) => `REDIS_URL=redis://:${s}@cache:6379/0`);
    add('short-env-password', `${pick(LOWER, 1)}${pick(DIGITS, 1)}!${pick(LOWER, 1)}`, (s) => `DB_PASS='${s}'`);
    add('yaml-password', `${pick(ALNUM, 9)}`, (s) => `database:\n  user: app\n  password: ${s}\n`);
    add('json-password', `${pick(ALNUM + '#$%', 11)}`, (s) => `{ "username": "svc", "password": "${s}" }`);
    add('cli-password-flag', `${pick(ALNUM, 10)}`, (s) => `mysqldump --user=root --password=${s} app > dump.sql`);
    add('camel-case-password', `${pick(ALNUM, 7)}`, (s) => `this.dbPassword = "${s}";`);
    add('base64-api-key', b64(`sk_live_${pick(ALNUM, 24)}`), (s) => `STRIPE_KEY_B64=${s}`);
    add('base64-pem', b64(fakePem('EC PRIVATE KEY', pick, 3)), (s) => `tls_key: ${s}`);
    add('base64-der-key', b64(fakeDer(random)), (s) => `signing_key = ${s}`);
    add('kubeconfig-client-key-data', b64(fakePem('RSA PRIVATE KEY', pick, 3)), (s) => `users:\n- name: admin\n  user:\n    client-key-data: ${s}\n`);
    add('kubeconfig-client-certificate-data', b64(`-----BEGIN CERTIFICATE-----\n${pick(B64, 64)}\n-----END CERTIFICATE-----`), (s) => `    client-certificate-data: ${s}`);
    add('kubeconfig-token', `${pick(LOWER + DIGITS, 6)}.${pick(LOWER + DIGITS, 16)}`, (s) => `users:\n- name: ci\n  user:\n    token: ${s}\n`);
    add('azure-storage-key', `${pick(B64, 86)}==`, (s) => `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${s};EndpointSuffix=core.windows.net`);
    add('heroku-api-key', `${pick(HEX, 8)}-${pick(HEX, 4)}-${pick(HEX, 4)}-${pick(HEX, 4)}-${pick(HEX, 12)}`, (s) => `HEROKU_API_KEY=${s}`);
    add('linear-api-key', `lin_api_${pick(ALNUM, 40)}`, (s) => `const linear = new LinearClient({ apiKey: "${s}" });`);
    add('new-relic-user-key', `NRAK-${pick(UPPER + DIGITS, 27)}`, (s) => `newrelic_api_key = "${s}"`);
    add('pulumi-token', `pul-${pick(HEX, 40)}`, (s) => `PULUMI_ACCESS_TOKEN=${s}`);
    add('age-secret-key', `AGE-SECRET-KEY-1${pick('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}`, (s) => `# sops age key\n${s}`);
    add('planetscale-token', `pscale_tkn_${pick(ALNUM + '_', 43)}`, (s) => `PLANETSCALE_SERVICE_TOKEN=${s}`);
    add('alibaba-access-key', `LTAI${pick(ALNUM, 20)}`, (s) => `alibaba_access_key_id: ${s}`);
    add('facebook-page-token', `EAAB${pick(ALNUM, 120)}`, (s) => `FB_PAGE_TOKEN=${s}`);
    add('slack-app-token', `xapp-1-A${pick(UPPER + DIGITS, 10)}-${pick(DIGITS, 13)}-${pick(HEX, 64)}`, (s) => `SLACK_APP_TOKEN=${s}`);
    add('stripe-webhook-secret', `whsec_${pick(ALNUM, 32)}`, (s) => `endpointSecret = '${s}'`);
    add('grafana-service-account', `glsa_${pick(ALNUM, 32)}_${pick(HEX, 8)}`, (s) => `GRAFANA_TOKEN=${s}`);
    add('dynatrace-token', `dt0c01.${pick(UPPER + DIGITS, 24)}.${pick(UPPER + DIGITS, 64)}`, (s) => `dynatrace_api_token = "${s}"`);
    add('netrc-password', `${pick(ALNUM, 14)}`, (s) => `machine api.example.com login deploy password ${s}`);
    add('basic-auth-header', b64(`deploy:${pick(ALNUM, 14)}`), (s) => `curl -H "Authorization: Basic ${s}" https://api.example.com/v1`);
    // Found by the outside test (issue 23): a type between name and value, a connection string inside a string, a fallback, a header in code.
    add('typed-password-assignment', `${pick(ALNUM, 9)}!${pick(LOWER, 2)}`, (s) => `const dbPassword: string = "${s}";`);
    add('ado-net-connection-string', `${pick(ALNUM, 8)}!${pick(DIGITS, 2)}`, (s) => `const conn = "Server=db;Database=app;User Id=sa;Password=${s};";`);
    add('jdbc-password-parameter', `${pick(ALNUM, 8)}!${pick(DIGITS, 2)}`, (s) => `url: "jdbc:mysql://db:3306/app?user=root&password=${s}"`);
    add('password-env-fallback', `${pick(ALNUM, 9)}!`, (s) => `const pw = process.env.DB_PASSWORD ?? "${s}";`);
    add('bearer-header-in-code', `${pick(ALNUM, 40)}`, (s) => `headers: { Authorization: "Bearer ${s}" }`);
    // Found by the outside test: model and service keys and key files gitleaks' rules miss, where no name says "key".
    add('xai-key', `xai-${pick(ALNUM, 80)}`, (s) => `providers:\n  grok: ${s}\n`);
    add('fireworks-key', `fw_${pick(ALNUM, 24)}`, (s) => `fireworks = Fireworks(${s})`);
    add('notion-token', `ntn_${pick(DIGITS, 11)}${pick(ALNUM, 35)}`, (s) => `NOTION=${s}`);
    add('notion-legacy-token', `secret_${pick(ALNUM, 43)}`, (s) => `notion:\n  integration: ${s}`);
    add('langsmith-key', `lsv2_${round ? 'sk' : 'pt'}_${pick(HEX, 32)}_${pick(HEX, 10)}`, (s) => `LANGSMITH=${s} python run_eval.py`);
    add('pinecone-key', `pcsk_${pick(ALNUM, 5)}_${pick(ALNUM + '_', 64)}`, (s) => `pc = Pinecone(${s})`);
    add('elevenlabs-key', `sk_${pick(HEX, 48)}`, (s) => `eleven: ${s}`);
    add('resend-key', `re_${pick(ALNUM, 8)}_${pick(ALNUM, 24)}`, (s) => `const resend = new Resend(${s});`);
    add('neon-key', `napi_${pick(LOWER + DIGITS, 64)}`, (s) => `neonctl projects list --api ${s}`);
    add('supabase-token', `sbp_${pick(HEX, 40)}`, (s) => `SUPABASE=${s} supabase link --project-ref abcdefghijklmnop`);
    add('figma-token', `figd_${pick(ALNUM + '_-', 40)}`, (s) => `curl -H 'X-Figma: ${s}' https://api.figma.com/v1/me`);
    add('doppler-service-token', `dp.st.${round ? 'prd' : 'dev_eu'}.${pick(ALNUM, 40)}`, (s) => `doppler run --config prd -- ./server # ${s}`);
    add('doppler-scim-token', `dp.${round ? 'scim' : 'audit'}.${pick(ALNUM, 43)}`, (s) => `DOPPLER=${s}`);
    add('discord-webhook', pick(ALNUM + '_-', 68), (s) => `hook: https://discord.com/api/webhooks/${pick(DIGITS, 18)}/${s}`);
    add('ssh2-private-key', [`Comment: "rsa-key-${pick(DIGITS, 8)}"`, ...Array.from({ length: 5 }, () => pick(B64, 64)), `${pick(B64, 30)}==`].join('\n'), (s) => `---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n${s}\n---- END SSH2 ENCRYPTED PRIVATE KEY ----\n`);
    add(
      'putty-private-key',
      [pick(B64, 64), `${pick(B64, 42)}==`].join('\n'),
      (s) => `PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: rsa-key-${pick(DIGITS, 8)}\nPublic-Lines: 2\nAAAAB3NzaC1yc2EAAAADAQABAAABAQ${pick(B64, 34)}\n${pick(B64, 20)}\nPrivate-Lines: 2\n${s}\nPrivate-MAC: ${pick(HEX, 64)}\n`,
    );
    add('putty-private-mac', pick(HEX, 64), (s) => `Private-Lines: 1\n${pick(B64, 44)}\nPrivate-MAC: ${s}`);
  }
  return cases;
}

export function lookAlikes(seed = 24): LookAlike[] {
  const { pick } = generator(seed);
  const items: LookAlike[] = [];
  const add = (name: string, text: string) => items.push({ name, text });
  for (let round = 0; round < 2; round++) {
    add('npm integrity', `      "integrity": "sha512-${pick(B64, 86)}==",`);
    add('npm resolved', `      "resolved": "https://npm.example.com/left-pad/-/left-pad-1.3.0.tgz",`);
    add('yarn.lock checksum', `  checksum: ${pick(HEX, 128)}`);
    add('SRI attribute', `<script src="/app.js" integrity="sha384-${pick(B64, 64)}" crossorigin="anonymous"></script>`);
    add('go.sum line', `golang.org/x/text v0.14.0 h1:${pick(B64, 43)}=`);
    add('git SHA', `Merge commit ${pick(HEX, 40)} into main`);
    add('short SHA', `fixed in ${pick(HEX, 7)} (see #123)`);
    add('UUID', `const requestId = "${pick(HEX, 8)}-${pick(HEX, 4)}-4${pick(HEX, 3)}-a${pick(HEX, 3)}-${pick(HEX, 12)}";`);
    add('sha256 hex', `expected_sha256 = "${pick(HEX, 64)}"`);
    add('image digest', `image: nginx@sha256:${pick(HEX, 64)}`);
    add('md5 in JSON', `{ "file": "logo.png", "md5": "${pick(HEX, 32)}" }`);
    add('decode(password)', 'const plain = decode(password);');
    add('password type', '  password: string;');
    add('optional password type', '  password?: string | undefined;');
    add('password from env', 'const password = process.env.DB_PASSWORD;');
    add('token from call', 'const token = await getToken(scope);');
    add('apiKey from config', 'const client = new Client({ apiKey: config.apiKey });');
    add('secret from vault call', 'secret = vault.read("secret/data/app")["data"]');
    add('password parameter', 'def login(username: str, password: str) -> bool:');
    add('password compare', 'if (password !== confirmPassword) return fail("mismatch");');
    add('password label', '  password: "Password",');
    add('password placeholder', '<input type="password" name="password" placeholder="Enter your password" />');
    add('password reset url', 'PASSWORD_RESET_URL=https://app.example.com/reset');
    add('password min length', 'PASSWORD_MIN_LENGTH=12');
    add('password file path', 'POSTGRES_PASSWORD_FILE=/run/secrets/postgres');
    add('env reference', 'DB_PASSWORD=${DB_PASSWORD}');
    add('actions secret reference', '          token: ${{ secrets.GITHUB_TOKEN }}');
    add('docs URL with placeholder', 'postgres://user:password@localhost:5432/mydb');
    add('URL with port and scoped path', 'https://cdn.example.com:443/npm/@scope/pkg@1.2.3/dist/index.js');
    add('base64 of text', `const banner = "${b64('Hello, world! This is only a greeting, nothing more.')}";`);
    add('base64 of JSON', `payload = "${b64('{"page":2,"sort":"name","filter":"active"}')}"`);
    add('data URL', `background: url("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk${pick(ALNUM, 8)}AAAAAElFTkSuQmCC");`);
    add('CSS colours', `.btn { color: #${pick(HEX, 6)}; background: #${pick(HEX, 6)}; border-color: rgba(12, 34, 56, 0.5); }`);
    add('long identifier', 'export function getUserAuthenticationTokenExpirationTimestampMillis(): number { return 0; }');
    add('long constant', 'const MAXIMUM_NUMBER_OF_CONCURRENT_BACKGROUND_REQUESTS_PER_WORKSPACE = 4;');
    add('secret name', 'secretName: "db-credentials"');
    add('token type', 'token_type: "bearer"');
    add('grant type password', 'body: "grant_type=password&scope=openid"');
    add('test pass symbol', "const symbols = { pass: '✓', fail: '✗' };");
    add('pass counter', 'PASS = 0');
    add('bypass flag', 'bypass = "cache"');
    add('secret santa', 'secretSanta = "holiday-party-list"');
    add('cache key', 'const cacheKey = `user:${userId}:profile`;');
    add('i18n key', '"auth.passwordTooShort": "Your password must be at least 12 characters"');
    add('terraform AMI', `ami = "ami-${pick(HEX, 17)}"`);
    add('lorem ipsum', 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.');
    add('version string', '"typescript": "^5.9.3", "esbuild": "^0.27.2"');
    add('semver range', `"engines": { "node": ">=20.0.0" }`);
    add('hex colour list', `const palette = ["#${pick(HEX, 6)}", "#${pick(HEX, 6)}", "#${pick(HEX, 6)}"];`);
    add('webpack contenthash', `"main.js": "main.${pick(HEX, 20)}.js"`);
    add('shell pwd', 'cd "$(pwd)/build" && make');
    add('password hashing call', 'const hash = await bcrypt.hash(password, 12);');
    add('bearer built from a variable', "headers: { Authorization: 'Bearer ' + token }");
    add('basic auth in prose', '// Basic authentication: send the username and password, Base64-encoded, in the Authorization header.');
    add('typed password parameter', 'function login(user: string, password: string = defaultPassword()): void {}');
    add('password fallback to env', 'const password = options.password ?? process.env.DB_PASSWORD;');
    add('key in map', 'map.set(key, value);');
    add('workflow permissions', 'permissions:\n  contents: read\n  id-token: write\n');
    add('string literal union', '  token: "extends" | "implements";');
    add('generic default', 'type PluginObject<S extends PluginPass = PluginPass> = { visitor: S };');
    add('negated member', 'const pass = !this.result.issues;');
    add('base64 alphabet', 'const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";');
    add('format string', "console.log('pass: %s', name);");
    add('access log line', '127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326');
    // Code that starts as a key format does: the prefix at a word boundary, but no key's shape after it.
    add('re_match call', 'm = re_match(pattern, text)  # re_compile_cached_pattern_for_reuse_later');
    add('sk_learn names', 'from sk_learn_compat import sk_learn_model_selection_helpers_v2');
    add('resend-like identifier', 'def re_validate_user_email_address_formatting(value): return re_validateUserEmailAddressFormat(value)');
    add('fw_ identifier', 'fw_getFirmwareRevisionStringValueFromDevice = lambda d: d.fw_version');
    add('secret_ identifier', 'secret_key_base = Rails.application.credentials.secret_key_base_for_sessions');
    add('hash-suffixed names', `const file = "disk_${pick(HEX, 48)}.bin"; const table = core_${pick(LOWER + DIGITS, 8)}_${pick(LOWER + DIGITS, 20)};`);
    add('Discord invite', 'Join us: https://discord.com/invite/abcdefgh or https://discord.com/api/webhooks docs');
    add('PuTTY public lines', `PuTTY-User-Key-File-3: ssh-ed25519\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAI${pick(B64, 39)}\n`);
    add('SSH2 public key', `---- BEGIN SSH2 PUBLIC KEY ----\nComment: "rsa-key-20240101"\nAAAAB3NzaC1yc2EAAAADAQABAAABAQ${pick(B64, 34)}\n---- END SSH2 PUBLIC KEY ----`);
  }
  return items;
}
