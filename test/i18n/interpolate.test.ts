/**
 * Messages are filled from templates split once at their placeholders
 * (src/i18n/index.ts): the text is the one a regular-expression replace
 * gives, for every message of both catalogues and for the odd cases.
 */
import { describe, expect, it } from 'vitest';
import { catalogueKeys, interpolate, translator } from '../../src/i18n/index.js';

/** The reference: what messages were filled with before. */
const byRegex = (text: string, params: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : String(v);
  });

describe('interpolate', () => {
  it('fills every catalogue message as a regular-expression replace does, twice in a row', () => {
    for (const locale of ['en', 'vi'] as const) {
      const t = translator(locale);
      for (const key of catalogueKeys(locale)) {
        const text = t(key as never);
        const names = [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
        // Every other placeholder filled, a number among them, the rest left as written.
        const params = Object.fromEntries(
          names.filter((_, i) => i % 2 === 0).map((n, i) => [n, i ? `v$&${i}` : 0]),
        );
        const want = byRegex(text, params);
        expect(interpolate(text, params)).toBe(want);
        expect(interpolate(text, params)).toBe(want);
      }
    }
  });

  it('keeps braces that are not placeholders, and placeholders without a value', () => {
    const cases: Array<[string, Record<string, string | number>]> = [
      ['', {}],
      ['no placeholder', { a: 1 }],
      ['{a}', { a: 'x' }],
      ['{a}{b}{a}', { a: 1, b: 2 }],
      ['{ a } {} {a-b} {{a}} {a', { a: 'A' }],
      ['{missing} and {a}', { a: '$1' }],
      ['{toString} {constructor}', {}],
      ['x{é}y {a_1}', { a_1: 'ok' }],
    ];
    for (const [text, params] of cases) expect(interpolate(text, params)).toBe(byRegex(text, params));
  });
});
