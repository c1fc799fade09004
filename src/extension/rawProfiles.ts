/**
 * The profiles in nightshift.profiles as the editor needs them for menus and hints: names, models
 * and prices, read leniently. The engine validates them (core/providers/profiles.ts); this stays
 * out of its way, and keeps the schema library out of the extension's bundle.
 */
import * as vscode from 'vscode';

export interface RawProfile {
  name: string;
  model?: string;
  baseUrl?: string;
  price?: { input: number; cachedInput?: number; output: number };
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function rawProfiles(): RawProfile[] {
  const raw = vscode.workspace.getConfiguration('nightshift').get<unknown>('profiles');
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((p): RawProfile[] => {
    if (typeof p !== 'object' || p === null || typeof (p as { name?: unknown }).name !== 'string') return [];
    const o = p as Record<string, unknown>;
    const price = o.price as Record<string, unknown> | undefined;
    return [
      {
        name: o.name as string,
        ...(typeof o.model === 'string' ? { model: o.model } : {}),
        ...(typeof o.baseUrl === 'string' ? { baseUrl: o.baseUrl } : {}),
        ...(price && num(price.input) && num(price.output) ? { price: { input: price.input, output: price.output, ...(num(price.cachedInput) ? { cachedInput: price.cachedInput } : {}) } } : {}),
      },
    ];
  });
}
