/** A fixed run report for renderer tests. */
import type { RunReport } from '../../src/report/types.js';

export const sampleReport: RunReport = {
  schema: 'diemcau/run@2',
  tool: { name: 'diemcau', version: '0.1.0' },
  startedAt: '2026-11-25T01:00:00.000Z',
  durationMs: 2345,
  verdict: 'not-ready',
  sites: [
    {
      site: {
        id: 'th-bimson-ubnd',
        name: 'Hội trường UBND thị xã Bỉm Sơn',
        unit: 'thanh-hoa/bim-son/ubnd',
        focal_point: { name: 'Trung tâm CNTT tỉnh', phone: '0237 385 0000' },
      },
      file: 'profiles/bim-son.yaml',
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
          metrics: { rtt_ms: 180.4, jitter_ms: 3.25, loss_pct: 0 },
          hint: 'The line to the MCU is slow: tell the provincial IT centre.',
          limits: {
            warn: { rtt_ms: { max: 150 }, loss_pct: { max: 1 } },
            fail: { rtt_ms: { max: 400 }, loss_pct: { max: 3 } },
          },
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
          error: {
            code: 'ECONNREFUSED',
            message: 'connection refused',
            hint: 'Check the firewall & the "SIP" port <5060>.',
          },
          startedAt: '2026-11-25T01:00:00.011Z',
          durationMs: 4,
          attempts: 2,
        },
        {
          id: 'portal',
          kind: 'http',
          status: 'pass',
          required: false,
          summary: 'HTTP 200 in 35 ms',
          metrics: { status: 200, ttfb_ms: 35 },
          startedAt: '2026-11-25T01:00:00.012Z',
          durationMs: 36,
          attempts: 1,
        },
        {
          id: 'test-call',
          kind: 'test-call',
          status: 'skip',
          required: false,
          summary: 'skipped: needs sip-port to pass first',
          metrics: {},
          error: { code: 'NEEDS_NOT_MET', message: 'skipped: needs sip-port to pass first' },
          startedAt: '2026-11-25T01:00:00.013Z',
          durationMs: 0,
          attempts: 0,
        },
      ],
    },
  ],
};

export const sweepReport: RunReport = {
  ...sampleReport,
  sites: [
    ...sampleReport.sites,
    {
      site: { id: 'th-xa-b', name: 'UBND xã B', unit: 'thanh-hoa/xa-b' },
      file: 'profiles/xa-b.yaml',
      verdict: 'ready',
      startedAt: '2026-11-25T01:00:00.000Z',
      durationMs: 1000,
      checks: [
        {
          id: 'mcu-ping',
          kind: 'ping',
          status: 'pass',
          required: true,
          summary: '20/20 replies, avg 12 ms',
          metrics: { rtt_ms: 12, loss_pct: 0 },
          startedAt: '2026-11-25T01:00:00.010Z',
          durationMs: 1000,
          attempts: 1,
        },
      ],
    },
    {
      site: { id: 'broken', name: 'profiles/broken.yaml' },
      file: 'profiles/broken.yaml',
      verdict: 'unknown',
      startedAt: '2026-11-25T01:00:00.000Z',
      durationMs: 0,
      checks: [],
      error: {
        code: 'PROFILE_INVALID',
        message: 'profiles/broken.yaml:3:9: site.unit: required field is missing',
      },
    },
  ],
};
