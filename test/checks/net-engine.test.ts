/**
 * The network kinds through the engine (runSite): per-check timeouts,
 * retries, needs, Ctrl-C, and the verdict, with real peers on loopback.
 */
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSite } from '../../src/engine/run.js';
import type { CheckSpec } from '../../src/profile/types.js';
import { testContext } from '../helpers/context.js';
import { type DnsServer, startDnsServer } from '../helpers/dns-server.js';
import { testProfile } from '../helpers/kind-context.js';
import { havePeer } from '../helpers/peers.js';

const spec = (
  id: string,
  kind: string,
  params: Record<string, unknown>,
  extra: Partial<CheckSpec> = {},
): CheckSpec => ({
  id,
  kind,
  required: true,
  retries: 0,
  needs: [],
  ...extra,
  params: { id, kind, ...params },
});

describe('network kinds through runSite', () => {
  let web: http.Server;
  let tcpServer: net.Server;
  let dnsServer: DnsServer;
  let webBase = '';
  let tcpPort = 0;
  let hits = 0;
  beforeAll(async () => {
    web = http.createServer((req, res) => {
      if (req.url === '/never') {
        hits += 1;
        return; // never answers
      }
      res.end('ok');
    });
    await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
    webBase = `http://127.0.0.1:${(web.address() as net.AddressInfo).port}`;
    tcpServer = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => tcpServer.listen(0, '127.0.0.1', resolve));
    tcpPort = (tcpServer.address() as net.AddressInfo).port;
    dnsServer = await startDnsServer({ records: { 'mcu.thanhhoa.test': ['10.10.1.5'] } });
  });
  afterAll(async () => {
    web.closeAllConnections();
    await new Promise<void>((resolve) => web.close(() => resolve()));
    await new Promise<void>((resolve) => tcpServer.close(() => resolve()));
    await dnsServer.stop();
  });

  it('timeouts, retries and needs: exact statuses, codes, attempts and the verdict', async () => {
    hits = 0;
    const profile = testProfile({
      checks: [
        spec('sip-port', 'tcp', { target: '127.0.0.1', port: tcpPort }),
        spec('mcu-dns', 'dns', {
          name: 'mcu.thanhhoa.test',
          server: dnsServer.address,
          expect: ['10.10.1.5'],
        }),
        spec('portal', 'http', { url: `${webBase}/ok`, expect_status: 200 }, { needs: ['mcu-dns'] }),
        spec('hung', 'http', { url: `${webBase}/never` }, { timeoutMs: 600, retries: 1, required: false }),
        spec('after-hung', 'tcp', { target: '127.0.0.1', port: tcpPort }, { needs: ['hung'] }),
      ],
    });
    const ctx = testContext({ locale: 'en' });
    const run = await runSite(profile, ctx, { retryDelayMs: 10 });
    const by = Object.fromEntries(run.checks.map((c) => [c.id, c]));
    expect(run.checks.map((c) => [c.id, c.status, c.attempts])).toEqual([
      ['sip-port', 'pass', 1],
      ['mcu-dns', 'pass', 1],
      ['portal', 'pass', 1],
      ['hung', 'fail', 2],
      ['after-hung', 'skip', 0],
    ]);
    expect(hits).toBe(2); // the retry really asked again
    expect(by.hung?.error).toMatchObject({ code: 'TIMEOUT' });
    expect(by.hung?.summary).toBe(`${webBase}/never did not answer within 0.5 s`);
    expect(by['after-hung']?.error).toEqual({
      code: 'NEEDS_NOT_MET',
      message: 'skipped: needs hung to pass first',
    });
    expect(by['mcu-dns']?.metrics).toMatchObject({ addresses: 1 });
    expect(by.portal?.metrics).toMatchObject({ status: 200, bytes: 2 });
    // hung is advisory, but after-hung is required and could not run.
    expect(run.verdict).toBe('not-ready');
    // Two attempts of 0.5 s each and a short pause: a hang detector, not a speed test.
    expect(by.hung?.durationMs).toBeLessThan(5000);
  });

  it('a timeout too short for the ping count: the kind says so before sending anything', async () => {
    const profile = testProfile({
      checks: [spec('mcu-ping', 'ping', { target: '127.0.0.1', count: 20 }, { timeoutMs: 1000 })],
    });
    const run = await runSite(profile, testContext({ locale: 'vi', env: { PATH: process.env.PATH ?? '' } }));
    expect(run.checks[0]).toMatchObject({
      status: 'error',
      attempts: 1,
      summary: '20 gói, mỗi gói cách 0.2 giây, cần khoảng 5.8 giây, quá thời gian cho phép 1.0 giây',
      error: { code: 'PING_TOO_LONG' },
    });
    expect(run.verdict).toBe('not-ready');
  });

  it.skipIf(!havePeer('ping', 'apt install iputils-ping'))(
    'Ctrl-C during a ping: it is killed and the run ends cancelled',
    async () => {
      const controller = new AbortController();
      const profile = testProfile({
        checks: [
          spec('mcu-ping', 'ping', { target: '127.0.0.1', count: 100 }, { timeoutMs: 60_000 }),
          spec('lan-ping', 'ping', { target: '127.0.0.1', count: 2 }),
        ],
      });
      setTimeout(() => controller.abort(), 1000);
      const started = performance.now();
      const run = await runSite(
        profile,
        testContext({ signal: controller.signal, env: { PATH: process.env.PATH ?? '' } }),
      );
      expect(run.checks.map((c) => [c.id, c.status])).toEqual([
        ['mcu-ping', 'error'],
        ['lan-ping', 'pass'],
      ]);
      expect(run.checks[0]?.error?.code).toBe('CANCELLED');
      expect(run.checks[1]?.metrics).toMatchObject({ sent: 2, received: 2, loss_pct: 0 });
      // 100 probes take 20 s: the run ended with the abort, not with ping.
      expect(performance.now() - started).toBeLessThan(10_000);
    },
  );
});
