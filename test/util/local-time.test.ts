import { describe, expect, it } from 'vitest';
import { peopleTime, siteTimeZone } from '../../src/util/local-time.js';

describe('peopleTime', () => {
  it('HH:MM dd/mm/yyyy in Hà Nội time by default', () => {
    expect(peopleTime('2026-12-01T21:12:28.634Z')).toBe('04:12 02/12/2026');
    expect(peopleTime('2026-12-01T01:05:00Z')).toBe('08:05 01/12/2026');
  });
  it('in the zone DIEMCAU_TZ names, and Hà Nội when it names none this Node knows', () => {
    expect(peopleTime('2026-12-01T21:12:28.634Z', siteTimeZone({ DIEMCAU_TZ: 'UTC' }))).toBe(
      '21:12 01/12/2026',
    );
    expect(siteTimeZone({ DIEMCAU_TZ: 'Mars/Olympus' })).toBe('Asia/Ho_Chi_Minh');
    expect(siteTimeZone({})).toBe('Asia/Ho_Chi_Minh');
  });
  it('leaves what is not a time as it is', () => {
    expect(peopleTime('soon')).toBe('soon');
  });
});
