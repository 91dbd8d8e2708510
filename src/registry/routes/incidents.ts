/** Incidents: file, list (filters + cursor), read one, move open → acknowledged → resolved with a note. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Incident, IncidentInput, IncidentList, IncidentPatch } from '../../model/incident.js';
import { assertRead, assertWrite, readScope } from '../auth.js';
import { badRequest, conflict, forbidden, notFound } from '../http-error.js';
import { idemOf, keyReused } from '../idempotency.js';
import { IdempotencyHeaders, IdParam, IncidentListQuery, OptionalIdempotencyHeaders } from '../schemas.js';
import type { WriteResult } from '../store/types.js';
import { decodeCursor, encodeCursor, errors, leanRun, security, timeOf } from './common.js';

export const incidentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;

  const answer = (result: WriteResult<Incident>, what: string) => {
    switch (result.kind) {
      case 'created':
      case 'replay':
        return result.value;
      case 'key-reused':
        throw keyReused();
      case 'not-found':
        throw notFound(`no incident ${what}`, { what: 'incident', id: String(what) });
      case 'conflict':
        throw conflict(
          result.code,
          result.code === 'invalid_transition'
            ? `incident ${what} is ${result.detail}; allowed: open → acknowledged → resolved (or open → resolved)`
            : `site is registered under unit ${result.detail}`,
          result.code === 'invalid_transition'
            ? { id: String(what), status: result.detail }
            : { heldBy: result.detail },
        );
    }
  };

  app.post(
    '/v1/incidents',
    {
      schema: {
        operationId: 'fileIncident',
        summary: 'File an incident',
        tags: ['incidents'],
        security,
        headers: IdempotencyHeaders,
        body: IncidentInput,
        response: { 201: Incident, ...errors(400, 401, 403, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req, reply) => {
      const b = req.body;
      assertWrite(req.principal, b.site.unit);
      const idem = idemOf(req, true);
      const nowMs = registry.now();
      const occurredMs = timeOf('occurredAt', b.occurredAt, nowMs);
      if (b.run) {
        // The run that showed the fault is one of this site's: another site's (or unit's) is not evidence here.
        if (b.run.site.id !== b.site.id)
          throw badRequest('run.site.id', `must be the incident's site ${b.site.id}`);
        if (b.run.site.unit !== b.site.unit)
          throw badRequest('run.site.unit', `must be the incident's unit ${b.site.unit}`);
        timeOf('run.startedAt', b.run.startedAt, nowMs);
      }
      const body = {
        summary: b.summary,
        ...(b.details !== undefined ? { details: b.details } : {}),
        ...(b.meeting !== undefined ? { meeting: b.meeting } : {}),
        ...(b.action !== undefined ? { action: b.action } : {}),
        effect: b.effect ?? 'none',
        ...(b.reporter ? { reporter: b.reporter } : {}),
        ...(b.run
          ? {
              run: {
                site: { id: b.run.site.id, name: b.run.site.name, unit: b.run.site.unit },
                verdict: b.run.verdict,
                startedAt: b.run.startedAt,
                durationMs: b.run.durationMs,
                ...leanRun(b.run),
              },
            }
          : {}),
      };
      const result = await registry.store.createIncident(
        {
          siteId: b.site.id,
          siteName: b.site.name,
          unit: b.site.unit,
          category: b.category,
          severity: b.severity,
          occurredMs,
          createdMs: nowMs,
          body: JSON.stringify(body),
          by: b.reporter?.name ?? req.principal.label,
        },
        idem,
      );
      const value = answer(result, b.site.id);
      if (result.kind === 'replay') reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(value);
    },
  );

  app.get(
    '/v1/incidents',
    {
      schema: {
        operationId: 'listIncidents',
        summary: 'List incidents, newest first',
        tags: ['incidents'],
        security,
        querystring: IncidentListQuery,
        response: { 200: IncidentList, ...errors(400, 401, 403) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const q = req.query;
      const unitPrefix = readScope(req.principal, q.unit);
      if (q.site !== undefined) {
        const site = await registry.store.getSite(q.site);
        if (site) assertRead(req.principal, site.unit);
      }
      const limit = q.limit ?? 50;
      const before = q.cursor ? decodeCursor(q.cursor, ['int']) : undefined;
      const rows = await registry.store.listIncidents({
        unitPrefix,
        ...(q.site !== undefined ? { siteId: q.site } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.category !== undefined ? { category: q.category } : {}),
        ...(q.since !== undefined ? { sinceMs: Date.parse(q.since) } : {}),
        limit: limit + 1,
        ...(before ? { beforeId: before[0] as number } : {}),
      });
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.id]) : null };
    },
  );

  app.get(
    '/v1/incidents/:id',
    {
      schema: {
        operationId: 'getIncident',
        summary: 'One incident with its history',
        tags: ['incidents'],
        security,
        params: IdParam,
        response: { 200: Incident, ...errors(400, 401, 403, 404) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const inc = await registry.store.getIncident(req.params.id);
      if (!inc)
        throw notFound(`no incident ${req.params.id}`, { what: 'incident', id: String(req.params.id) });
      assertRead(req.principal, inc.site.unit);
      return inc;
    },
  );

  app.patch(
    '/v1/incidents/:id',
    {
      schema: {
        operationId: 'updateIncident',
        summary: 'Move an incident forward (open → acknowledged → resolved) with a note',
        tags: ['incidents'],
        security,
        params: IdParam,
        headers: OptionalIdempotencyHeaders,
        body: IncidentPatch,
        response: { 200: Incident, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const id = req.params.id;
      const idem = idemOf(req, false);
      const inc = await registry.store.getIncident(id);
      if (!inc) throw notFound(`no incident ${id}`, { what: 'incident', id: String(id) });
      if (req.principal.role === 'viewer') throw forbidden('a viewer token may not write', { why: 'viewer' });
      assertWrite(req.principal, inc.site.unit);
      const b = req.body;
      const result = await registry.store.updateIncident(
        id,
        { status: b.status, note: b.note, by: b.by ?? req.principal.label, atMs: registry.now() },
        idem,
      );
      return answer(result, String(id));
    },
  );
};
