/**
 * The registry's speed test for the `throughput` check, as a Fastify plugin:
 *
 *   GET  /v1/speedtest?bytes=N   streams N bytes (random, so no link compresses them)
 *   POST /v1/speedtest           reads and discards the body, answers {bytes, ms}
 *
 * Register it with `app.register(speedtestRoutes)` (its own encapsulation
 * context: it replaces the body parsers with a raw stream for its routes
 * only). When the app has an `authenticate` decorator (the registry), the
 * routes need a token like every other registry route, so the bandwidth
 * cannot be drained by anyone; `public: true` turns that off.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';

/** Largest download or upload of one request. */
export const SPEEDTEST_MAX_BYTES = 1024 * 1024 * 1024;
/** Download size when the request does not say. */
export const SPEEDTEST_DEFAULT_BYTES = 10 * 1024 * 1024;

const BLOCK = 64 * 1024;
/** After refusing an oversize upload, how long its remaining bytes are read and dropped. */
const DRAIN_MS = 2000;

export interface SpeedtestOptions {
  /** Cap of one download or upload, bytes (default 1 GiB). */
  maxBytes?: number;
  /** Serve without a token even when the app authenticates. */
  public?: boolean;
}

const Query = Type.Object(
  {
    bytes: Type.Optional(
      Type.Integer({ minimum: 0, maximum: SPEEDTEST_MAX_BYTES, description: 'How many bytes to send.' }),
    ),
  },
  { additionalProperties: false },
);

const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) }),
});

const UploadResult = Type.Object({
  bytes: Type.Integer({ description: 'Bytes of body received.' }),
  ms: Type.Number({ description: 'From the request headers to the last byte received, milliseconds.' }),
});

function* chunks(block: Buffer, total: number): Generator<Buffer> {
  let left = total;
  while (left > 0) {
    const n = Math.min(left, block.length);
    yield n === block.length ? block : block.subarray(0, n);
    left -= n;
  }
}

export const speedtestRoutes: FastifyPluginAsyncTypebox<SpeedtestOptions> = async (app, opts) => {
  const maxBytes = Math.min(opts.maxBytes ?? SPEEDTEST_MAX_BYTES, SPEEDTEST_MAX_BYTES);
  const block = randomBytes(BLOCK);
  const guarded = opts.public !== true && app.hasDecorator('authenticate');
  const guard = guarded ? { preHandler: async (req: FastifyRequest) => app.authenticate(req) } : {};
  // The OpenAPI document says so: the registry's bearer token and the 401 without it, or no security at all.
  const security = guarded ? [{ bearer: [] as string[] }] : [];
  const unauthorized = guarded ? { 401: ErrorBody } : {};

  // Uploads are counted as they stream in: no parser, no body limit, nothing buffered.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  app.get(
    '/v1/speedtest',
    {
      schema: {
        operationId: 'speedtestDownload',
        summary: 'Download test: N bytes of random data',
        tags: ['speedtest'],
        querystring: Query,
        security,
        response: {
          200: {
            description: 'N random bytes',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          400: ErrorBody,
          ...unauthorized,
        },
      },
      ...guard,
    },
    async (req, reply) => {
      const n = req.query.bytes ?? SPEEDTEST_DEFAULT_BYTES;
      if (n > maxBytes) {
        return reply
          .code(400)
          .send({ error: { code: 'bad_request', message: `bytes: at most ${maxBytes}`, field: 'bytes' } });
      }
      reply.header('content-type', 'application/octet-stream');
      reply.header('content-length', String(n));
      reply.header('cache-control', 'no-store');
      return reply.send(Readable.from(chunks(block, n), { objectMode: false }));
    },
  );

  app.post(
    '/v1/speedtest',
    {
      schema: {
        operationId: 'speedtestUpload',
        summary: 'Upload test: the body is read and discarded',
        tags: ['speedtest'],
        security,
        consumes: ['application/octet-stream'],
        response: { 200: UploadResult, ...unauthorized, 413: ErrorBody },
      },
      ...guard,
    },
    async (req, reply) => {
      const body = req.body;
      // From when the request's headers are in to the last byte: the body's own transfer time.
      const start = performance.now();
      let bytes = 0;
      let last = start;
      if (body instanceof Readable) {
        for await (const chunk of body) {
          last = performance.now();
          bytes += chunk.length;
          if (bytes > maxBytes) {
            // Answer, let the client read the answer while the rest is discarded, then hang up.
            reply.header('connection', 'close');
            body.resume();
            setTimeout(() => req.raw.socket?.destroy(), DRAIN_MS).unref();
            return reply.code(413).send({
              error: { code: 'body_too_large', message: `body: at most ${maxBytes} bytes`, field: 'body' },
            });
          }
        }
      }
      const ms = bytes === 0 ? 0 : Math.max(0.001, last - start);
      return { bytes, ms: Math.round(ms * 1000) / 1000 };
    },
  );
};

/** The same plugin under the name the brief used. */
