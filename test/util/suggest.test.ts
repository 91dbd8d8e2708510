import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { closest, didYouMean } from '../../src/util/suggest.js';

describe('closest', () => {
  it('finds a typo: one letter more, less, changed or two swapped', () => {
    expect(closest('pingg', ['ping', 'portal', 'sip-port'])).toEqual(['ping']);
    expect(closest('prtal', ['ping', 'portal'])).toEqual(['portal']);
    expect(closest('sip-prot', ['sip-port', 'portal'])).toEqual(['sip-port']);
    expect(closest('--onyl', ['--only', '--skip', '--format'])).toEqual(['--only']);
    expect(closest('readines', ['readiness', 'incidents', 'site'])).toEqual(['readiness']);
    expect(closest('mat_ket_nio', ['mat_ket_noi', 'mat_dien'])).toEqual(['mat_ket_noi']);
  });
  it('suggests nothing when nothing is close', () => {
    expect(closest('frobnicate', ['check', 'report', 'incident'])).toEqual([]);
    expect(closest('--fast', ['--format', '--only', '--skip', '--output'])).toEqual([]);
    expect(closest('', ['check'])).toEqual([]);
  });
});

describe('didYouMean', () => {
  it('speaks the reader language, and says nothing when there is nothing to say', () => {
    expect(didYouMean(translator('vi'), 'chek', ['check', 'report'])).toBe(' (có phải check không?)');
    expect(didYouMean(translator('en'), 'chek', ['check', 'report'])).toBe(' (did you mean check?)');
    expect(didYouMean(translator('en'), 'zzz', ['check'])).toBe('');
  });
});
