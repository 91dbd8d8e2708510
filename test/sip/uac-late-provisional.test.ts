/**
 * A proxy with several workers can forward the 180 after the 200: the call
 * stays connected, and hanging up sends BYE (not CANCEL) along the route set.
 */
import dgram from 'node:dgram';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildResponse, parseMessage, type SipMessage } from '../../src/sip/message.js';
import { placeCall } from '../../src/sip/uac.js';

let server: dgram.Socket;
let port: number;
const seen: SipMessage[] = [];

beforeAll(async () => {
  server = dgram.createSocket('udp4');
  server.on('message', (buf, rinfo) => {
    const msg = parseMessage(buf.toString('utf8'));
    if (!msg) return;
    seen.push(msg);
    const reply = (status: number, reason: string, extra: Array<[string, string]> = []) =>
      server.send(buildResponse(msg, status, reason, { toTag: 'far', extra }), rinfo.port, rinfo.address);
    if (msg.method === 'INVITE') {
      reply(200, 'OK', [
        ['Record-Route', `<sip:127.0.0.1:${port};lr>`],
        ['Contact', `<sip:far@127.0.0.1:${port}>`],
      ]);
      reply(180, 'Ringing');
    } else if (msg.method === 'BYE') reply(200, 'OK');
  });
  port = await new Promise<number>((r) => server.bind(0, '127.0.0.1', () => r(server.address().port)));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

it('ignores a 180 that arrives after the 200, and hangs up with BYE along the route', async () => {
  const call = await placeCall({
    uri: `sip:8001@127.0.0.1:${port}`,
    host: '127.0.0.1',
    port,
    transport: 'udp',
  });
  const states: string[] = [];
  call.onChange((s) => states.push(s));
  await new Promise((r) => setTimeout(r, 300));
  expect(call.state).toBe('connected');
  expect(states).toEqual(['connected']);
  await call.hangup();
  const bye = seen.find((m) => m.method === 'BYE');
  expect(seen.some((m) => m.method === 'CANCEL')).toBe(false);
  expect(bye?.uri).toBe(`sip:far@127.0.0.1:${port}`);
  expect(bye?.headers.find(([n]) => n === 'Route')?.[1]).toBe(`<sip:127.0.0.1:${port};lr>`);
  expect(bye?.headers.find(([n]) => n === 'CSeq')?.[1]).toBe('2 BYE');
});
