/**
 * The registry as one Fastify plugin (routes, schemas, auth, errors,
 * OpenAPI), and buildApp() that wraps it in an app. The runner
 * (src/commands/registry/serve.ts) listens, handles signals and closes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { builtInChannels, type ChannelLookup } from '../alerts/lookup.js';
import type { BridgeConfig } from '../model/bridge.js';
import { withoutAnnotations } from '../model/schema-tools.js';
import { type Principal, TokenCache } from './auth.js';
import { ApiError, type ErrorParams } from './http-error.js';
import { textBodyParser } from './json-body.js';
import { alertRoutes } from './routes/alerts.js';
import { callStateRoutes } from './routes/call-states.js';
import { dailyRoutes } from './routes/daily.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { meetingRoutes } from './routes/meetings.js';
import { readinessRoutes } from './routes/readiness.js';
import { runRoutes } from './routes/runs.js';
import { type BatchWorkerOption, runBatchRoutes } from './routes/runs-batch.js';
import { siteRegisterRoutes } from './routes/site-register.js';
import { siteRoutes } from './routes/sites.js';
import { speedtestRoutes } from './speedtest.js';
import { type Store, StoreBusyError } from './store/types.js';
import { typeboxValidator } from './validation.js';

export interface RegistryOptions {
  store: Store;
  version: string;
  /** A site whose last run finished longer ago than this is stale (default 26 h: a nightly sweep plus slack). */
  staleMs?: number;
  /** Epoch ms; tests pass a fixed clock. */
  now?: () => number;
  /** How long a token lookup is cached (ms). */
  tokenCacheMs?: number;
  /** The province's bridges a meeting may name by id (registry serve --bridges; docs/meetings.md). */
  bridges?: BridgeConfig[];
  /** Where alert rules come from and how channel kinds are found (docs/alerts.md). */
  alerts?: Partial<AlertDeps>;
  /** Where large POST /v1/runs:batch bodies are read (default: the batch worker when built; docs/architecture.md). */
  batchWorker?: BatchWorkerOption;
}

export interface AlertDeps {
  /** 'file': `registry serve --alerts FILE`, read-only through the API. */
  source: 'database' | 'file';
  lookup: ChannelLookup;
  /** How long `alert rule|channel test` waits for the worker's outcome (ms). */
  testWaitMs: number;
}

export interface AppOptions extends RegistryOptions {
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Log level for the server's own log (default warn); 'silent' for none. */
  logLevel?: string;
  /** Where log lines go (default: nowhere unless a level is set; serve passes stderr). */
  logStream?: { write(line: string): unknown };
  /** Trust X-Forwarded-* from a load balancer in front. */
  trustProxy?: boolean;
  /** A whole request, body included, must arrive within this (default 30 s; docs/operations.md). */
  requestTimeoutMs?: number;
  /** Serve HTTPS with this certificate chain and key (PEM); plain HTTP without (docs/operations.md, TLS). */
  tls?: { cert: string | Buffer; key: string | Buffer };
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Request headers must arrive within this; an idle connection is closed after CONNECTION_TIMEOUT_MS. */
export const HEADERS_TIMEOUT_MS = 10_000;
export const CONNECTION_TIMEOUT_MS = 60_000;

export const DEFAULT_STALE_MS = 26 * 3_600_000;
/** Retry-After (seconds) of a 503 busy answer. */
const BUSY_RETRY_AFTER_S = 2;
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface RegistryDeps {
  store: Store;
  staleMs: number;
  now: () => number;
  version: string;
  bridges: BridgeConfig[];
  alerts: AlertDeps;
}

declare module 'fastify' {
  interface FastifyInstance {
    registry: RegistryDeps;
    /** preHandler: resolves the bearer token into request.principal (401 when missing or unknown). */
    authenticate: (req: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

const errorBody = (
  code: string,
  message: string,
  field?: string,
  params?: ErrorParams,
  extra?: Record<string, unknown>,
) => ({
  error: { code, message, ...(field ? { field } : {}), ...(params ? { params } : {}), ...extra },
});

function installErrors(app: FastifyInstance): void {
  app.setErrorHandler(
    (err: Error & { statusCode?: number; code?: string; validation?: unknown }, req, reply) => {
      if (err instanceof ApiError)
        return reply
          .code(err.statusCode)
          .send(errorBody(err.code, err.message, err.field, err.params, err.extra));
      if (err instanceof StoreBusyError) {
        // The store already retried briefly; the client (and its outbox) tries again later.
        req.log.warn({ err }, 'database busy');
        return reply
          .code(503)
          .header('retry-after', String(BUSY_RETRY_AFTER_S))
          .send(errorBody('busy', 'the registry database is busy; try again in a moment'));
      }
      const status = err.statusCode ?? 500;
      switch (err.code) {
        case 'FST_ERR_CTP_BODY_TOO_LARGE':
          return reply
            .code(413)
            .send(
              errorBody(
                'body_too_large',
                'body: the request body is larger than this registry accepts',
                'body',
              ),
            );
        case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
          return reply
            .code(415)
            .send(
              errorBody('unsupported_media_type', 'body: send JSON (Content-Type: application/json)', 'body'),
            );
        case 'FST_ERR_CTP_EMPTY_JSON_BODY':
          return reply.code(400).send(errorBody('bad_request', 'body: a JSON body is required', 'body'));
        case 'FST_ERR_CTP_INVALID_JSON_BODY':
          return reply.code(400).send(errorBody('bad_request', 'body: not valid JSON', 'body'));
      }
      if (status >= 400 && status < 500) {
        // Fastify's own client errors (bad JSON, bad content length...): say what, keep the code generic.
        const message = err instanceof SyntaxError ? 'body: not valid JSON' : err.message;
        return reply.code(status).send(errorBody(status === 400 ? 'bad_request' : 'client_error', message));
      }
      // Details of a server failure stay in the log, not in the answer.
      req.log.error({ err }, 'request failed');
      return reply
        .code(status >= 500 && status < 600 ? status : 500)
        .send(errorBody('internal', 'internal error; see the registry log'));
    },
  );
  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });
}

/** The registry: everything under /v1 plus /docs/json. */
const registry: FastifyPluginAsyncTypebox<RegistryOptions> = async (app, opts) => {
  const deps: RegistryDeps = {
    store: opts.store,
    staleMs: opts.staleMs ?? DEFAULT_STALE_MS,
    now: opts.now ?? Date.now,
    version: opts.version,
    bridges: opts.bridges ?? [],
    alerts: { source: 'database', lookup: builtInChannels, testWaitMs: 10_000, ...opts.alerts },
  };
  app.decorate('registry', deps);
  if (deps.alerts.source === 'database') opts.store.alerts.config = await opts.store.alerts.loadConfig();
  opts.store.onBadRow = (what, id, err) =>
    app.log.warn({ what, id, err }, 'a stored row could not be read and was left out of the answer');
  // Set by `authenticate` on every route that needs a token.
  app.decorateRequest('principal', null, []);
  const tokens = new TokenCache(opts.store, opts.tokenCacheMs, undefined, (err) =>
    app.log.warn({ err }, 'token last-used times could not be written; kept for the next try'),
  );
  app.decorate('authenticate', async (req: FastifyRequest) => {
    req.principal = await tokens.principal(req.headers.authorization, deps.now());
  });

  app.setValidatorCompiler(typeboxValidator);
  installErrors(app);

  // Keep the raw body: the idempotency fingerprint is taken over the exact bytes.
  const parseText = textBodyParser(app.getDefaultJsonParser('error', 'error'));
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    parseText(req, body.toString(), done),
  );

  const { default: swagger } = await import('@fastify/swagger');
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'diemcau registry',
        description:
          'Check runs, incidents, site register and readiness reports of video-conference endpoints (điểm cầu).',
        version: opts.version,
        license: { name: 'MIT', url: 'https://spdx.org/licenses/MIT.html' },
      },
      // Relative: the document is served by the registry it describes.
      servers: [{ url: '/' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    // The schemas' `x-` notes are for the profile's error messages (src/model/atoms.ts), not for clients.
    transformObject: (doc) =>
      'openapiObject' in doc ? withoutAnnotations(doc.openapiObject) : withoutAnnotations(doc.swaggerObject),
  });
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes);
  await app.register(runRoutes);
  await app.register(runBatchRoutes, { worker: opts.batchWorker });
  await app.register(incidentRoutes);
  await app.register(siteRoutes);
  await app.register(siteRegisterRoutes);
  await app.register(readinessRoutes);
  await app.register(dailyRoutes);
  await app.register(callStateRoutes);
  await app.register(meetingRoutes);
  await app.register(alertRoutes);
  // Bytes for the `throughput` check (GET/POST /v1/speedtest), behind the same tokens.
  await app.register(speedtestRoutes);

  // Graceful close: requests in flight finish and are answered with `Connection: close`, so
  // keep-alive clients let go and the server can stop; then the store closes.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    // A stranger (401) or an oversize body (413, its rest unread) gets no kept-alive connection.
    if (closing || reply.statusCode === 401 || reply.statusCode === 413) reply.header('connection', 'close');
    return payload;
  });
  app.addHook('onClose', async () => {
    await tokens.flush();
    await opts.store.close();
  });
};
// One plugin, not encapsulated: its error handler, validator and decorators are the app's.
export const registryPlugin = fp(registry, { name: 'diemcau-registry', fastify: '5.x' });

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const level = opts.logLevel ?? 'warn';
  // With `https` the server is an https.Server; routes, hooks and timeouts are the same.
  const app = Fastify({
    ...(opts.tls ? { https: { cert: opts.tls.cert, key: opts.tls.key } } : {}),
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: opts.trustProxy ?? false,
    // Requests are logged at info level; the default level (warn) logs only what needs attention.
    logger: opts.logStream && level !== 'silent' ? { level, stream: opts.logStream } : false,
    // Ids in URLs are small; refuse absurd ones early.
    routerOptions: { maxParamLength: 200 },
    // The router's own refusals in the documented error shape, without echoing the URL back.
    frameworkErrors: (err, _req, reply: FastifyReply) => {
      if (err.code === 'FST_ERR_MAX_PARAM_LENGTH')
        return reply
          .code(414)
          .send(errorBody('uri_too_long', 'url: longer than this registry accepts', 'url'));
      if (err.code === 'FST_ERR_BAD_URL')
        return reply
          .code(400)
          .send(errorBody('bad_request', 'url: not a valid URL (bad percent-encoding)', 'url'));
      return reply.code(400).send(errorBody('bad_request', 'the request could not be read'));
    },
    return503OnClosing: true,
    // A slow client must not hold a connection (and a slot) for ever: bounded body, headers, idleness.
    requestTimeout: opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
  });
  app.server.headersTimeout = Math.min(
    HEADERS_TIMEOUT_MS,
    opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
  );
  const { store, version, staleMs, now, tokenCacheMs, bridges, alerts } = opts;
  await app.register(registryPlugin, {
    store,
    version,
    staleMs,
    now,
    tokenCacheMs,
    bridges,
    ...(alerts ? { alerts } : {}),
    ...(opts.batchWorker === undefined ? {} : { batchWorker: opts.batchWorker }),
  });
  return app;
}
