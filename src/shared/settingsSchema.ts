/**
 * Every Nightshift setting, described once: its JSON type (the manifest's language; the headless
 * host's validators are made from it with zod), its default, its description and who may set it.
 * The manifest's `contributes.configuration` and package.nls.json (`node scripts/settings-manifest.mjs
 * --write`), the README's settings table, the CLI's flags and config-file validation, the defaults
 * both hosts use and the repository rules (settingRules.ts) all come from this table; unit tests
 * fail when a copy drifts. Plain data, no zod: the editor's bundle imports it.
 */

/** Who may set a setting: the user only, or a repository too (its `.nightshift/config.json`, a workspace's `.vscode/settings.json`) but only to tighten. */
export type Who =
  /** Only the user: where code and keys go, what the key pays for, which policy binds, what counts as checked, when the year starts. `scope` in the manifest: `application` unless said. */
  | { may: 'user'; why: string; scope?: 'machine' }
  /** A repository may lower it, never raise it; `null` means 'no limit' and never comes from a repository over a number. */
  | { may: 'lower' }
  /** A repository may turn it off, never on. */
  | { may: 'offOnly' }
  /** A repository adds to the user's list, never takes from it. */
  | { may: 'addOnly' }
  /** It names something to run: a repository's value applies only where the user trusts the repository. */
  | { may: 'whenTrusted' }
  /** What to work on, timings, display: a repository may set it as it likes. */
  | { may: 'any' };

/** The part of JSON Schema the manifest uses. */
export interface JsonSchema {
  type?: string | readonly string[];
  minimum?: number;
  maximum?: number;
  enum?: readonly unknown[];
  pattern?: string;
  items?: JsonSchema;
  required?: readonly string[];
  additionalProperties?: boolean;
  properties?: Readonly<Record<string, JsonSchema>>;
  description?: string;
}

export interface SettingSpec {
  /** The Settings editor's section. */
  group: SettingGroup;
  schema: JsonSchema;
  default: unknown;
  who: Who;
  /** The English description (package.nls.json holds it for the manifest); markdown where `markdown`. */
  description: string;
  markdown?: boolean;
  /** Read from the headless host's config files only (no VS Code setting). */
  headlessOnly?: boolean;
}

/** The Settings editor's sections, in order, with their titles. */
export const SETTING_GROUPS = {
  backend: 'Backend',
  triggers: 'Triggers',
  budget: 'Budget',
  privacy: 'Privacy and team policy',
  checks: 'Checks',
  review: 'Review',
  advanced: 'Advanced',
} as const;
export type SettingGroup = keyof typeof SETTING_GROUPS;

const WHERE = 'where code and keys go';
const PAYS = 'what your key pays for';
const ANY = { may: 'any' } as const;

/** One named backend profile (nightshift.profiles); providers/profiles.ts reads it. */
const PROFILE_ITEM: JsonSchema = {
  type: 'object',
  required: ['name', 'model'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'A name of your choice, used by nightshift.backgroundProfile / escalationProfile.' },
    backend: { type: 'string', enum: ['minimax', 'minimax-cn', 'openrouter', 'litellm', 'openai', 'anthropic', 'gemini', 'deepseek', 'ollama', 'lmstudio', 'llamacpp', 'vllm', 'sglang', 'custom'], description: 'Which backend: sets the default base URL and how cost is reported.' },
    baseUrl: { type: 'string', description: "Base URL of the OpenAI-compatible API (overrides the backend's default)." },
    model: { type: 'string', description: 'Model name sent to the API.' },
    price: { type: 'object', required: ['input', 'output'], additionalProperties: false, properties: { input: { type: 'number', minimum: 0 }, cachedInput: { type: 'number', minimum: 0 }, output: { type: 'number', minimum: 0 } }, description: 'USD per million tokens.' },
    markup: { type: 'number', minimum: 0, maximum: 10, description: "What a gateway adds to the model's price, as a fraction (0.1 = 10%). Reserved on top of every call's worst case and added to computed costs. OpenRouter's 5.5% fee is known already." },
    local: { type: 'boolean', description: 'Whether this server runs on this machine (free, no key, nothing redacted). By default: local model servers and unknown servers on a loopback address.' },
  },
};

const PROFILE_LIST: JsonSchema = {
  type: 'array',
  items: PROFILE_ITEM,
};

/** Every setting, by its name without `nightshift.`, in the Settings editor's order within each group. */
export const SETTINGS = {
  backgroundProfile: {
    group: 'backend',
    schema: { type: 'string' },
    default: '',
    who: { may: 'user', why: PAYS },
    markdown: true,
    description: 'The profile for background work. Empty: `nightshift.baseUrl` and `nightshift.model` (MiniMax M2.7 by default).',
  },
  escalationProfile: {
    group: 'backend',
    schema: { type: 'string' },
    default: '',
    who: { may: 'user', why: PAYS },
    markdown: true,
    description: 'The profile for escalating hard tasks to a frontier model. Empty: no escalation.',
  },
  profiles: {
    group: 'backend',
    schema: PROFILE_LIST,
    default: [],
    who: { may: 'user', why: WHERE },
    markdown: true,
    description:
      'Named backend profiles. Each has a `name`, a `model`, and a `backend` (its default base URL) or a `baseUrl`; `price` (USD per million tokens: `input`, `cachedInput`, `output`) overrides the built-in table. Set a key per profile with **Nightshift: Set API Key**. A user setting only: a workspace cannot choose where your code and keys go.',
  },
  baseUrl: {
    group: 'backend',
    schema: { type: 'string' },
    default: 'https://api.minimax.io/v1',
    who: { may: 'user', why: WHERE },
    markdown: true,
    description:
      'Base URL of the OpenAI-compatible API. MiniMax: `https://api.minimax.io/v1` (China: `https://api.minimaxi.com/v1`). A local server, e.g. Ollama: `http://localhost:11434/v1`, LM Studio: `http://localhost:1234/v1`. A loopback URL needs no API key. A user setting only: a workspace cannot choose where your code and key go.',
  },
  model: {
    group: 'backend',
    schema: { type: 'string' },
    default: 'MiniMax-M2.7',
    who: { may: 'user', why: PAYS },
    description: 'Model name sent to the API.',
  },
  maxCompletionTokens: {
    group: 'backend',
    schema: { type: 'integer', minimum: 1024 },
    default: 4096,
    who: { may: 'lower' },
    description: 'Upper limit of output tokens per call (thinking counts against it).',
  },
  streamIdleSeconds: {
    group: 'backend',
    schema: { type: 'number', minimum: 5 },
    default: 60,
    who: ANY,
    description: 'A reply that sends nothing for this many seconds in the middle of a stream is given up (what arrived is still booked).',
  },
  callTimeoutSeconds: {
    group: 'backend',
    schema: { type: 'number', minimum: 10 },
    default: 600,
    who: ANY,
    description: 'A call that has not finished its reply this many seconds after it was sent is given up, even while the stream still trickles (it is booked, as estimated, and not asked again at once).',
  },
  settleDelayMs: {
    group: 'triggers',
    schema: { type: 'integer', minimum: 0 },
    default: 2000,
    who: ANY,
    description: 'How long diagnostics must stay unchanged after a save before Nightshift works on them.',
  },
  includeWarnings: {
    group: 'triggers',
    schema: { type: 'boolean' },
    default: false,
    who: ANY,
    description: 'Also work on warnings that settle after a save, not only errors.',
  },
  todoComments: {
    group: 'triggers',
    schema: { type: 'boolean' },
    default: false,
    who: ANY,
    markdown: true,
    description: 'Treat `TODO:` and `FIXME:` comments like `nightshift:` marker comments: each becomes a task.',
  },
  reviewSavedChanges: {
    group: 'triggers',
    schema: { type: 'boolean' },
    default: true,
    who: ANY,
    markdown: true,
    description: 'Review what changed in a saved file since its last review (first time: since its last commit) for bugs and risky code — at most every 10 minutes per file, and not while the file has errors.',
  },
  reviewCommits: {
    group: 'triggers',
    schema: { type: 'boolean' },
    default: true,
    who: ANY,
    description: 'Review each new commit on the current branch (up to its 5 most changed files). Checkouts, resets and rebases are not reviewed.',
  },
  idleSweepMinutes: {
    group: 'triggers',
    schema: { type: 'number', minimum: 0 },
    default: 15,
    who: ANY,
    markdown: true,
    description: 'After this many minutes without typing or moving the cursor, Nightshift proposes one refactor of a long function in a file that changes often. `0` turns the idle sweep off.',
  },
  quietHours: {
    group: 'triggers',
    schema: { type: 'string', pattern: '^(\\s*\\d{1,2}:\\d{2}\\s*-\\s*\\d{1,2}:\\d{2}\\s*)?$' },
    default: '',
    who: { may: 'user', why: 'when your key spends; a team sets quiet hours in its policy' },
    markdown: true,
    description: 'A daily window of local time in which Nightshift makes no model calls, e.g. `22:00-07:00`. Work that comes up waits until it ends.',
  },
  alwaysTrigger: {
    group: 'triggers',
    schema: { type: 'array', items: { type: 'string', enum: ['fix', 'todo', 'review', 'refactor'] } },
    default: [],
    who: ANY,
    markdown: true,
    description: 'Task kinds Nightshift always works on. Otherwise the tuner may keep a kind quiet when its proposals are mostly rejected (see **Tuning** in the Budget view).',
  },
  autoEscalate: {
    group: 'triggers',
    schema: { type: 'boolean' },
    default: false,
    who: { may: 'offOnly' },
    markdown: true,
    description:
      'Let the tuner send a task the background model could not do to the escalation profile **by itself** — only for kinds whose escalated proposals were accepted often enough to pay for themselves, within the escalation share of the budget, and only where the team policy allows escalating without a confirmation. Off: escalation is always by hand, with the cost shown first.',
  },
  'budget.annualUsd': {
    group: 'budget',
    schema: { type: 'number', minimum: 0, maximum: 1000000 },
    default: 2000,
    who: { may: 'lower' },
    markdown: true,
    description: 'Your model budget for a year, in USD, across all workspaces. Nightshift paces it evenly over the year.',
  },
  'budget.yearStartMonth': {
    group: 'budget',
    schema: { type: 'integer', minimum: 1, maximum: 12 },
    default: 1,
    who: { may: 'user', why: 'when the budget year starts: moving it would open a fresh year' },
    description: 'The month the budget year starts (1 = January: a calendar year; e.g. 4 for a fiscal year from April).',
  },
  'budget.escalationShare': {
    group: 'budget',
    schema: { type: 'number', minimum: 0, maximum: 1 },
    default: 0.2,
    who: { may: 'lower' },
    description: 'Share of the annual budget kept for escalations to frontier models; background work cannot use it.',
  },
  'budget.dailyCapUsd': {
    group: 'budget',
    schema: { type: ['number', 'null'], minimum: 0 },
    default: null,
    who: { may: 'lower' },
    description: 'An optional hard cap on spend per day (UTC), in USD.',
  },
  'budget.askAboveUsd': {
    group: 'budget',
    schema: { type: ['number', 'null'], minimum: 0 },
    default: null,
    who: { may: 'lower' },
    description: 'A single call that may cost more than this (USD) waits for your OK.',
  },
  'budget.burstDays': {
    group: 'budget',
    schema: { type: 'number', minimum: 0, maximum: 60 },
    default: 3,
    who: { may: 'lower' },
    description: 'How many days of allowance high-priority work may spend ahead of pace.',
  },
  exclude: {
    group: 'privacy',
    schema: { type: 'array', items: { type: 'string' } },
    default: [],
    who: { may: 'addOnly' },
    markdown: true,
    description:
      'Files Nightshift never reads or sends, in `.gitignore` syntax (on top of `.gitignore`, `.nightshiftignore` and the built-in list of secret files such as `.env*` and keys). The list only adds: a `!` entry, which would take back what you, a policy or a repository excluded, is ignored.',
  },
  localOnly: {
    group: 'privacy',
    schema: { type: 'array', items: { type: 'string' } },
    default: [],
    who: { may: 'addOnly' },
    markdown: true,
    description: 'Globs of files that are only ever sent to a local backend (e.g. `src/billing/**`). Without a local backend they are not sent at all.',
  },
  organizationPolicy: {
    group: 'privacy',
    schema: { type: 'string' },
    default: '',
    who: { may: 'user', why: 'which policy binds', scope: 'machine' },
    markdown: true,
    description:
      "Your organisation's Nightshift policy: a file path or an `https` URL (fetched with a 5 s timeout; the last good copy is used, and said to be, when it cannot be reached). Its rules and the repository's `.nightshift/policy.json` are enforced at every call; your settings can tighten them, never loosen them. The `NIGHTSHIFT_ORG_POLICY` environment variable sets it too.",
  },
  checkCommands: {
    group: 'checks',
    schema: { type: 'array', items: { type: 'string' } },
    default: [],
    who: { may: 'whenTrusted' },
    markdown: true,
    description: 'Commands that must pass before a proposal is shown as checked, e.g. `npm run -s typecheck` or a test command. They run in a temporary git worktree holding your current changes plus the proposal, with no API keys in their environment.',
  },
  checkTimeoutSeconds: {
    group: 'checks',
    schema: { type: 'number', minimum: 1 },
    default: 120,
    who: ANY,
    description: 'Time limit for each check command.',
  },
  tests: {
    group: 'checks',
    schema: { type: 'string', enum: ['auto', 'off'] },
    default: 'auto',
    who: ANY,
    markdown: true,
    description: "Check proposals with the project's own tests that reach the change (vitest, jest, mocha, `node --test`), in a temporary copy of the workspace; only in trusted workspaces.",
  },
  testTimeoutSeconds: {
    group: 'checks',
    schema: { type: 'number', minimum: 5, maximum: 600 },
    default: 60,
    who: ANY,
    description: "Time limit for each run of the tests that reach a proposal's change.",
  },
  typeCheckedCounts: {
    group: 'checks',
    schema: { type: 'boolean' },
    default: false,
    who: { may: 'user', why: 'what counts as checked' },
    description: 'Count type-checked proposals (no test evidence) as checked — in the badge, the preferred quick fix and Accept All Checked — also where the workspace has tests.',
  },
  saveAfterAccept: {
    group: 'review',
    schema: { type: 'boolean' },
    default: true,
    who: ANY,
    description: 'Save a file after an accepted proposal changed it (Undo still reverts the change).',
  },
  codeLens: {
    group: 'review',
    schema: { type: 'boolean' },
    default: true,
    who: ANY,
    markdown: true,
    description: 'Show a quiet hint (a CodeLens) on the line where a checked proposal waits, with **apply** and **preview**.',
  },
  concurrency: {
    group: 'advanced',
    schema: { type: 'integer', minimum: 1, maximum: 8 },
    default: 2,
    who: { may: 'lower' },
    description: 'How many background tasks may run at once. Every call still passes the budget first: concurrent calls cannot overshoot a cap.',
  },
  pythonInterpreter: {
    group: 'advanced',
    schema: { type: 'string' },
    default: '',
    who: { may: 'user', why: 'which program runs' },
    headlessOnly: true,
    description: 'The Python the headless host checks Python files and runs pytest with (a path; `~` and `${workspaceFolder}` are expanded). Empty: a `.venv`, `venv` or `env` folder in the workspace, then `python3` on PATH. The editor uses `python.defaultInterpreterPath`.',
  },
  trustedFolders: {
    group: 'privacy',
    schema: { type: 'array', items: { type: 'string' } },
    default: [],
    who: { may: 'user', why: 'whom you trust' },
    headlessOnly: true,
    description: 'The folders whose code the headless host may run (their tests, the check commands they name), kept by `nightshift trust` / `untrust` in your own config file. The editor follows Workspace Trust.',
  },
} as const satisfies Readonly<Record<string, SettingSpec>>;

export type SettingName = keyof typeof SETTINGS;

/** A setting's default, as both hosts use it. */
export function settingDefault<N extends SettingName>(name: N): (typeof SETTINGS)[N]['default'] {
  return SETTINGS[name].default;
}

/** A setting's spec by a name read from outside (a config file's key, a flag); undefined for none. */
export function settingSpec(name: string): SettingSpec | undefined {
  return Object.prototype.hasOwnProperty.call(SETTINGS, name) ? (SETTINGS as Readonly<Record<string, SettingSpec>>)[name] : undefined;
}

/** Every setting, in order. */
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];
