import { describe, expect, it } from 'vitest';
import { translator } from '../../src/i18n/index.js';
import { dailyFromRuns } from '../../src/report/fleet/daily.js';
import { countsText, formatSpan } from '../../src/report/fleet/labels.js';
import { lastDays, zoneClock } from '../../src/report/fleet/time.js';
import {
  sortWorstFirst,
  stateOf,
  summariseIncidents,
  timeToResolveMs,
  unitGroup,
} from '../../src/report/fleet/types.js';
import { GENERATED_AT, incidents, readiness, ZONE } from './fleet-sample.js';

const MIN = 60_000;

describe('sortWorstFirst', () => {
  it('puts not ready, could not check, with warnings, no report, never reported, ready in that order, then unit and id', () => {
    const sorted = sortWorstFirst(readiness.sites);
    expect(sorted.map((s) => [stateOf(s), s.id])).toEqual([
      ['not-ready', 'th-xa-quang-phu'],
      ['unknown', 'th-xa-nga-son'],
      ['degraded', 'th-so-khcn'],
      ['stale', 'th-xa-muong-lat'],
      ['never', 'th-xa-hoang-hoa'],
      ['ready', 'th-bimson-ubnd'],
      ['ready', 'th-phuong-hac-thanh'],
    ]);
  });
  it('treats a stale site as stale whatever its last verdict, and does not touch its input', () => {
    const before = readiness.sites.map((s) => s.id);
    sortWorstFirst(readiness.sites);
    expect(readiness.sites.map((s) => s.id)).toEqual(before);
    expect(stateOf({ stale: true, verdict: 'not-ready' })).toBe('stale');
    expect(stateOf({ stale: false, verdict: null })).toBe('unknown');
  });
  it('orders equal states by unit before id, by code points (not the machine locale)', () => {
    const rows = [
      { id: 'a', unit: 'thanh-hoa/z', stale: false, verdict: 'ready' as const },
      { id: 'b', unit: 'thanh-hoa/a', stale: false, verdict: 'ready' as const },
      { id: 'A', unit: 'thanh-hoa/a', stale: false, verdict: 'ready' as const },
    ];
    expect(sortWorstFirst(rows).map((r) => r.id)).toEqual(['A', 'b', 'a']);
  });
});

describe('summariseIncidents', () => {
  const s = summariseIncidents(incidents, new Date(GENERATED_AT));
  it('measures time to resolve from occurrence to the first resolved entry of the history', () => {
    expect(incidents.map((i) => timeToResolveMs(i))).toEqual([90 * MIN, 30 * MIN, 1560 * MIN, null, null, 0]);
  });
  it('gives mean, median and longest over resolved incidents only (hand-computed)', () => {
    // (90 + 30 + 1560 + 0) / 4 = 420 min; median of 0, 30, 90, 1560 = (30 + 90) / 2 = 60 min.
    expect(s.resolve).toEqual({ count: 4, meanMs: 420 * MIN, medianMs: 60 * MIN, maxMs: 1560 * MIN });
  });
  it('reports the unresolved ones and how long the oldest has been open at "now"', () => {
    // #4 occurred 5 Jul 02:00Z; now 8 Jul 01:30Z: 2 d 23 h 30 min.
    expect(s.unresolved).toEqual({ count: 2, oldestAgeMs: (2 * 24 * 60 + 23 * 60 + 30) * MIN });
  });
  it('counts by status, severity, category (most first, ties in the fixed order) and unit (two segments)', () => {
    expect(s.total).toBe(6);
    expect(s.byStatus).toEqual({ open: 1, acknowledged: 1, resolved: 4 });
    expect(s.bySeverity).toEqual({ critical: 2, major: 3, minor: 1 });
    expect(s.byCategory).toEqual([
      { category: 'mat_ket_noi', count: 2 },
      { category: 'khong_tieng', count: 1 },
      { category: 'tieng_vong', count: 1 },
      { category: 'su_co_duong_truyen', count: 1 },
      { category: 'mat_dien', count: 1 },
    ]);
    expect(s.byUnit).toEqual([
      { unit: 'thanh-hoa/quang-phu', count: 2 },
      { unit: 'thanh-hoa/bim-son', count: 1 },
      { unit: 'thanh-hoa/hac-thanh', count: 1 },
      { unit: 'thanh-hoa/muong-lat', count: 1 },
      { unit: 'thanh-hoa/so-khcn', count: 1 },
    ]);
    expect(unitGroup('thanh-hoa')).toBe('thanh-hoa');
  });
  it('has no mean for an empty list, and an odd count takes the middle value as median', () => {
    const empty = summariseIncidents([], new Date(GENERATED_AT));
    expect(empty.resolve).toEqual({ count: 0, meanMs: null, medianMs: null, maxMs: null });
    expect(empty.unresolved).toEqual({ count: 0, oldestAgeMs: null });
    const three = summariseIncidents(incidents.slice(0, 3), new Date(GENERATED_AT));
    expect(three.resolve.medianMs).toBe(90 * MIN);
    expect(three.resolve.meanMs).toBe(560 * MIN);
  });
  it('falls back to resolvedAt when the history has no resolved entry', () => {
    const i = { occurredAt: '2025-07-01T00:00:00Z', resolvedAt: '2025-07-01T00:45:00Z', history: [] };
    expect(timeToResolveMs(i)).toBe(45 * MIN);
  });
});

describe('words for numbers', () => {
  const vi = translator('vi');
  const en = translator('en');
  it('formats spans in both languages, cutting (not rounding) hours past a day', () => {
    expect(formatSpan(vi, 420 * MIN)).toBe('7 giờ 0 phút');
    expect(formatSpan(en, 90 * MIN)).toBe('1 h 30 min');
    expect(formatSpan(vi, 30 * MIN)).toBe('30 phút');
    expect(formatSpan(vi, (2 * 1440 + 23 * 60 + 30) * MIN)).toBe('2 ngày 23 giờ');
    expect(formatSpan(en, null)).toBe('—');
  });
  it('writes the summary line counts, could-not-check only when there are some', () => {
    expect(countsText(vi, readiness.counts)).toBe(
      '2 sẵn sàng, 1 có cảnh báo, 1 chưa sẵn sàng, 1 không kiểm tra được, 1 không báo cáo, 1 chưa từng báo cáo',
    );
    expect(countsText(en, { ...readiness.counts, unknown: 0 })).toBe(
      '2 ready, 1 with warnings, 1 not ready, 1 no report, 1 never reported',
    );
  });
});

describe('days and zones', () => {
  it('shows times in the chosen zone and names its offset', () => {
    const c = zoneClock(ZONE);
    expect(c.local(GENERATED_AT)).toBe('08:30 08/07/2025');
    expect(c.offsetLabel(Date.parse(GENERATED_AT))).toBe('UTC+07:00');
    expect(c.day(Date.parse('2025-07-07T17:00:00Z'))).toBe('2025-07-08');
    expect(zoneClock('America/St_Johns').offsetLabel(Date.parse('2025-01-15T12:00:00Z'))).toBe('UTC-03:30');
    expect(zoneClock('Europe/Paris').local('2025-03-30T00:59:00Z')).toBe('01:59 30/03/2025');
    expect(zoneClock('Europe/Paris').local('2025-03-30T01:00:00Z')).toBe('03:00 30/03/2025');
  });
  it('lists the last n days ending today in the zone', () => {
    expect(lastDays(new Date('2025-07-07T18:00:00Z'), 3, ZONE)).toEqual([
      '2025-07-06',
      '2025-07-07',
      '2025-07-08',
    ]);
    expect(lastDays(new Date('2025-03-01T05:00:00Z'), 2, 'UTC')).toEqual(['2025-02-28', '2025-03-01']);
  });
  it('builds the daily grid from runs: worst verdict of each local day, null without a run', () => {
    const s = { id: 'a', name: 'A', unit: 'x' };
    const runs = [
      { site: s, verdict: 'ready' as const, startedAt: '2025-07-07T01:00:00Z' },
      { site: s, verdict: 'not-ready' as const, startedAt: '2025-07-07T03:00:00Z' },
      { site: s, verdict: 'degraded' as const, startedAt: '2025-07-07T09:00:00Z' },
      // 18:00Z on the 7th is 01:00 on the 8th in Hà Nội.
      { site: s, verdict: 'degraded' as const, startedAt: '2025-07-07T18:00:00Z' },
      { site: { ...s, id: 'other' }, verdict: 'not-ready' as const, startedAt: '2025-07-07T03:00:00Z' },
      { site: s, verdict: 'not-ready' as const, startedAt: '2025-06-01T03:00:00Z' },
    ];
    expect(dailyFromRuns(runs, ['2025-07-06', '2025-07-07', '2025-07-08'], ['a', 'b'], ZONE)).toEqual({
      days: ['2025-07-06', '2025-07-07', '2025-07-08'],
      sites: [
        { id: 'a', verdicts: [null, 'not-ready', 'degraded'] },
        { id: 'b', verdicts: [null, null, null] },
      ],
    });
  });
});
