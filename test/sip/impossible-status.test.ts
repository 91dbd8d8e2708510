/** A reply with an impossible status (`SIP/2.0 999999 Weird`) is not SIP: the OPTIONS probe never counts it as an answer. */
import dgram from 'node:dgram';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { header, parseMessage } from '../../src/sip/message.js';
import { probeOptions } from '../../src/sip/options.js';

let server: dgram.Socket;
let port: number;

beforeAll(async () => {
  server = dgram.createSocket('udp4');
  server.on('message', (buf, rinfo) => {
    const req = parseMessage(buf.toString('utf8'));
    if (!req) return;
    const echo = ['via', 'from', 'to', 'call-id', 'cseq'].map((h) => `${h}: ${header(req, h) ?? ''}`);
    server.send(
      `SIP/2.0 999999 Weird\r\n${echo.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`,
      rinfo.port,
      rinfo.address,
    );
  });
  port = await new Promise<number>((r) => server.bind(0, '127.0.0.1', () => r(server.address().port)));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('times out instead of passing on SIP/2.0 999999 Weird', async () => {
  const r = await probeOptions({
    uri: `sip:127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    transport: 'udp',
    timeoutMs: 600,
  });
  expect(r.outcome).toBe('timeout');
  expect(r.status).toBeUndefined();
});
