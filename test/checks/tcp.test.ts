/** The tcp kind against real sockets on 127.0.0.1. */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tcp } from '../../src/checks/tcp.js';
import { formatNumber } from '../../src/report/metrics.js';
import { kindContext } from '../helpers/kind-context.js';

const fmt = (v: number | undefined) => formatNumber(v as number);

/** A port nothing listens on: listen on port 0, note the port, close. */
async function unusedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('tcp', () => {
  let server: net.Server;
  let port: number;
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    server = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('an open port passes with connect_ms and the address it reached', async () => {
    const r = await tcp.run({ target: '127.0.0.1', port }, kindContext());
    expect(r.status).toBe('pass');
    expect(Object.keys(r.metrics ?? {})).toEqual(['connect_ms']); // an IP: no lookup
    expect(r.metrics?.connect_ms).toBeGreaterThanOrEqual(0);
    expect(r.summary).toBe(
      `port ${port} on 127.0.0.1 accepts connections (${fmt(r.metrics?.connect_ms)} ms)`,
    );
    expect(r.details).toEqual({ address: '127.0.0.1', family: 'IPv4', port });
  });

  it('a name is looked up first and its time reported apart; Vietnamese summary', async () => {
    const r = await tcp.run({ target: 'localhost', port }, kindContext({ locale: 'vi' }));
    // Node tries every address of the name (happy eyeballs), so 127.0.0.1 is reached even if ::1 comes first.
    expect(r.status).toBe('pass');
    expect(Object.keys(r.metrics ?? {}).sort()).toEqual(['connect_ms', 'lookup_ms']);
    expect(r.summary).toBe(`cổng ${port} của localhost nhận kết nối (${fmt(r.metrics?.connect_ms)} ms)`);
  });

  it('a connect_ms warn limit below what was measured gives warn', async () => {
    const r = await tcp.run({ target: '127.0.0.1', port, warn: { connect_ms: 0 } }, kindContext());
    // Loopback connects in well under a millisecond, but it is never exactly 0.
    expect(r.status).toBe('warn');
    expect(r.summary).toMatch(/; over the limit: connect_ms [\d.]+ \(warning limit 0\)$/);
  });

  it('an unused port: fail ECONNREFUSED with a hint, in English and Vietnamese', async () => {
    const closed = await unusedPort();
    const r = await tcp.run({ target: '127.0.0.1', port: closed }, kindContext());
    expect(r).toMatchObject({
      status: 'fail',
      summary: `port ${closed} on 127.0.0.1 refused the connection`,
      error: { code: 'ECONNREFUSED' },
      hint: expect.stringContaining('firewall'),
    });
    expect(r.metrics).toBeUndefined();
    const rv = await tcp.run({ target: '127.0.0.1', port: closed }, kindContext({ locale: 'vi' }));
    expect(rv.summary).toBe(`cổng ${closed} của 127.0.0.1 từ chối kết nối`);
    expect(rv.hint).toContain('Tường lửa');
  });

  it('an aborted signal: error CANCELLED', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await tcp.run({ target: '127.0.0.1', port }, kindContext({ signal: controller.signal }));
    expect(r).toMatchObject({ status: 'error', error: { code: 'CANCELLED' } });
  });
});
