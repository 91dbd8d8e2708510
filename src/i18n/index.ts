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

function interpolate(text: string, params: Params): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });
}

/** For tests: every key in both languages. */
export function catalogueKeys(locale: Locale): string[] {
  return Object.keys(table(locale));
}
