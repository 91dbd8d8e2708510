/**
 * Every message a Vietnamese technician reads is Vietnamese (item 7 of issue 13): a Vietnamese
 * string identical to the English one, or with no Vietnamese in it, or with English sentence
 * words in it, fails — unless it is made only of placeholders, figures and punctuation, or of the
 * loanwords and names below, which technicians say as they are.
 */
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/i18n/catalogue.js';

/** Words a Vietnamese technician uses as they are (device, protocol and unit names). */
const LOANWORDS = new Set([
  'camera',
  'micro',
  'pin',
  'codec',
  'mcu',
  'sip',
  'kbps',
  'ms',
  'cisco',
  'roomos',
  'ce',
  'poly',
  'videoos',
]);

const en = catalogue('en');
const vi = catalogue('vi');

/** What is left to read once placeholders, code, links, quotations and device labels are taken out. */
function prose(text: string): string {
  return text
    .replace(/\{\w+\}/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\bdiemcau( [a-z-]+)*/g, ' ') // commands to type
    .replace(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+(=\S*)?/g, ' ') // environment variables
    .replace(/"[^"]*"/g, ' ') // a device's or program's own words, quoted
    .replace(/\([A-Z][^()]*\)/g, ' '); // a device's menu, named as it reads: (Issues and diagnostics)
}

const words = (text: string) =>
  prose(text)
    .toLowerCase()
    .match(/\p{L}+/gu) ?? [];
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/iu;
// English sentence words that are not Vietnamese words too ("to" is: big).
const ENGLISH = new Set(
  'the and is are not with from this that will must cannot should has have of for failed'.split(' '),
);

describe('the Vietnamese catalogue', () => {
  const keys = Object.keys(en);
  it('walks every key', () => {
    expect(keys.length).toBeGreaterThan(500);
    expect(Object.keys(vi).sort()).toEqual([...keys].sort());
  });

  it('has no string identical to the English one, but for placeholders and loanwords', () => {
    const same = keys.filter(
      (k) => vi[k] === en[k] && !words(vi[k] as string).every((w) => LOANWORDS.has(w)),
    );
    expect(same).toEqual([]);
  });

  it('has no string left in English', () => {
    const english = keys.filter((k) => {
      const ws = words(vi[k] as string);
      if (ws.length === 0 || ws.every((w) => LOANWORDS.has(w))) return false;
      return !VIETNAMESE.test(prose(vi[k] as string)) || ws.some((w) => ENGLISH.has(w));
    });
    expect(english.map((k) => `${k}: ${vi[k]}`)).toEqual([]);
  });

  it('the test itself catches an English string', () => {
    const ws = words('the codec did not answer');
    expect(ws.some((w) => ENGLISH.has(w))).toBe(true);
    expect(VIETNAMESE.test(prose('port {port} refused the connection'))).toBe(false);
  });
});
