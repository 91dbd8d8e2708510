/**
 * The NUT client and the ups check against fake servers written here
 * (node:net): quoting and escapes, ERR replies, and servers that send
 * garbage, close in the middle of a reply or never answer. Each must end as
 * a clear check error before the check's own timeout.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NutClient, NutError, quoteNut, splitNutLine } from '../../src/checks/nut-client.js';
import { ups, upsVerdict } from '../../src/checks/ups.js';
import { kindContext } from '../helpers/kind-context.js';
import { freePort } from '../helpers/nut-server.js';

type Handler = (line: string, sock: net.Socket) => void;

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();

async function fakeNut(onLine: Handler, onConnect?: (sock: net.Socket) => void): Promise<number> {
  const srv = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    onConnect?.(sock);
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!sock.destroyed) onLine(line, sock);
      }
    });
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return (srv.address() as net.AddressInfo).port;
}

afterEach(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const run = (port: number, timeoutMs = 1500, params: Record<string, unknown> = {}) =>
  ups.run({ host: '127.0.0.1', port, name: 'ups', ...params } as never, kindContext({ timeoutMs }));

describe('NUT line syntax', () => {
  it('splits words, quoted values and backslash escapes', () => {
    expect(splitNutLine('VAR su700 ups.mfr "American Power Conversion"')).toEqual([
      'VAR',
      'su700',
      'ups.mfr',
      'American Power Conversion',
    ]);
    expect(splitNutLine('VAR u d "say \\"hi\\" \\\\ bye"')).toEqual(['VAR', 'u', 'd', 'say "hi" \\ bye']);
    expect(splitNutLine('VAR u empty ""')).toEqual(['VAR', 'u', 'empty', '']);
    expect(splitNutLine('VAR u x "open')).toBeUndefined();
    expect(splitNutLine('VAR u x trailing\\')).toBeUndefined();
  });
  it('quotes what it sends so that upsd reads it back unchanged', () => {
    const value = 'pa ss"wo\\rd';
    expect(quoteNut(value)).toBe('"pa ss\\"wo\\\\rd"');
    expect(splitNutLine(`PASSWORD ${quoteNut(value)}`)).toEqual(['PASSWORD', value]);
  });
});

describe('upsVerdict', () => {
  it('maps the status words', () => {
    expect(upsVerdict(['OL'], 3600, 2700).status).toBe('pass');
    expect(upsVerdict(['OL', 'CHRG'], undefined, 2700).status).toBe('pass');
    expect(upsVerdict(['OB', 'DISCHRG'], 3600, 2700).status).toBe('warn');
    expect(upsVerdict(['OB', 'LB'], 3600, 2700).reason).toBe('ups.reason.lb');
    expect(upsVerdict(['OL', 'RB'], 3600, 2700).reason).toBe('ups.reason.rb');
    expect(upsVerdict(['FSD', 'OL'], 3600, 2700).reason).toBe('ups.reason.fsd');
    expect(upsVerdict(['OFF'], 3600, 2700).status).toBe('fail');
    expect(upsVerdict(['OL', 'OVER'], 3600, 2700).status).toBe('warn');
    expect(upsVerdict(['OL', 'BYPASS'], 3600, 2700).status).toBe('warn');
    expect(upsVerdict(['OL'], 2699, 2700).reason).toBe('ups.reason.runtime');
    expect(upsVerdict(['WAIT'], undefined, 2700).reason).toBe('ups.reason.unknown');
  });
});

describe('NutClient against a well-behaved fake', () => {
  it('reads LIST UPS and LIST VAR with escaped values, then logs out', async () => {
    const seen: string[] = [];
    const port = await fakeNut((line, sock) => {
      seen.push(line);
      if (line === 'LIST UPS')
        sock.write('BEGIN LIST UPS\nUPS ups "Salon \\"A\\""\nUPS spare "Spare"\nEND LIST UPS\n');
      else if (line === 'LIST VAR ups')
        sock.write(
          'BEGIN LIST VAR ups\r\nVAR ups ups.status "OL CHRG"\r\nVAR ups ups.mfr "Back\\\\slash"\r\nEND LIST VAR ups\r\n',
        );
      else if (line === 'GET VAR ups battery.charge') sock.write('VAR ups battery.charge "55"\n');
      else if (line === 'LOGOUT') sock.end('OK Goodbye\n');
      else sock.write('ERR UNKNOWN-COMMAND\n');
    });
    const c = await NutClient.connect({ host: '127.0.0.1', port, timeoutMs: 2000 });
    expect(await c.listUps()).toEqual([
      { name: 'ups', description: 'Salon "A"' },
      { name: 'spare', description: 'Spare' },
    ]);
    expect(await c.listVars('ups')).toEqual({ 'ups.status': 'OL CHRG', 'ups.mfr': 'Back\\slash' });
    expect(await c.getVar('ups', 'battery.charge')).toBe('55');
    // An ERR leaves the session usable.
    await expect(c.getVar('ups', 'nope')).rejects.toMatchObject({
      code: 'UNKNOWN-COMMAND',
      fromServer: true,
    });
    await c.logout();
    expect(seen).toEqual([
      'LIST UPS',
      'LIST VAR ups',
      'GET VAR ups battery.charge',
      'GET VAR ups nope',
      'LOGOUT',
    ]);
  });

  it('refuses names that would inject a second command', async () => {
    const port = await fakeNut(() => {});
    const c = await NutClient.connect({ host: '127.0.0.1', port, timeoutMs: 2000 });
    await expect(c.listVars('ups\nSET VAR ups x 1')).rejects.toBeInstanceOf(NutError);
    c.close();
  });

  it('without a name picks the only UPS, and names them all when there are several', async () => {
    const port = await fakeNut((line, sock) => {
      if (line === 'LIST UPS') sock.write('BEGIN LIST UPS\nUPS a "A"\nUPS b "B"\nEND LIST UPS\n');
      if (line === 'LOGOUT') sock.end('OK Goodbye\n');
    });
    const r = await ups.run({ host: '127.0.0.1', port } as never, kindContext({ timeoutMs: 2000 }));
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('NUT_WHICH_UPS');
    expect(r.error?.message).toContain('(a, b)');
  });
});

describe('ups check against misbehaving servers', () => {
  it('ERR DATA-STALE and ERR DRIVER-NOT-CONNECTED are errors with a hint', async () => {
    const port = await fakeNut((line, sock) =>
      sock.write(line === 'LIST VAR ups' ? 'ERR DATA-STALE\n' : 'OK\n'),
    );
    const r = await run(port);
    expect(r).toMatchObject({ status: 'error', error: { code: 'NUT_DATA_STALE' } });
    expect(r.error?.hint).toContain('upsdrvctl');

    const port2 = await fakeNut((line, sock) =>
      sock.write(line === 'LIST VAR ups' ? 'ERR DRIVER-NOT-CONNECTED\n' : 'OK\n'),
    );
    expect((await run(port2)).error?.code).toBe('NUT_DRIVER_NOT_CONNECTED');
  });

  it('an HTTP server (garbage) is a protocol error', async () => {
    const port = await fakeNut((_line, sock) =>
      sock.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'),
    );
    const r = await run(port);
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('NUT_PROTOCOL');
    expect(r.error?.message).toBe(
      `the server at 127.0.0.1:${port} does not speak the NUT protocol (it answered: HTTP/1.1 400 Bad Request)`,
    );
  });

  it('binary noise with no line end is a protocol error, not a growing buffer', async () => {
    const port = await fakeNut((_line, sock) => sock.write(Buffer.alloc(20_000, 0xfe)));
    const r = await run(port);
    expect(r.error?.code).toBe('NUT_PROTOCOL');
  });

  it('a reply line that is not VAR is a protocol error', async () => {
    const port = await fakeNut((_l, sock) =>
      sock.write('BEGIN LIST VAR ups\nVAR ups ups.status "OL"\nHELLO THERE\n'),
    );
    const r = await run(port);
    expect(r.error?.code).toBe('NUT_PROTOCOL');
    expect(r.error?.message).toContain('HELLO THERE');
  });

  it('a server that closes in the middle of a reply', async () => {
    const port = await fakeNut((_l, sock) => {
      sock.write('BEGIN LIST VAR ups\nVAR ups ups.status "OL"\nVAR ups battery.ch');
      setTimeout(() => sock.destroy(), 20);
    });
    const r = await run(port);
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('NUT_CLOSED');
    expect(r.error?.message).toBe(
      `the NUT server at 127.0.0.1:${port} closed the connection in the middle of a reply`,
    );
  });

  it('a server that accepts and never answers: our own timeout, before the check timeout', async () => {
    const port = await fakeNut(() => {});
    const r = await run(port, 1200);
    expect(r.status).toBe('error');
    // NUT_TIMEOUT is ours (budget = timeout − 250 ms); the engine's abort would say ABORTED.
    expect(r.error?.code).toBe('NUT_TIMEOUT');
    expect(r.error?.message).toBe(`the NUT server at 127.0.0.1:${port} did not answer in time`);
  });

  it('nothing listening: a connection error with what to check', async () => {
    const port = await freePort();
    const r = await run(port);
    expect(r.error?.code).toBe('NUT_CONNECT');
    expect(r.error?.message).toContain('ECONNREFUSED');
    expect(r.error?.hint).toContain('upsd');
  });

  it('Ctrl-C (the signal) stops a silent exchange at once', async () => {
    const port = await fakeNut(() => {});
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const r = await ups.run(
      { host: '127.0.0.1', port, name: 'ups' } as never,
      kindContext({ timeoutMs: 10_000, signal: ac.signal }),
    );
    expect(r.error?.code).toBe('NUT_ABORTED');
  });

  it('speaks Vietnamese when the run does', async () => {
    const port = await fakeNut((_l, sock) => sock.write('ERR DATA-STALE\n'));
    const r = await ups.run({ host: '127.0.0.1', port, name: 'ups' } as never, kindContext({ locale: 'vi' }));
    expect(r.error?.message).toBe('dữ liệu của UPS "ups" đã cũ: driver NUT mất liên lạc với UPS');
  });
});
