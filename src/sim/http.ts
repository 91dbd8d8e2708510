/** Small HTTP server helpers shared by the simulated codecs (node:http / node:https, no framework). */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface TlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
}

export type Handler = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: string,
) => Promise<void> | void;

export interface Listening {
  url: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

const MAX_BODY = 1_000_000;

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(
  res: http.ServerResponse,
  status: number,
  body = '',
  headers: Record<string, string | string[]> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export function cookies(req: http.IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export function basicOk(req: http.IncomingMessage, user: string, password: string): boolean {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return false;
  return same(Buffer.from(m[1], 'base64').toString('utf8'), `${user}:${password}`);
}

export function credentialsOk(
  user: string,
  password: string,
  wantUser: string,
  wantPassword: string,
): boolean {
  return same(user, wantUser) && same(password, wantPassword);
}

export const token = (bytes = 16) => randomBytes(bytes).toString('hex');

export const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Start an HTTP(S) server on host:port (0 = any free port) with one handler; errors become 500. */
export async function serve(
  opts: { host: string; port: number; tls?: TlsOptions },
  handler: Handler,
): Promise<Listening> {
  const listener: http.RequestListener = (req, res) => {
    readBody(req)
      .then((body) => handler(req, res, body))
      .catch((err: unknown) => send(res, 500, String(err instanceof Error ? err.message : err)));
  };
  const server: http.Server | https.Server = opts.tls
    ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `${opts.tls ? 'https' : 'http'}://${hostInUrl}:${port}`,
    port,
    host: opts.host,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
