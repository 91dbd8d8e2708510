/**
 * Roll call: POST /v1/sites/:id/call-states (the codec's call state on each
 * change, from `diemcau call --watch --upload`), GET to list them
 * (docs/registry-api.md, call states).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CallStateInput, CallStateList, CallStateRecord } from '../../model/call-state.js';
import { assertRead, assertWrite } from '../auth.js';
import { badRequest, notFound } from '../http-error.js';
import { idemOf, keyReused } from '../idempotency.js';
import { CallStateQuery, IdempotencyHeaders, SiteIdParam } from '../schemas.js';
import { errors, security, timeOf } from './common.js';

export const callStateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;

  const siteOf = async (id: string) => {
    const site = await registry.store.getSite(id);
    if (!site) throw notFound(`no site ${id}: register it or upload a run first`, { what: 'site', id });
    return site;
  };

  app.post(
    '/v1/sites/:id/call-states',
    {
      schema: {
        operationId: 'addCallState',
        summary: "Report the site codec's call state (one record per change)",
        tags: ['call-states'],
        security,
        params: SiteIdParam,
        headers: IdempotencyHeaders,
        body: CallStateInput,
        response: { 201: CallStateRecord, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req, reply) => {
      const site = await siteOf(req.params.id);
      assertWrite(req.principal, site.unit);
      const idem = idemOf(req, true);
      const nowMs = registry.now();
      const b = req.body;
      const result = await registry.store.addCallState(
        {
          siteId: site.id,
          atMs: timeOf('at', b.at, nowMs),
          state: b.state,
          ...(b.remote !== undefined ? { remote: b.remote } : {}),
          ...(b.meeting !== undefined ? { meetingId: b.meeting } : {}),
          receivedMs: nowMs,
        },
        idem,
      );
      switch (result.kind) {
        case 'created':
          return reply.code(201).send(result.value);
        case 'replay':
          return reply.code(201).header('idempotent-replayed', 'true').send(result.value);
        case 'key-reused':
          throw keyReused();
        case 'conflict':
        case 'not-found':
          throw notFound(`no site ${site.id}`, { what: 'site', id: site.id });
      }
    },
  );

  app.get(
    '/v1/sites/:id/call-states',
    {
      schema: {
        operationId: 'listCallStates',
        summary: "A site's reported call states between from and to, oldest first",
        tags: ['call-states'],
        security,
        params: SiteIdParam,
        querystring: CallStateQuery,
        response: { 200: CallStateList, ...errors(400, 401, 403, 404) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const site = await siteOf(req.params.id);
      assertRead(req.principal, site.unit);
      const q = req.query;
      const fromMs = q.from === undefined ? undefined : Date.parse(q.from);
      const toMs = q.to === undefined ? undefined : Date.parse(q.to);
      if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs)
        throw badRequest('to', 'must be after from', { why: 'after_from' });
      const items = await registry.store.listCallStates({
        siteId: site.id,
        ...(fromMs !== undefined ? { fromMs } : {}),
        ...(toMs !== undefined ? { toMs } : {}),
        limit: q.limit ?? 1000,
      });
      return { items };
    },
  );
};
