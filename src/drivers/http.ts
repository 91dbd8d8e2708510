/**
 * The drivers' HTTP client: undici (imported lazily, on the first request),
 * one connection pool per driver, a per-request timeout joined with the
 * caller's signal, and transport failures turned into DriverError with a
 * hint. Self-signed certificates are accepted only with `insecure_tls: true`.
 *
 * Nothing here logs or returns request headers: the Authorization header
 * carries the codec password.
 */
import type { Dispatcher } from 'undici';
import { CancelledError, DriverError } from '../errors.js';
import type { Translator } from '../i18n/index.js';
import type { CodecAccess } from '../model/codec.js';
import { toMs } from '../profile/duration.js';
import { readAtMost } from '../util/read-body.js';
import { configError } from './errors.js';
import { type DriverName, driverRow } from './table.js';
import { DRIVER_ERRORS, type DriverContext } from './types.js';

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** For cleanup (session end): ignore the caller's signal, use only the timeout. */
  detached?: boolean;
  /** This request's caller (one check of a shared session); default: the client's signal. */
  signal?: AbortSignal;
}

interface HttpClientOptions {
  baseUrl: string;
  insecureTls: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
  t: Translator;
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpReply>;
  close(): Promise<void>;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** The most telling error code of an undici failure (the cause chain holds the socket or TLS error). */
function codeOf(err: unknown): string | undefined {
  const codes: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 5 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes.find((c) => TLS_CODES.has(c) || UNREACHABLE_CODES.has(c)) ?? codes[0];
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

const agents = new Map<boolean, Dispatcher>();

/**
 * One keep-alive pool per TLS mode for the whole process, shared by every
 * driver: the checks of one site (and a sweep's many sites) reuse
 * connections instead of opening one per check. Sessions are per driver
 * (cookies), so sharing sockets shares nothing else.
 */
async function sharedAgent(
  insecureTls: boolean,
): Promise<{ undici: typeof import('undici'); agent: Dispatcher }> {
  const undici = await import('undici');
  let agent = agents.get(insecureTls);
  if (!agent) {
    agent = new undici.Agent({
      connect: { rejectUnauthorized: !insecureTls },
      keepAliveTimeout: 4_000,
      connections: 8,
    });
    agents.set(insecureTls, agent);
  }
  return { undici, agent };
}

/**
 * Largest codec reply read (docs/operations.md): real xAPI and Poly replies
 * are well under 1 MiB; past this the request is aborted, so a runaway or
 * hostile reply costs at most this much memory.
 */
export const MAX_REPLY_BYTES = 8 * 1024 * 1024;

function createHttpClient(opts: HttpClientOptions): HttpClient {
  const { t } = opts;
  const host = hostOf(opts.baseUrl);

  const fail = (err: unknown, timedOut: boolean, cancelled: boolean): never => {
    if (err instanceof DriverError) throw err;
    if (!timedOut && cancelled) throw new CancelledError(t('codec.err.cancelled'), { cause: err });
    const code = codeOf(err);
    if (
      timedOut ||
      code === 'UND_ERR_HEADERS_TIMEOUT' ||
      code === 'UND_ERR_BODY_TIMEOUT' ||
      code === 'UND_ERR_CONNECT_TIMEOUT'
    ) {
      throw new DriverError(
        DRIVER_ERRORS.timeout,
        t('codec.err.timeout', { host, s: (opts.timeoutMs / 1000).toFixed(1) }),
        {
          hint: t('codec.hint.unreachable'),
          cause: err,
        },
      );
    }
    if (code && TLS_CODES.has(code)) {
      throw new DriverError(DRIVER_ERRORS.tls, t('codec.err.tls', { host, code }), {
        hint: t('codec.hint.tls'),
        cause: err,
      });
    }
    const reason = code ?? (err instanceof Error ? err.message : String(err));
    throw new DriverError(DRIVER_ERRORS.unreachable, t('codec.err.unreachable', { host, reason }), {
      hint: t('codec.hint.unreachable'),
      cause: err,
    });
  };

  return {
    async request(req) {
      const { undici, agent } = await sharedAgent(opts.insecureTls);
      // One controller per request, tied to the caller's signal by a listener removed afterwards
      // (not AbortSignal.any, which keeps dependants of a long-lived signal on Node 20: `call --watch`).
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(
        () => {
          timedOut = true;
          controller.abort(new Error('timeout'));
        },
        Math.max(1, Math.ceil(opts.timeoutMs)),
      );
      const parent = req.detached ? undefined : (req.signal ?? opts.signal);
      const onAbort = () => controller.abort(parent?.reason);
      parent?.addEventListener('abort', onAbort, { once: true });
      try {
        if (parent?.aborted) throw parent.reason ?? new Error('aborted');
        const res = await undici.request(new URL(req.path, opts.baseUrl), {
          method: req.method,
          headers: req.headers,
          body: req.body,
          dispatcher: agent,
          signal: controller.signal,
        });
        const body = await readAtMost(res.body, res.headers['content-length'], MAX_REPLY_BYTES);
        if (body === undefined) {
          throw new DriverError(
            DRIVER_ERRORS.badReply,
            t('codec.err.too_large', { host, what: req.path, limit: `${MAX_REPLY_BYTES / 1024 / 1024} MiB` }),
            { hint: t('codec.hint.bad_reply') },
          );
        }
        return { status: res.statusCode, headers: res.headers, text: body.toString('utf8') };
      } catch (err) {
        return fail(err, timedOut, parent?.aborted === true);
      } finally {
        clearTimeout(timer);
        parent?.removeEventListener('abort', onAbort);
      }
    },
    async close() {
      // The pool is shared (see sharedAgent); idle sockets close on their own after the keep-alive timeout.
    },
  };
}

/** Every `name=value` a reply sets, from its Set-Cookie headers. */
export function cookiesOf(headers: HttpReply['headers']): Record<string, string> {
  const raw = headers['set-cookie'];
  const lines = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const out: Record<string, string> = {};
  for (const line of lines) {
    const first = line.split(';')[0] ?? '';
    const eq = first.indexOf('=');
    if (eq > 0) out[first.slice(0, eq).trim()] = first.slice(eq + 1).trim();
  }
  return out;
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Where an HTTP driver finds the codec when the profile does not say (its row in src/drivers/table.ts). */
export interface HttpDefaults {
  scheme: 'http' | 'https';
  /** Only when the vendor's API is not on the scheme's own port. */
  port?: number;
}

/**
 * Base URL of a codec from the profile: scheme (else the driver's), host,
 * port (else the driver's when the scheme is the driver's, else the scheme's own).
 */
export function codecBaseUrl(
  codec: {
    host?: string;
    port?: number;
    scheme?: 'http' | 'https';
  },
  defaults: HttpDefaults = { scheme: 'https' },
): string | undefined {
  if (!codec.host) return undefined;
  const scheme = codec.scheme ?? defaults.scheme;
  const port = codec.port ?? (scheme === defaults.scheme ? defaults.port : undefined);
  const host = codec.host.includes(':') && !codec.host.startsWith('[') ? `[${codec.host}]` : codec.host;
  return `${scheme}://${host}${port ? `:${port}` : ''}/`;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * What every HTTP driver starts from: the profile's codec address and user
 * checked (a clear config error otherwise), and its HTTP client.
 */
export function openCodecHttp(
  codec: CodecAccess,
  ctx: DriverContext,
  driver: DriverName,
): { http: HttpClient; host: string; user: string } {
  const { t } = ctx;
  const baseUrl = codecBaseUrl(codec, driverRow(driver)?.http);
  if (!baseUrl) throw configError(t, driver, 'codec.host');
  if (!codec.username) throw configError(t, driver, 'codec.username');
  const http = createHttpClient({
    baseUrl,
    insecureTls: codec.insecure_tls === true,
    timeoutMs: toMs(codec.timeout, DEFAULT_TIMEOUT_MS),
    signal: ctx.signal,
    t,
  });
  return { http, host: hostOf(baseUrl), user: codec.username };
}
