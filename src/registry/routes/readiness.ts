/**
 * GET /v1/reports/readiness: per site, the last verdict, when, and the
 * failing checks; sites that did not report since the stale cut-off are
 * marked stale (unknown readiness, not a failure) and counted apart.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readiness, type ReadinessSite } from '../../model/report.js';
import { readScope } from '../auth.js';
import { ReadinessQuery } from '../schemas.js';
import { iso, representable } from '../store/rows.js';
import { errors, security } from './common.js';

export const readinessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;

  app.get(
    '/v1/reports/readiness',
    {
      schema: {
        operationId: 'readiness',
        summary: 'Readiness of every site under a unit',
        description:
          'since: sites whose last run finished before this time are stale (default: now minus the stale window).',
        tags: ['reports'],
        security,
        querystring: ReadinessQuery,
        response: { 200: Readiness, ...errors(400, 401, 403) },
      },
      onRequest: app.authenticate,
      // Ten thousand sites: plain JSON.stringify is several times faster here than the schema
      // serializer (nullable fields, Vietnamese names); the handler builds exactly the documented shape.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => {
      const unit = readScope(req.principal, req.query.unit);
      const nowMs = registry.now();
      const staleBefore = req.query.since ? Date.parse(req.query.since) : nowMs - registry.staleMs;
      const rows = await registry.store.readiness(unit);
      const counts = { sites: rows.length, ready: 0, degraded: 0, notReady: 0, unknown: 0, stale: 0 };
      const sites: ReadinessSite[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        let r = rows[i] as (typeof rows)[number];
        if (r.atMs !== null && !representable(r.atMs)) {
          // A run stored before times were bounded: the site counts as not reported, the report stands.
          req.log.warn({ site: r.id, runId: r.runId }, 'readiness: left out a run whose time cannot be read');
          r = { ...r, runId: null, verdict: null, atMs: null, failing: [] };
        }
        const stale = r.atMs === null || r.atMs < staleBefore;
        if (stale) counts.stale += 1;
        else if (r.verdict === 'ready') counts.ready += 1;
        else if (r.verdict === 'degraded') counts.degraded += 1;
        else if (r.verdict === 'not-ready') counts.notReady += 1;
        else counts.unknown += 1;
        sites[i] = {
          id: r.id,
          name: r.name,
          unit: r.unit,
          verdict: r.verdict,
          at: r.atMs === null ? null : iso(r.atMs),
          runId: r.runId,
          failing: r.failing,
          stale,
        };
      }
      return { generatedAt: iso(nowMs), unit, staleBefore: iso(staleBefore), counts, sites };
    },
  );
};
