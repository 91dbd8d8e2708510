/**
 * The vi / en catalogues. Each area of the tool keeps its messages in
 * src/i18n/messages/<area>.ts as `{ en, vi }`, where `vi` must have exactly
 * the keys of `en` (the compiler checks it). Add an area: one file, one line
 * in `areas` below.
 */
import * as av from './messages/av.js';
import * as check from './messages/check.js';
import * as cli from './messages/cli.js';
import * as codec from './messages/codec.js';
import * as demo from './messages/demo.js';
import * as net from './messages/net.js';
import * as netq from './messages/netq.js';
import * as power from './messages/power.js';
import * as profile from './messages/profile.js';
import * as registry from './messages/registry.js';
import * as report from './messages/report.js';
import * as reports from './messages/reports.js';

const areas = [cli, profile, check, net, report, power, netq, av, codec, registry, reports, demo] as const;

type Area = (typeof areas)[number];
type KeysOf<A> = A extends { en: infer E } ? keyof E : never;
export type MessageKey = KeysOf<Area> & string;
export type Params = Record<string, string | number>;

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const catalogues: Record<Locale, Record<string, string>> = { vi: {}, en: {} };
for (const area of areas) {
  Object.assign(catalogues.en, area.en);
  Object.assign(catalogues.vi, area.vi);
}

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
  const table = catalogues[locale];
  return (key, params) => {
    const text = table[key] ?? catalogues.en[key] ?? key;
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
  return Object.keys(catalogues[locale]);
}
