/** GET /v1/health: liveness and a store round trip; no token needed (load balancers, monitoring). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Health } from '../schemas.js';

const STORE_TIMEOUT_MS = 2000;

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/health',
    {
      schema: {
        operationId: 'health',
        summary: 'Liveness and store check',
        tags: ['health'],
        security: [],
        response: { 200: Health, 503: Health },
      },
    },
    async (_req, reply) => {
      const { store, version } = app.registry;
      let timer: NodeJS.Timeout | undefined;
      const ok = await Promise.race([
        store.ping().then(
          () => true,
          () => false,
        ),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), STORE_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      return reply
        .code(ok ? 200 : 503)
        .send({ status: ok ? 'ok' : 'fail', version, store: { engine: store.engine, ok } });
    },
  );
};
