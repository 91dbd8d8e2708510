/** Builders shared by the registry tests: bodies, an app on a store, tokens for each role. */
import type { FastifyInstance } from 'fastify';
import type { IncidentInput } from '../../src/model/incident.js';
import type { RunInput } from '../../src/model/run.js';
import { createToken } from '../../src/registry/auth.js';
import { type AppOptions, buildApp } from '../../src/registry/server.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import type { Store } from '../../src/registry/store/types.js';

export const NOW = Date.parse('2026-11-25T02:00:00.000Z');

let keySeq = 0;
export const newKey = (tag = 'k') =>
  `${tag}-${process.pid}-${++keySeq}-${Math.random().toString(36).slice(2, 10)}`;

export function runBody(over: Partial<RunInput> & { siteId?: string; unit?: string } = {}): RunInput {
  const { siteId = 'th-bimson-ubnd', unit = 'thanh-hoa/bim-son/ubnd', ...rest } = over;
  return {
    site: { id: siteId, name: `Site ${siteId}`, unit },
    file: '/home/ktv/diemcau.yaml',
    verdict: 'not-ready',
    startedAt: '2026-11-25T01:00:00.000Z',
    durationMs: 2300,
    checks: [
      {
        id: 'mcu-ping',
        kind: 'ping',
        status: 'warn',
        required: true,
        summary: '20/20 replies, avg 180 ms',
        metrics: { rtt_ms: 180.4, loss_pct: 0 },
        limits: { warn: { rtt_ms: 150 } },
        startedAt: '2026-11-25T01:00:00.010Z',
        durationMs: 2100,
        attempts: 1,
      },
      {
        id: 'sip-port',
        kind: 'tcp',
        status: 'fail',
        required: true,
        summary: 'port 5060 refused the connection',
        metrics: {},
        error: { code: 'ECONNREFUSED', message: 'connection refused' },
        startedAt: '2026-11-25T01:00:00.011Z',
        durationMs: 4,
        attempts: 2,
      },
    ],
    ...rest,
  };
}

export function incidentBody(over: Partial<IncidentInput> = {}): IncidentInput {
  return {
    site: { id: 'th-bimson-ubnd', name: 'Hội trường UBND thị xã Bỉm Sơn', unit: 'thanh-hoa/bim-son/ubnd' },
    category: 'mat_ket_noi',
    severity: 'critical',
    summary: 'Mất kết nối tới MCU tỉnh lúc 7:45',
    occurredAt: '2026-11-25T00:45:00.000Z',
    effect: 'postponed',
    action: 'Khởi động lại codec, gọi lại phòng họp',
    ...over,
  };
}

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  tokens: { admin: string; tech: string; techOther: string; viewer: string; viewerProvince: string };
  now: { ms: number };
}

/** An app on the given store (default: SQLite in memory) with one token per role. */
export async function testApp(store?: Store, extra: Partial<AppOptions> = {}): Promise<TestApp> {
  const s = store ?? (await openSqlite(':memory:'));
  const now = { ms: NOW };
  const app = await buildApp({
    store: s,
    version: '0.0.0-test',
    now: () => now.ms,
    logLevel: 'silent',
    ...extra,
  });
  const make = async (role: 'admin' | 'technician' | 'viewer', unit: string, label: string) =>
    (await createToken(s, { role, unit, label, nowMs: NOW })).token;
  const tokens = {
    admin: await make('admin', '', 'admin'),
    tech: await make('technician', 'thanh-hoa/bim-son', 'ktv-bim-son'),
    techOther: await make('technician', 'nghe-an', 'ktv-nghe-an'),
    viewer: await make('viewer', 'thanh-hoa/bim-son', 'xem-bim-son'),
    viewerProvince: await make('viewer', 'thanh-hoa', 'so-khcn-thanh-hoa'),
  };
  return { app, store: s, tokens, now };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
export const post = (token: string, key = newKey()) => ({ ...bearer(token), 'idempotency-key': key });
