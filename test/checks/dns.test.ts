/**
 * The dns kind against a real DNS server on 127.0.0.1 (test/helpers/dns-server.ts)
 * and the system resolver for `localhost` (/etc/hosts). No query leaves this machine.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dns } from '../../src/checks/dns.js';
import { formatNumber } from '../../src/report/metrics.js';
import { type DnsServer, startDnsServer } from '../helpers/dns-server.js';
import { kindContext } from '../helpers/kind-context.js';

const fmt = (v: number | undefined) => formatNumber(v as number);

describe('dns against a DNS server on 127.0.0.1', () => {
  let server: DnsServer;
  beforeAll(async () => {
    server = await startDnsServer({
      records: {
        'mcu.thanhhoa.test': ['10.10.1.5', '10.10.1.6'],
        'v6.thanhhoa.test': ['2001:db8::5'],
      },
      silent: ['slow.thanhhoa.test'],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a known name: pass with resolve_ms, the count and the addresses', async () => {
    const r = await dns.run({ name: 'mcu.thanhhoa.test', server: server.address }, kindContext());
    expect(r.status).toBe('pass');
    expect(r.metrics?.addresses).toBe(2);
    expect(r.metrics?.resolve_ms).toBeGreaterThanOrEqual(0);
    expect(r.details).toEqual({
      server: server.address,
      family: 'any',
      addresses: ['10.10.1.5', '10.10.1.6'],
    });
    expect(r.summary).toBe(
      `mcu.thanhhoa.test resolves to 10.10.1.5, 10.10.1.6 (${fmt(r.metrics?.resolve_ms)} ms, ${server.address})`,
    );
  });

  it('family ipv4 asks only for A records; Vietnamese summary', async () => {
    const before = server.queries.length;
    const r = await dns.run(
      { name: 'mcu.thanhhoa.test', server: server.address, family: 'ipv4' },
      kindContext({ locale: 'vi' }),
    );
    expect(r.status).toBe('pass');
    expect(server.queries.slice(before)).toEqual([{ name: 'mcu.thanhhoa.test', type: 1 }]);
    expect(r.summary).toBe(
      `mcu.thanhhoa.test phân giải thành 10.10.1.5, 10.10.1.6 (${fmt(r.metrics?.resolve_ms)} ms, ${server.address})`,
    );
  });

  it('an IPv6-only name with family any: its AAAA answer', async () => {
    const r = await dns.run({ name: 'v6.thanhhoa.test', server: server.address }, kindContext());
    expect(r.status).toBe('pass');
    expect(r.details).toMatchObject({ addresses: ['2001:db8::5'] });
  });

  it('expect: passes when the addresses are among the answers, fails DNS_MISMATCH otherwise', async () => {
    const ok = await dns.run(
      { name: 'mcu.thanhhoa.test', server: server.address, expect: ['10.10.1.6'] },
      kindContext(),
    );
    expect(ok.status).toBe('pass');
    const bad = await dns.run(
      { name: 'mcu.thanhhoa.test', server: server.address, expect: ['10.10.1.6', '10.10.9.9'] },
      kindContext(),
    );
    expect(bad).toMatchObject({
      status: 'fail',
      summary: 'mcu.thanhhoa.test resolves to 10.10.1.5, 10.10.1.6, but 10.10.9.9 is expected among them',
      metrics: { addresses: 2 },
      error: { code: 'DNS_MISMATCH' },
    });
    expect(bad.hint).toContain('provincial IT centre');
  });

  it('no address of the family asked: fail ENODATA', async () => {
    const r = await dns.run(
      { name: 'mcu.thanhhoa.test', server: server.address, family: 'ipv6' },
      kindContext(),
    );
    expect(r).toMatchObject({
      status: 'fail',
      summary: `mcu.thanhhoa.test has no IPv6 address according to ${server.address}`,
      error: { code: 'ENODATA' },
    });
  });

  it('NXDOMAIN: fail ENOTFOUND with the DNS hint, in English and Vietnamese', async () => {
    const r = await dns.run({ name: 'nope.thanhhoa.test', server: server.address }, kindContext());
    expect(r).toMatchObject({
      status: 'fail',
      summary: `nope.thanhhoa.test does not exist (NXDOMAIN) according to ${server.address}`,
      error: { code: 'ENOTFOUND' },
      hint: expect.stringContaining('DNS server setting of the codec or PC'),
    });
    const rv = await dns.run(
      { name: 'nope.thanhhoa.test', server: server.address },
      kindContext({ locale: 'vi' }),
    );
    expect(rv.summary).toBe(`nope.thanhhoa.test không tồn tại (NXDOMAIN) theo ${server.address}`);
    expect(rv.hint).toContain('trung tâm CNTT tỉnh');
  });

  it('a server that never answers: fail TIMEOUT within the check timeout', async () => {
    const started = performance.now();
    const r = await dns.run(
      { name: 'slow.thanhhoa.test', server: server.address },
      kindContext({ timeoutMs: 1000 }),
    );
    expect(r).toMatchObject({
      status: 'fail',
      summary: `${server.address} did not answer for slow.thanhhoa.test within 0.8 s`,
      error: { code: 'TIMEOUT' },
    });
    // A hang detector, not a speed test: the 1 s budget must hold.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('a port where no DNS server listens: fail ECONNREFUSED', async () => {
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const { port } = probe.address();
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const r = await dns.run(
      { name: 'mcu.thanhhoa.test', server: `127.0.0.1:${port}` },
      kindContext({ timeoutMs: 1500 }),
    );
    // The kernel answers ICMP port unreachable on loopback; c-ares reports it as refused.
    expect(r).toMatchObject({
      status: 'fail',
      summary: `127.0.0.1:${port} refused the query for mcu.thanhhoa.test`,
      error: { code: 'ECONNREFUSED' },
    });
  });

  it('an aborted signal: error CANCELLED', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const r = await dns.run(
      { name: 'slow.thanhhoa.test', server: server.address },
      kindContext({ signal: controller.signal }),
    );
    expect(r).toMatchObject({ status: 'error', error: { code: 'CANCELLED' } });
  });
});

describe('dns through the system resolver', () => {
  it('localhost resolves from /etc/hosts', async () => {
    const r = await dns.run({ name: 'localhost', family: 'ipv4' }, kindContext());
    expect(r.status).toBe('pass');
    expect(r.details).toEqual({ server: 'system', family: 'ipv4', addresses: ['127.0.0.1'] });
    expect(r.summary).toBe(
      `localhost resolves to 127.0.0.1 (${fmt(r.metrics?.resolve_ms)} ms, system resolver)`,
    );
  });

  it('a resolve_ms warn limit of 0 gives warn with the limit named', async () => {
    const r = await dns.run(
      { name: 'localhost', family: 'ipv4', warn: { resolve_ms: 0 } },
      kindContext({ locale: 'vi' }),
    );
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/; vượt ngưỡng: resolve_ms [\d.]+ \(ngưỡng cảnh báo 0\)$/);
  });
});
