/**
 * `registry serve --tls-cert/--tls-key` serves HTTPS; the client verifies the
 * certificate: a provincial CA works through DIEMCAU_CA (or --ca), without it
 * the command stops with one line and exit 2, and it never retries in plain
 * HTTP (a relay in front sees only TLS handshakes). The UDP reflector runs
 * beside HTTPS unchanged. The CA and the server certificate are made by
 * openssl here (docs/operations.md, TLS).
 */
import { execFileSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeProbe, PROBE_HEADER } from '../../src/checks/udp-probe.js';
import { createToken } from '../../src/registry/auth.js';
import { openSqlite } from '../../src/registry/store/sqlite.js';
import { Buffer as Out, run } from '../helpers/cli.js';
import { havePeer } from '../helpers/peers.js';
import { tempDir } from './live.js';

const HAVE = havePeer('openssl', 'apt-get install openssl');

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', timeout: 30_000 });
}

/** A CA, and a certificate for 127.0.0.1 signed by it. */
function makeCerts(dir: string): { ca: string; cert: string; key: string } {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Trung tam CNTT tinh (test CA)',
  ]);
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ]);
  fs.writeFileSync(path.join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  ]);
  return {
    ca: path.join(dir, 'ca.pem'),
    cert: path.join(dir, 'server.pem'),
    key: path.join(dir, 'server.key'),
  };
}

const freeUdpPort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

/** A TCP relay to the registry that records the first byte of every connection (0x16: a TLS handshake). */
async function sniffingRelay(target: number): Promise<{ port: number; first: number[]; close(): void }> {
  const first: number[] = [];
  const server = net.createServer((down) => {
    const up = net.connect(target, '127.0.0.1');
    down.once('data', (b: Buffer) => first.push(b[0] as number));
    down.pipe(up).pipe(down);
    const end = () => {
      down.destroy();
      up.destroy();
    };
    down.on('error', end);
    up.on('error', end);
    down.on('close', end);
    up.on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, first, close: () => server.close() };
}

describe.skipIf(!HAVE)('registry over HTTPS with a provincial CA', () => {
  let dir: string;
  let certs: { ca: string; cert: string; key: string };
  let token: string;
  let url: string;
  let udpPort: number;
  const stop = new AbortController();
  let served: Promise<{ code: number; stderr: string }>;
  const serveErr = new Out();

  beforeAll(async () => {
    dir = tempDir('tls');
    certs = makeCerts(dir);
    const db = path.join(dir, 'registry.db');
    const store = await openSqlite(db);
    ({ token } = await createToken(store, { role: 'admin', unit: '', label: 'tw', nowMs: Date.now() }));
    await store.close();
    udpPort = await freeUdpPort();
    served = run(
      [
        'registry',
        'serve',
        '--db',
        db,
        '--port',
        '0',
        '--tls-cert',
        certs.cert,
        '--tls-key',
        certs.key,
        '--reflector-port',
        String(udpPort),
      ],
      { signal: stop.signal, stderr: serveErr },
    );
    for (let i = 0; i < 200 && !/listening on (\S+)/.test(serveErr.text); i++)
      await new Promise((r) => setTimeout(r, 25));
    const m = /listening on (\S+)/.exec(serveErr.text);
    if (!m) throw new Error(`registry did not start: ${serveErr.text}`);
    url = m[1] as string;
  }, 60_000);

  afterAll(async () => {
    stop.abort();
    await served;
  });

  it('listens on https:// and the reflector still echoes probes', async () => {
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const sock = dgram.createSocket('udp4');
    const probe = Buffer.alloc(PROBE_HEADER + 20);
    encodeProbe(probe, 7, 1, Date.now());
    const echo = new Promise<Buffer>((resolve) => sock.once('message', resolve));
    sock.send(probe, udpPort, '127.0.0.1');
    expect((await echo).equals(probe)).toBe(true);
    sock.close();
  });

  it('a command works with DIEMCAU_CA, and with --ca', async () => {
    const env = { DIEMCAU_TOKEN: token, DIEMCAU_CA: certs.ca };
    const viaEnv = await run(['incident', 'list', '--registry', url], { env, cwd: dir });
    expect(viaEnv.stderr).toBe('');
    expect(viaEnv.code).toBe(0);
    const viaFlag = await run(['--ca', 'ca.pem', 'report', 'readiness', '--registry', url, '-f', 'json'], {
      env: { DIEMCAU_TOKEN: token },
      cwd: dir,
    });
    expect(viaFlag.stderr).toBe('');
    expect(viaFlag.code).toBe(0);
    expect(JSON.parse(viaFlag.stdout)).toMatchObject({
      schema: 'diemcau/report-readiness@1',
      readiness: { sites: [] },
    });
  });

  it('without the CA: one line, exit 2, no retry, and nothing in plain HTTP', async () => {
    const port = Number(new URL(url).port);
    const relay = await sniffingRelay(port);
    try {
      const r = await run(['incident', 'list', '--registry', `https://127.0.0.1:${relay.port}`], {
        env: { DIEMCAU_TOKEN: token },
        cwd: dir,
      });
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines[0]).toMatch(
        /^diemcau: error: the registry https:\/\/127\.0\.0\.1:\d+ showed a certificate this machine does not trust: \S+/,
      );
      expect(lines[1]).toContain('DIEMCAU_CA');
      expect(lines).toHaveLength(2);
      // One attempt (a certificate does not get better on retry), and it was TLS.
      expect(relay.first).toEqual([0x16]);
    } finally {
      relay.close();
    }
  });

  it('a CA file that is not a certificate is a file error (exit 3)', async () => {
    const r = await run(['incident', 'list', '--registry', url], {
      env: { DIEMCAU_TOKEN: token, DIEMCAU_CA: certs.key },
      cwd: dir,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('not a PEM certificate');
  });

  it('--tls-cert without --tls-key is refused before anything opens', async () => {
    const r = await run(['registry', 'serve', '--db', path.join(dir, 'other.db'), '--tls-cert', certs.cert]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('--tls-cert and --tls-key go together');
  });

  it('a key that does not match the certificate is refused with one line', async () => {
    const r = await run([
      'registry',
      'serve',
      '--db',
      path.join(dir, 'other.db'),
      '--port',
      '0',
      '--tls-cert',
      certs.cert,
      '--tls-key',
      path.join(dir, 'ca.key'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^diemcau: error: cannot serve HTTPS with /);
  });
});
