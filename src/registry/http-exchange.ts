/**
 * One HTTP exchange of the registry client over Node's own `node:http` (and
 * an `https.Agent` for an https:// registry): loading it costs a command
 * almost nothing, where undici cost about 380 M instructions before the
 * first request (docs/architecture.md, "Start-up cost"). Its failures carry
 * the codes undici gave them, which the user's messages name
 * (src/registry/error-text.ts, netErrorText): a connect, headers or body
 * timeout is UND_ERR_CONNECT_TIMEOUT, UND_ERR_HEADERS_TIMEOUT or
 * UND_ERR_BODY_TIMEOUT, a connection the registry closes before its whole
 * answer is UND_ERR_SOCKET; the system's own errors (ECONNREFUSED,
 * ENOTFOUND, a reset, a certificate's code) pass as they are, and a
 * cancelled request fails with the signal's reason.
 */
import http from 'node:http';
import type { Socket } from 'node:net';

/** How long an idle kept-alive connection is kept for the next request. */
const IDLE_MS = 4000;

interface Answer {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  /** The body's chunks; the body timeout runs between them. */
  body: AsyncIterable<Buffer> & { destroy(): unknown };
}

interface ExchangeOptions {
  method: string;
  headers: Record<string, string>;
  payload: string | undefined;
  agent: http.Agent;
  signal: AbortSignal;
  /** Connect (TCP and TLS), first byte after it, and each gap in the body. */
  timeoutMs: number;
}

/** An error with undici's code and message for the same failure. */
class NetError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The agent for one client: connections kept alive between its requests;
 * `ca` (PEM) is trusted besides the system's roots, certificates always verified.
 */
export async function agentFor(https: boolean, ca: string | undefined): Promise<http.Agent> {
  const keep = { keepAlive: true, timeout: IDLE_MS };
  if (!https) return new http.Agent(keep);
  const [{ Agent }, { rootCertificates }] = await Promise.all([import('node:https'), import('node:tls')]);
  return new Agent({ ...keep, ...(ca ? { ca: [...rootCertificates, ca] } : {}) });
}

/** Node's words for a connection closed before the answer was whole, in undici's. */
function asUndici(err: unknown): unknown {
  const e = err as { code?: unknown; message?: unknown };
  if (e?.code === 'ECONNRESET' && (e.message === 'socket hang up' || e.message === 'aborted'))
    return new NetError('UND_ERR_SOCKET', 'other side closed');
  return err;
}

/** Sends the request; resolves once the answer's head is in (read the body, or destroy it). */
export function exchange(url: URL, o: ExchangeOptions): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    if (o.signal.aborted) return reject(o.signal.reason);
    const headers = { ...o.headers };
    if (o.payload !== undefined) headers['content-length'] = String(Buffer.byteLength(o.payload));
    else if (o.method === 'POST' || o.method === 'PUT' || o.method === 'PATCH')
      headers['content-length'] = '0';
    const req = http.request(url, { method: o.method, headers, agent: o.agent });
    let res: http.IncomingMessage | undefined;
    let timer: NodeJS.Timeout | undefined;
    const fail = (err: unknown) => {
      clearTimeout(timer);
      if (res) res.destroy(err as Error);
      else req.destroy(err as Error);
    };
    const arm = (code: string, message: string) => {
      clearTimeout(timer);
      timer = setTimeout(() => fail(new NetError(code, message)), o.timeoutMs);
    };
    const waitHead = () => arm('UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error');
    const onAbort = () => fail(o.signal.reason);
    const done = () => {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    req.once('socket', (socket: Socket) => {
      if (!socket.connecting) return waitHead();
      const port = url.port || (url.protocol === 'https:' ? '443' : '80');
      arm(
        'UND_ERR_CONNECT_TIMEOUT',
        `Connect Timeout Error (attempted address: ${url.hostname}:${port}, timeout: ${o.timeoutMs}ms)`,
      );
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', waitHead);
    });
    req.on('error', (err) => {
      done();
      reject(asUndici(err));
    });
    req.once('response', (r) => {
      res = r;
      const gap = () => arm('UND_ERR_BODY_TIMEOUT', 'Body Timeout Error');
      gap();
      async function* chunks(): AsyncGenerator<Buffer> {
        try {
          for await (const chunk of r) {
            gap();
            yield chunk as Buffer;
          }
        } catch (err) {
          throw asUndici(err);
        } finally {
          done();
        }
      }
      resolve({
        statusCode: r.statusCode ?? 0,
        headers: r.headers,
        body: {
          [Symbol.asyncIterator]: chunks,
          destroy: () => {
            done();
            r.destroy();
          },
        },
      });
    });
    req.end(o.payload);
  });
}
