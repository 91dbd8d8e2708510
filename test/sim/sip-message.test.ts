/** SIP message building and parsing (RFC 3261 §7, §8.2.6, §18.3). */
import { describe, expect, it } from 'vitest';
import {
  branchOf,
  buildResponse,
  cseq,
  header,
  headers,
  newBranch,
  param,
  parseMessage,
  SipStreamDecoder,
} from '../../src/sip/message.js';
import { buildOptions } from '../../src/sip/options.js';
import { formatSipUri, parseSipUri } from '../../src/sip/uri.js';

const OPTIONS = buildOptions({
  uri: 'sip:mcu.example.gov.vn',
  channel: { local: { address: '192.0.2.10', port: 34077 }, transport: 'udp' },
  branch: 'z9hG4bKce47d1981016',
  tag: 'e9a6b386',
  callId: '64e4e062f2df4ef3@192.0.2.10',
  userAgent: 'diemcau',
});

describe('OPTIONS request', () => {
  it('has the mandatory headers, CRLF line ends and a Content-Length', () => {
    expect(OPTIONS).toBe(
      [
        'OPTIONS sip:mcu.example.gov.vn SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.10:34077;rport;branch=z9hG4bKce47d1981016',
        'Max-Forwards: 70',
        'From: <sip:probe@192.0.2.10>;tag=e9a6b386',
        'To: <sip:mcu.example.gov.vn>',
        'Call-ID: 64e4e062f2df4ef3@192.0.2.10',
        'CSeq: 1 OPTIONS',
        'Contact: <sip:probe@192.0.2.10:34077>',
        'Accept: application/sdp',
        'User-Agent: diemcau',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  });

  it('makes fresh branches with the magic cookie', () => {
    const a = newBranch();
    expect(a).toMatch(/^z9hG4bK[0-9a-f]{16}$/);
    expect(newBranch()).not.toBe(a);
  });
});

describe('parsing', () => {
  it('reads a response with compact and folded headers', () => {
    const msg = parseMessage(
      'SIP/2.0 200 OK\r\nv: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKx;rport=5060;received=10.0.0.1\r\ni: abc@h\r\nf: <sip:a@h>;tag=1\r\nt: <sip:b@h>\r\n ;tag=2\r\nCSeq: 7 OPTIONS\r\nl: 0\r\n\r\n',
    );
    expect(msg?.status).toBe(200);
    expect(header(msg!, 'call-id')).toBe('abc@h');
    expect(branchOf(msg!)).toBe('z9hG4bKx');
    expect(param(header(msg!, 'to'), 'tag')).toBe('2');
    expect(cseq(msg!)).toEqual({ seq: 7, method: 'OPTIONS' });
  });

  it('splits comma-joined Via values', () => {
    const msg = parseMessage(
      'BYE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bK1, SIP/2.0/TCP b;branch=z9hG4bK2\r\n\r\n',
    );
    expect(headers(msg!, 'via')).toEqual(['SIP/2.0/UDP a;branch=z9hG4bK1', 'SIP/2.0/TCP b;branch=z9hG4bK2']);
  });

  it('rejects what is not SIP', () => {
    expect(parseMessage('HTTP/1.1 200 OK\r\n\r\n')).toBeUndefined();
  });

  it('takes only status codes 100–699 (RFC 3261 §7.2)', () => {
    for (const line of ['SIP/2.0 999999 Weird', 'SIP/2.0 099 Low', 'SIP/2.0 700 High', 'SIP/2.0 2000 OK'])
      expect(parseMessage(`${line}\r\nCall-ID: a\r\n\r\n`), line).toBeUndefined();
    expect(parseMessage('SIP/2.0 100 Trying\r\n\r\n')?.status).toBe(100);
    expect(parseMessage('SIP/2.0 699\r\n\r\n')).toMatchObject({ status: 699, reason: '' });
  });

  it('answers with Via, From, Call-ID and CSeq echoed, a To tag, rport and received filled (RFC 3581)', () => {
    const req = parseMessage(OPTIONS)!;
    const res = parseMessage(
      buildResponse(req, 200, 'OK', { toTag: 'abc', received: { address: '198.51.100.7', port: 40000 } }),
    )!;
    expect(header(res, 'via')).toBe(
      'SIP/2.0/UDP 192.0.2.10:34077;rport=40000;branch=z9hG4bKce47d1981016;received=198.51.100.7',
    );
    expect(header(res, 'to')).toBe('<sip:mcu.example.gov.vn>;tag=abc');
    expect(header(res, 'from')).toBe(header(req, 'from'));
    expect(header(res, 'cseq')).toBe('1 OPTIONS');
  });
});

describe('stream framing (TCP)', () => {
  it('frames messages by Content-Length across chunks, skipping keep-alive CRLFs', () => {
    const d = new SipStreamDecoder();
    const body = 'v=0\r\n';
    const one = `INVITE sip:x SIP/2.0\r\nCall-ID: 1\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const two = 'BYE sip:x SIP/2.0\r\nCall-ID: 2\r\nl: 0\r\n\r\n';
    const all = Buffer.from(`\r\n\r\n${one}${two}`);
    expect(d.push(all.subarray(0, 20))).toEqual([]);
    const out = d.push(all.subarray(20));
    expect(out.map((m) => [m.method, m.body])).toEqual([
      ['INVITE', body],
      ['BYE', ''],
    ]);
  });

  it('drops a header block that never ends (over 64 KiB)', () => {
    const d = new SipStreamDecoder();
    d.push(Buffer.alloc(70_000, 0x41));
    expect(d.overflow).toBe(true);
  });
});

describe('SIP URIs', () => {
  it.each([
    [
      'sip:8001@mcu.thanhhoa.gov.vn',
      { scheme: 'sip', user: '8001', host: 'mcu.thanhhoa.gov.vn', params: {} },
    ],
    [
      'sips:mcu:5071;transport=tcp',
      { scheme: 'sips', host: 'mcu', port: 5071, params: { transport: 'tcp' } },
    ],
    ['sip:[::1]:5070', { scheme: 'sip', host: '::1', port: 5070, params: {} }],
    ['8001@127.0.0.1:5070', { scheme: 'sip', user: '8001', host: '127.0.0.1', port: 5070, params: {} }],
  ])('reads %s', (text, want) => {
    expect(parseSipUri(text)).toEqual(want);
  });

  it('refuses H.323, http and rubbish', () => {
    expect(parseSipUri('h323:mcu')).toBeUndefined();
    expect(parseSipUri('https://x')).toBeUndefined();
    expect(parseSipUri('sip:bad host')).toBeUndefined();
  });

  it('formats a server URI without the user part', () => {
    expect(formatSipUri(parseSipUri('sip:8001@mcu:5070')!, { withUser: false })).toBe('sip:mcu:5070');
  });
});
