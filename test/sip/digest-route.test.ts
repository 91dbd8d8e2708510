/**
 * Digest answers against the published examples (RFC 2617 §3.5 for MD5,
 * RFC 7616 §3.9.1 for SHA-256), the choice among several challenges
 * (RFC 8760), and the route set of a dialog (RFC 3261 §12.1.2, §12.2.1.1).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { digestAuthorization, parseChallenge, pickChallenge } from '../../src/sip/digest.js';
import { parseMessage } from '../../src/sip/message.js';
import { inDialogTarget, routeSetFrom, splitEntries } from '../../src/sip/route.js';

const MUFASA = { username: 'Mufasa', password: 'Circle of Life' };
const response = (header: string) => /response="([0-9a-f]+)"/.exec(header)?.[1];

describe('digest', () => {
  it('answers the RFC 2617 MD5 example with qop=auth', () => {
    const ch = parseChallenge(
      'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
    );
    expect(ch).toEqual({
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      algorithm: 'MD5',
      qop: 'auth',
      stale: false,
    });
    const value = digestAuthorization(
      ch!,
      { username: 'Mufasa', password: 'Circle Of Life' },
      { method: 'GET', uri: '/dir/index.html', cnonce: '0a4f113b' },
    );
    expect(response(value)).toBe('6629fae49393a05397450978507c4ef1');
    expect(value).toContain('qop=auth, nc=00000001, cnonce="0a4f113b"');
    expect(value).toContain('opaque="5ccc069c403ebaf9f0171e9517f40e41"');
  });

  it('answers the RFC 7616 examples with SHA-256 and MD5', () => {
    const params =
      'realm="http-auth@example.org", qop="auth, auth-int", nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    const answer = {
      method: 'GET',
      uri: '/dir/index.html',
      cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
    };
    const sha = pickChallenge([`Digest ${params}, algorithm=MD5`, `Digest ${params}, algorithm=SHA-256`]);
    expect(sha?.algorithm).toBe('SHA-256');
    const shaValue = digestAuthorization(sha!, MUFASA, answer);
    expect(response(shaValue)).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
    expect(shaValue).toContain('algorithm=SHA-256');
    const md5 = parseChallenge(`Digest ${params}, algorithm=MD5`);
    expect(response(digestAuthorization(md5!, MUFASA, answer))).toBe('8ca523f5e9506fed4657c9700eebdbec');
  });

  it('answers a challenge without qop in the RFC 2069 form', () => {
    const ch = parseChallenge('Digest realm="r", nonce="n"');
    const value = digestAuthorization(
      ch!,
      { username: 'u', password: 'p' },
      { method: 'INVITE', uri: 'sip:x' },
    );
    expect(value).not.toContain('qop=');
    const md5 = (s: string) => createHash('md5').update(s).digest('hex');
    expect(response(value)).toBe(md5(`${md5('u:r:p')}:n:${md5('INVITE:sip:x')}`));
  });

  it('refuses what it cannot answer: another scheme, an unknown algorithm, auth-int only, no nonce', () => {
    expect(parseChallenge('Basic realm="r"')).toBeUndefined();
    expect(parseChallenge('Digest realm="r", nonce="n", algorithm=SHA-512-256')).toBeUndefined();
    expect(parseChallenge('Digest realm="r", nonce="n", qop="auth-int"')).toBeUndefined();
    expect(parseChallenge('Digest realm="r"')).toBeUndefined();
    expect(parseChallenge('Digest realm="r", nonce="n", stale=TRUE')?.stale).toBe(true);
    expect(pickChallenge(['Basic realm="r"'])).toBeUndefined();
  });
});

describe('route set', () => {
  const ok = parseMessage(
    [
      'SIP/2.0 200 OK',
      'Record-Route: <sip:10.0.0.2;lr>, <sip:10.0.0.1;lr;ftag=a>',
      'Record-Route: <sip:127.0.0.1:5062;lr=on>',
      'Call-ID: x',
      '',
      '',
    ].join('\r\n'),
  )!;

  it('keeps the Record-Route entries in reverse order, each header and each comma entry', () => {
    expect(routeSetFrom(ok)).toEqual([
      '<sip:127.0.0.1:5062;lr=on>',
      '<sip:10.0.0.1;lr;ftag=a>',
      '<sip:10.0.0.2;lr>',
    ]);
    expect(splitEntries('"a, b" <sip:x>, <sip:y;p=1,2>')).toEqual(['"a, b" <sip:x>', '<sip:y;p=1,2>']);
  });

  it('loose routing: the Request-URI is the remote target, every entry a Route', () => {
    expect(inDialogTarget(routeSetFrom(ok), 'sip:far@127.0.0.1:5070')).toEqual({
      requestUri: 'sip:far@127.0.0.1:5070',
      routes: ['<sip:127.0.0.1:5062;lr=on>', '<sip:10.0.0.1;lr;ftag=a>', '<sip:10.0.0.2;lr>'],
    });
    expect(inDialogTarget([], 'sip:far@h')).toEqual({ requestUri: 'sip:far@h', routes: [] });
  });

  it('strict routing: the first entry is the Request-URI, the remote target the last Route', () => {
    expect(inDialogTarget(['<sip:p1.example>', '<sip:p2.example;lr>'], 'sip:far@h')).toEqual({
      requestUri: 'sip:p1.example',
      routes: ['<sip:p2.example;lr>', '<sip:far@h>'],
    });
  });
});
