/**
 * The vi / en catalogues. Each area of the tool keeps its messages in
 * src/i18n/messages/<area>.ts as `{ en, vi }`, where `vi` must have exactly
 * the keys of `en` (the compiler checks it). Add an area: one file, one line
 * in `areas` (src/i18n/areas.ts).
 */
import { LOCALES } from '../model/constants.js';
import type { Area } from './areas.js';
import { catalogue } from './catalogue.js';

type KeysOf<A> = A extends { en: infer E } ? keyof E : never;
export type MessageKey = KeysOf<Area> & string;
export type Params = Record<string, string | number>;

export { LOCALES };
export type Locale = (typeof LOCALES)[number];

// Only the language in use is loaded (start-up time); English is the fallback.
const loaded: Partial<Record<Locale, Record<string, string>>> = {};
const table = (locale: Locale): Record<string, string> => {
  loaded[locale] ??= catalogue(locale);
  return loaded[locale];
};

export type Translator = (key: MessageKey, params?: Params) => string;

export function isLocale(value: unknown): value is Locale {
  return value === 'vi' || value === 'en';
}

/** `vi_VN.UTF-8` → vi; anything else with a language → en; nothing → vi (the users' language). */
export function localeFromEnv(env: Record<string, string | undefined>): Locale {
  const raw = env.DIEMCAU_LANG || env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  const lang = raw.toLowerCase().slice(0, 2);
  if (lang === 'en') return 'en';
  if (lang === 'vi') return 'vi';
  return raw === '' || raw === 'C' || raw.startsWith('C.') || raw === 'POSIX' ? 'vi' : 'en';
}

export function translator(locale: Locale): Translator {
  const messages = table(locale);
  return (key, params) => {
    const text = messages[key] ?? table('en')[key] ?? key;
    return params ? interpolate(text, params) : text;
  };
}

/**
 * A message split once at its `{name}` placeholders: text, name, text, …, text.
 * A sweep fills the same few messages thousands of times; a regular
 * expression with a callback per call cost more than the rest of the check's
 * result (bench/README.md, "sweep-peers").
 */
const templates = new Map<string, string[]>();
function template(text: string): string[] {
  let parts = templates.get(text);
  if (!parts) {
    parts = text.split(/\{(\w+)\}/);
    templates.set(text, parts);
  }
  return parts;
}

/** `{name}` replaced by String(params.name); a placeholder without a value stays as written. */
export function interpolate(text: string, params: Params): string {
  if (!text.includes('{')) return text;
  const parts = template(text);
  let out = parts[0] as string;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i] as string;
    const v = params[name];
    out += (v === undefined ? `{${name}}` : String(v)) + (parts[i + 1] as string);
  }
  return out;
}

/** For tests: every key in both languages. */
export function catalogueKeys(locale: Locale): string[] {
  return Object.keys(table(locale));
}
