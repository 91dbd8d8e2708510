/**
 * Fixed data for the report renderers: seven Thanh Hoá sites in every state,
 * seven days of verdicts and six incidents whose times to resolve are easy to
 * add up by hand (see fleet-summary.test.ts).
 */
import type { Incident } from '../../src/model/incident.js';
import type { Readiness } from '../../src/model/report.js';
import type { Run } from '../../src/model/run.js';
import type {
  DailyVerdicts,
  IncidentReportData,
  ReadinessReportData,
  SiteReportData,
} from '../../src/report/fleet/types.js';

export const GENERATED_AT = '2025-07-08T01:30:00.000Z'; // 08:30 in Hà Nội (UTC+07:00)
export const ZONE = 'Asia/Ho_Chi_Minh';

export const readiness: Readiness = {
  generatedAt: GENERATED_AT,
  unit: 'thanh-hoa',
  staleBefore: '2025-07-06T23:30:00.000Z', // 26 h before
  // th-xa-hoang-hoa never reported: its own state (issue 15), not counted as stale.
  counts: { sites: 7, ready: 2, degraded: 1, notReady: 1, unknown: 1, stale: 1, never: 1 },
  // The registry's order (by id), not worst first.
  sites: [
    {
      id: 'th-bimson-ubnd',
      name: 'Hội trường UBND thị xã Bỉm Sơn',
      unit: 'thanh-hoa/bim-son/ubnd',
      verdict: 'ready',
      at: '2025-07-08T00:55:00.000Z',
      runId: 101,
      failing: [],
      stale: false,
    },
    {
      id: 'th-phuong-hac-thanh',
      name: 'Phường Hạc Thành',
      unit: 'thanh-hoa/hac-thanh',
      verdict: 'ready',
      at: '2025-07-08T00:50:00.000Z',
      runId: 104,
      failing: [],
      stale: false,
    },
    {
      id: 'th-so-khcn',
      name: 'Sở Khoa học và Công nghệ',
      unit: 'thanh-hoa/so-khcn',
      verdict: 'degraded',
      at: '2025-07-08T01:00:00.000Z',
      runId: 103,
      failing: ['ups'],
      stale: false,
    },
    {
      id: 'th-xa-hoang-hoa',
      name: 'UBND xã Hoằng Hoá',
      unit: 'thanh-hoa/hoang-hoa',
      verdict: null,
      at: null,
      runId: null,
      failing: [],
      stale: true,
    },
    {
      id: 'th-xa-muong-lat',
      name: 'UBND xã Mường Lát',
      unit: 'thanh-hoa/muong-lat',
      verdict: 'not-ready',
      at: '2025-07-05T02:00:00.000Z',
      runId: 90,
      failing: ['mcu-sip'],
      stale: true,
    },
    {
      id: 'th-xa-nga-son',
      name: 'UBND xã Nga Sơn',
      unit: 'thanh-hoa/nga-son',
      verdict: 'unknown',
      at: '2025-07-07T23:45:00.000Z',
      runId: 105,
      failing: [],
      stale: false,
    },
    {
      id: 'th-xa-quang-phu',
      name: 'UBND xã Quảng Phú',
      unit: 'thanh-hoa/quang-phu',
      verdict: 'not-ready',
      at: '2025-07-08T00:40:00.000Z',
      runId: 102,
      failing: ['mcu-ping', 'codec-reg'],
      stale: false,
    },
  ],
};

export const DAYS = [
  '2025-07-02',
  '2025-07-03',
  '2025-07-04',
  '2025-07-05',
  '2025-07-06',
  '2025-07-07',
  '2025-07-08',
];

export const daily: DailyVerdicts = {
  days: DAYS,
  sites: [
    { id: 'th-bimson-ubnd', verdicts: ['ready', 'ready', 'degraded', 'ready', 'ready', 'ready', 'ready'] },
    { id: 'th-phuong-hac-thanh', verdicts: ['ready', null, 'ready', 'ready', 'not-ready', 'ready', 'ready'] },
    {
      id: 'th-so-khcn',
      verdicts: ['degraded', 'not-ready', 'not-ready', 'degraded', 'degraded', 'degraded', 'degraded'],
    },
    { id: 'th-xa-hoang-hoa', verdicts: [null, null, null, null, null, null, null] },
    { id: 'th-xa-muong-lat', verdicts: ['ready', 'ready', 'degraded', 'not-ready', null, null, null] },
    { id: 'th-xa-nga-son', verdicts: [null, 'ready', 'ready', 'unknown', 'ready', 'unknown', null] },
    {
      id: 'th-xa-quang-phu',
      verdicts: ['not-ready', 'ready', 'ready', 'ready', 'degraded', 'not-ready', 'not-ready'],
    },
  ],
};

type Step = [at: string, status: Incident['status']];

function incident(
  id: number,
  site: { id: string; name: string; unit: string },
  category: Incident['category'],
  severity: Incident['severity'],
  occurredAt: string,
  summary: string,
  steps: Step[],
): Incident {
  const last = steps[steps.length - 1] as Step;
  const resolved = steps.find((s) => s[1] === 'resolved');
  return {
    id,
    site,
    category,
    severity,
    summary,
    occurredAt,
    effect: severity === 'critical' ? 'postponed' : 'none',
    status: last[1],
    createdAt: (steps[0] as Step)[0],
    updatedAt: last[0],
    ...(resolved ? { resolvedAt: resolved[0] } : {}),
    history: steps.map(([at, status]) => ({ at, status })),
  };
}

const S = Object.fromEntries(readiness.sites.map((s) => [s.id, { id: s.id, name: s.name, unit: s.unit }]));
const site = (id: string) => S[id] as { id: string; name: string; unit: string };

/**
 * Times to resolve (occurred → first "resolved" entry):
 *   #1  01:00 → 02:30          =   90 min
 *   #2  07:00 → 07:30          =   30 min
 *   #3  3 Jul 00:00 → 4 Jul 02:00 = 1560 min (26 h)
 *   #6  resolved 10 min *before* it occurred (clocks disagree) → 0 min
 *   #4, #5 not resolved.
 */
export const incidents: Incident[] = [
  incident(
    1,
    site('th-xa-quang-phu'),
    'mat_ket_noi',
    'critical',
    '2025-07-01T01:00:00.000Z',
    'Mất kết nối tới MCU tỉnh giữa phiên thử',
    [
      ['2025-07-01T01:05:00.000Z', 'open'],
      ['2025-07-01T01:10:00.000Z', 'acknowledged'],
      ['2025-07-01T02:30:00.000Z', 'resolved'],
    ],
  ),
  incident(
    2,
    site('th-bimson-ubnd'),
    'tieng_vong',
    'minor',
    '2025-07-02T07:00:00.000Z',
    'Tiếng vọng ở loa phòng họp',
    [
      ['2025-07-02T07:10:00.000Z', 'open'],
      ['2025-07-02T07:30:00.000Z', 'resolved'],
    ],
  ),
  incident(
    3,
    site('th-so-khcn'),
    'mat_dien',
    'major',
    '2025-07-03T00:00:00.000Z',
    'Mất điện cả toà nhà, UPS hết pin',
    [
      ['2025-07-03T00:20:00.000Z', 'open'],
      ['2025-07-04T02:00:00.000Z', 'resolved'],
    ],
  ),
  incident(
    4,
    site('th-xa-muong-lat'),
    'mat_ket_noi',
    'critical',
    '2025-07-05T02:00:00.000Z',
    'Đứt cáp quang, chờ VNPT',
    [
      ['2025-07-05T02:15:00.000Z', 'open'],
      ['2025-07-05T03:00:00.000Z', 'acknowledged'],
    ],
  ),
  incident(
    5,
    site('th-xa-quang-phu'),
    'su_co_duong_truyen',
    'major',
    '2025-07-07T23:00:00.000Z',
    'Đường truyền TSLCD chập chờn',
    [['2025-07-07T23:05:00.000Z', 'open']],
  ),
  incident(
    6,
    site('th-phuong-hac-thanh'),
    'khong_tieng',
    'major',
    '2025-07-06T01:00:00.000Z',
    'Micro bàn chủ toạ "chết", phải thay\nđã thay micro dự phòng',
    [
      ['2025-07-06T00:40:00.000Z', 'open'],
      ['2025-07-06T00:50:00.000Z', 'resolved'],
    ],
  ),
];

export const readinessData: ReadinessReportData = { readiness, daily, incidents };

export const incidentData: IncidentReportData = {
  generatedAt: GENERATED_AT,
  incidents,
  unit: 'thanh-hoa',
  since: '2025-06-30T17:00:00.000Z',
};

function run(id: number, startedAt: string, verdict: Run['verdict'], failing: string[]): Run {
  return {
    id,
    site: site('th-xa-quang-phu'),
    verdict,
    startedAt,
    durationMs: 12_300,
    receivedAt: startedAt,
    failing,
    checks: [],
  };
}

export const siteData: SiteReportData = {
  generatedAt: GENERATED_AT,
  site: site('th-xa-quang-phu'),
  runs: [
    run(102, '2025-07-08T00:40:00.000Z', 'not-ready', ['mcu-ping', 'codec-reg']),
    run(98, '2025-07-07T09:00:00.000Z', 'not-ready', ['mcu-ping']),
    run(95, '2025-07-06T00:30:00.000Z', 'degraded', ['ups']),
    run(91, '2025-07-05T00:30:00.000Z', 'ready', []),
  ],
  incidents: incidents.filter((i) => i.site.id === 'th-xa-quang-phu'),
};
