/** POST /v1/runs (one site's check results), GET /v1/runs?site=, GET /v1/runs/:id. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Run, RunAccepted, RunInput, RunList } from '../../model/run.js';
import { assertRead, assertWrite } from '../auth.js';
import { badRequest, notFound } from '../http-error.js';
import { idemOf, keyReused } from '../idempotency.js';
import { IdempotencyHeaders, IdParam, RunListQuery } from '../schemas.js';
import { decodeCursor, encodeCursor, errors, runRecord, security, siteClaimed } from './common.js';

export const runRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;

  app.post(
    '/v1/runs',
    {
      schema: {
        operationId: 'uploadRun',
        summary: "Upload one site's check results (one site of `diemcau check --format json`)",
        tags: ['runs'],
        security,
        headers: IdempotencyHeaders,
        body: RunInput,
        response: { 201: RunAccepted, ...errors(400, 401, 403, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req, reply) => {
      const run = req.body;
      assertWrite(req.principal, run.site.unit);
      const idem = idemOf(req, true);
      const result = await registry.store.ingestRun(runRecord(run, registry.now()), idem);
      switch (result.kind) {
        case 'created':
          return reply.code(201).send(result.value);
        case 'replay':
          return reply.code(201).header('idempotent-replayed', 'true').send(result.value);
        case 'key-reused':
          throw keyReused();
        case 'conflict':
          throw siteClaimed(req, run.site.id, result.detail, run.site.unit);
        case 'not-found':
          throw notFound('not found');
      }
    },
  );

  app.get(
    '/v1/runs',
    {
      schema: {
        operationId: 'listRuns',
        summary: "A site's runs, or a meeting's (?meeting=), newest first",
        tags: ['runs'],
        security,
        querystring: RunListQuery,
        response: { 200: RunList, ...errors(400, 401, 403, 404) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const q = req.query;
      if (q.site === undefined && q.meeting === undefined)
        throw badRequest('site', 'is required (or meeting, for the runs of a meeting)', { why: 'required' });
      if (q.site !== undefined) {
        const site = await registry.store.getSite(q.site);
        if (!site) throw notFound(`no site ${q.site}`, { what: 'site', id: q.site });
        assertRead(req.principal, site.unit);
      }
      const limit = q.limit ?? 50;
      const before = q.cursor ? decodeCursor(q.cursor, ['int', 'int']) : undefined;
      const rows = await registry.store.listRuns({
        ...(q.site !== undefined ? { siteId: q.site } : { unitPrefix: req.principal.unit }),
        ...(q.meeting !== undefined ? { meetingId: q.meeting } : {}),
        limit: limit + 1,
        ...(before ? { before: { startedMs: before[0] as number, id: before[1] as number } } : {}),
      });
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      const nextCursor =
        rows.length > limit && last ? encodeCursor([Date.parse(last.startedAt), last.id]) : null;
      return { items, nextCursor };
    },
  );

  app.get(
    '/v1/runs/:id',
    {
      schema: {
        operationId: 'getRun',
        summary: 'One run',
        tags: ['runs'],
        security,
        params: IdParam,
        response: { 200: Run, ...errors(400, 401, 403, 404) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const run = await registry.store.getRun(req.params.id);
      if (!run) throw notFound(`no run ${req.params.id}`, { what: 'run', id: String(req.params.id) });
      assertRead(req.principal, run.site.unit);
      return run;
    },
  );
};
