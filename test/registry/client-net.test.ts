/**
 * The registry client's network failures keep the codes the user's messages
 * name (src/registry/error-text.ts, netErrorText): a body that stops, a
 * connection closed or reset before the answer, a TLS handshake that never
 * comes; and one kept-alive connection serves a client's requests in turn.
 */
import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/registry/client.js';

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** A raw TCP server: `onSocket` does what a broken registry or a middlebox would. */
async function tcp(onSocket: (s: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    onSocket(s);
  });
  closers.push(() => {
    for (const s of sockets) s.destroy();
    srv.close();
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return (srv.address() as net.AddressInfo).port;
}

/** Reads the request head, then calls `then` with the socket. */
const afterHead = (then: (s: net.Socket) => void) => (s: net.Socket) => {
  let head = '';
  const onData = (b: Buffer) => {
    head += b.toString('latin1');
    if (!head.includes('\r\n\r\n')) return;
    s.off('data', onData);
    then(s);
  };
  s.on('data', onData);
};

describe('the registry client on a broken network', () => {
  it('times out a body that stops coming (UND_ERR_BODY_TIMEOUT)', async () => {
    const port = await tcp(
      afterHead((s) =>
        s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":'),
      ),
    );
    const c = new RegistryClient({ url: `http://127.0.0.1:${port}`, retries: 0, timeoutMs: 300 });
    expect(await c.send('GET', '/v1/health')).toEqual({
      kind: 'unreachable',
      cancelled: false,
      code: 'UND_ERR_BODY_TIMEOUT',
      message: 'UND_ERR_BODY_TIMEOUT: Body Timeout Error',
    });
    await c.close();
  });

  it('names a connection closed before the answer UND_ERR_SOCKET, and retries it', async () => {
    let seen = 0;
    const port = await tcp(
      afterHead((s) => {
        seen += 1;
        s.end();
      }),
    );
    const c = new RegistryClient({ url: `http://127.0.0.1:${port}`, retries: 1, backoffMs: 1 });
    expect(await c.send('GET', '/v1/health')).toEqual({
      kind: 'unreachable',
      cancelled: false,
      code: 'UND_ERR_SOCKET',
      message: 'UND_ERR_SOCKET: other side closed',
    });
    expect(seen).toBe(2);
    await c.close();
  });

  it('names a connection closed in the middle of the body UND_ERR_SOCKET', async () => {
    const port = await tcp(
      afterHead((s) =>
        s.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":'),
      ),
    );
    const c = new RegistryClient({ url: `http://127.0.0.1:${port}`, retries: 0 });
    expect(await c.send('GET', '/v1/health')).toMatchObject({ kind: 'unreachable', code: 'UND_ERR_SOCKET' });
    await c.close();
  });

  it('passes a reset on as ECONNRESET', async () => {
    const port = await tcp(afterHead((s) => s.resetAndDestroy()));
    const c = new RegistryClient({ url: `http://127.0.0.1:${port}`, retries: 0 });
    expect(await c.send('GET', '/v1/health')).toMatchObject({
      kind: 'unreachable',
      cancelled: false,
      code: 'ECONNRESET',
    });
    await c.close();
  });

  it('counts the TLS handshake in the connect timeout (UND_ERR_CONNECT_TIMEOUT)', async () => {
    // Accepts the connection and never answers the ClientHello.
    const port = await tcp(() => {});
    const c = new RegistryClient({ url: `https://127.0.0.1:${port}`, retries: 0, timeoutMs: 300 });
    const r = await c.send('GET', '/v1/health');
    expect(r).toMatchObject({ kind: 'unreachable', cancelled: false, code: 'UND_ERR_CONNECT_TIMEOUT' });
    expect(r.kind === 'unreachable' && r.message).toMatch(/^UND_ERR_CONNECT_TIMEOUT: Connect Timeout Error/);
    await c.close();
  });

  it('sends its requests one after another on one kept-alive connection', async () => {
    const peers = new Set<string>();
    const srv = http.createServer((req, res) => {
      peers.add(`${req.socket.remotePort}`);
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    closers.push(() => {
      srv.closeAllConnections();
      srv.close();
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(srv.address() as net.AddressInfo).port}`;
    const c = new RegistryClient({ url, retries: 0 });
    for (let i = 0; i < 3; i++) expect(await c.send('GET', '/v1/health')).toMatchObject({ kind: 'ok' });
    expect(await c.send('POST', '/v1/runs', { body: { a: 1 } })).toMatchObject({ kind: 'ok' });
    expect(peers.size).toBe(1);
    await c.close();
  });
});
