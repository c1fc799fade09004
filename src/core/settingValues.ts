/**
 * A setting's value read from outside (a config file, a flag, the editor's settings), checked
 * against the one description of the settings (shared/settingsSchema.ts): its zod validator is made
 * from the setting's JSON Schema, so the headless host refuses what the editor's Settings UI would
 * flag. Numbers the engine reads are clamped to the schema's range with its default, never a
 * literal of their own.
 */
import { z } from 'zod';
import { SETTINGS, settingDefault, settingSpec, type JsonSchema, type SettingName, type SettingSpec } from '../shared/settingsSchema';

const validators = new Map<string, z.ZodType>();

function validatorOf(name: string, spec: SettingSpec): z.ZodType {
  let v = validators.get(name);
  if (!v) {
    v = z.fromJSONSchema(spec.schema as Parameters<typeof z.fromJSONSchema>[0]);
    validators.set(name, v);
  }
  return v;
}

const range = (s: JsonSchema) => (s.minimum !== undefined && s.maximum !== undefined ? ` from ${s.minimum} to ${s.maximum}` : s.minimum !== undefined ? ` of at least ${s.minimum}` : s.maximum !== undefined ? ` of at most ${s.maximum}` : '');

/** What a setting takes, for people: "a whole number from 1 to 8", "true or false", "a list of texts". */
export function describeType(s: JsonSchema): string {
  const types = ([] as string[]).concat(s.type ?? []);
  const one = types.filter((t) => t !== 'null');
  const orNull = types.includes('null') ? ', or null (no limit)' : '';
  if (s.enum) return `one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  switch (one[0]) {
    case 'integer':
      return `a whole number${range(s)}${orNull}`;
    case 'number':
      return `a number${range(s)}${orNull}`;
    case 'boolean':
      return 'true or false';
    case 'array':
      return s.items?.enum ? `a list of ${s.items.enum.map((e) => JSON.stringify(e)).join(', ')}` : s.items?.type === 'object' ? 'a list of objects as the setting describes' : 'a list of texts';
    case 'string':
      return s.pattern ? 'text in the form its description gives' : 'text';
    default:
      return 'a value as the setting describes';
  }
}

/** Settings people have written under another name (the engine's own names); each points to the setting's. */
const OTHER_NAMES: Readonly<Record<string, SettingName>> = {
  startMonth: 'budget.yearStartMonth',
  'budget.startMonth': 'budget.yearStartMonth',
  yearStartMonth: 'budget.yearStartMonth',
  reviewSaves: 'reviewSavedChanges',
  annualUsd: 'budget.annualUsd',
  dailyCapUsd: 'budget.dailyCapUsd',
  askAboveUsd: 'budget.askAboveUsd',
  escalationShare: 'budget.escalationShare',
  burstDays: 'budget.burstDays',
  'budget.annualUsdPerDeveloper': 'budget.annualUsd',
};

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const here = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = here;
    }
  }
  return row[b.length];
}

/** The setting a name that is none was probably meant to be. */
export function meantSetting(name: string): string | undefined {
  if (OTHER_NAMES[name]) return OTHER_NAMES[name];
  const lower = name.toLowerCase();
  let best: { name: string; d: number } | undefined;
  for (const known of Object.keys(SETTINGS)) {
    const d = distance(lower, known.toLowerCase());
    if (d <= 2 && (!best || d < best.d)) best = { name: known, d };
  }
  return best?.name;
}

/** A value for a setting, or why it cannot be one ("is not a Nightshift setting…", "needs …"). */
export function checkSetting(name: string, value: unknown): { ok: true; value: unknown } | { ok: false; problem: string } {
  const spec = settingSpec(name);
  if (!spec) {
    const meant = meantSetting(name);
    return { ok: false, problem: `"${name}" is not a Nightshift setting${meant ? ` (did you mean "${meant}"?)` : ''}` };
  }
  const parsed = validatorOf(name, spec).safeParse(value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: `"${name}" needs ${describeType(spec.schema)}, not ${JSON.stringify(value)}` };
}

/** A flag's text as the setting's type: numbers, true/false, null for "no limit", JSON or a comma list for lists. */
export function fromFlagText(name: string, raw: string): unknown {
  const types = ([] as string[]).concat(settingSpec(name)?.schema.type ?? 'string');
  if (types.includes('null') && raw.trim() === 'null') return null;
  if (types.includes('number') || types.includes('integer')) return raw.trim() === '' ? raw : Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (types.includes('boolean')) return raw === 'true' ? true : raw === 'false' ? false : raw;
  if (types.includes('array') || types.includes('object')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return types.includes('array')
        ? raw
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : raw;
    }
  }
  return raw;
}

type NumberSetting = { [N in SettingName]: (typeof SETTINGS)[N]['default'] extends number ? N : never }[SettingName];

/** A number setting as the engine uses it: below the schema's minimum (or no number) the default, above its maximum the maximum. */
export function numberSetting(name: NumberSetting, raw: unknown): number {
  const spec: SettingSpec = SETTINGS[name];
  if (typeof raw !== 'number' || !Number.isFinite(raw) || (spec.schema.minimum !== undefined && raw < spec.schema.minimum)) return settingDefault(name);
  const n = spec.schema.type === 'integer' ? Math.floor(raw) : raw;
  return spec.schema.maximum !== undefined ? Math.min(spec.schema.maximum, n) : n;
}
