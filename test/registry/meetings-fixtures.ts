/** Builders of the meeting tests: a registry app with bridges, a coordinator token, meeting bodies. */
import type { MeetingInput } from '../../src/model/meeting.js';
import { createToken } from '../../src/registry/auth.js';
import { buildApp } from '../../src/registry/server.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import type { Store } from '../../src/registry/store/types.js';
import { NOW } from './fixtures.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const at = (ms: number) => new Date(ms).toISOString();

export const BRIDGES = [
  { id: 'tinh', name: 'Phòng họp trực tuyến tỉnh', uri: 'sip:8001@mcu.thanhhoa.gov.vn' },
  { id: 'tinh-2', uri: 'sip:8002@mcu.thanhhoa.gov.vn' },
];

export interface MeetingApp {
  app: Awaited<ReturnType<typeof buildApp>>;
  store: Store;
  now: { ms: number };
  tokens: {
    admin: string;
    coord: string;
    coordOther: string;
    coordBimSon: string;
    tech: string;
    techOther: string;
    viewer: string;
  };
}

/** Sites: two in Bỉm Sơn, one in Quảng Phú (thanh-hoa), one in Nghệ An. */
export async function meetingApp(store?: Store): Promise<MeetingApp> {
  const s = store ?? (await openSqlite(':memory:'));
  const now = { ms: NOW };
  const app = await buildApp({
    store: s,
    version: '0.0.0-test',
    now: () => now.ms,
    logLevel: 'silent',
    bridges: BRIDGES,
  });
  const make = async (role: 'admin' | 'technician' | 'viewer' | 'coordinator', unit: string, label: string) =>
    (await createToken(s, { role, unit, label, nowMs: NOW })).token;
  for (const [id, unit] of [
    ['th-bimson-ubnd', 'thanh-hoa/bim-son/ubnd'],
    ['th-bimson-xa', 'thanh-hoa/bim-son/xa'],
    ['th-quangphu', 'thanh-hoa/quang-phu'],
    ['na-vinh', 'nghe-an/vinh'],
  ] as const)
    await s.putSite(
      id,
      {
        name: `Điểm cầu ${id}`,
        unit,
        technician: { name: `KTV ${id}`, phone: '0912 000 000' },
        focal_point: { name: 'Đầu mối', phone: '0237 000' },
      },
      NOW,
    );
  return {
    app,
    store: s,
    now,
    tokens: {
      admin: await make('admin', '', 'admin'),
      coord: await make('coordinator', 'thanh-hoa', 'vp-ubnd-tinh'),
      coordOther: await make('coordinator', 'thanh-hoa', 'vp-tinh-uy'),
      coordBimSon: await make('coordinator', 'thanh-hoa/bim-son', 'vp-bim-son'),
      tech: await make('technician', 'thanh-hoa/bim-son', 'ktv-bim-son'),
      techOther: await make('technician', 'nghe-an', 'ktv-nghe-an'),
      viewer: await make('viewer', 'thanh-hoa', 'xem-tinh'),
    },
  };
}

export function meetingBody(over: Partial<MeetingInput> = {}): MeetingInput {
  return {
    title: 'Kỳ họp HĐND tỉnh',
    hostUnit: 'thanh-hoa/hdnd',
    start: at(NOW + 4 * DAY),
    end: at(NOW + 4 * DAY + 3 * HOUR),
    bridge: 'tinh',
    participants: { units: ['thanh-hoa/bim-son'] },
    contact: { name: 'Nguyễn Tiến Thành', phone: '0914.920.045' },
    ...over,
  };
}
