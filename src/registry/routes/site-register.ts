/**
 * The site register's writes beyond one PUT (docs/sites.md): PUT /v1/sites (a
 * batch, merged, one transaction), PUT /v1/sites/:id/unit (a move) and
 * PUT /v1/sites/:id/retired. Scope as for PUT /v1/sites/:id
 * (docs/registry-api.md, site ownership): write scope on the unit written, and
 * a site leaves its unit only for a token that may write there too.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Site, SiteBatch, SiteBatchResult, SiteMoveInput, SiteRetireInput } from '../../model/site.js';
import { assertWrite, mayWrite } from '../auth.js';
import { forbidden, notFound } from '../http-error.js';
import { SiteIdParam } from '../schemas.js';
import type { SiteBatchOutcome } from '../store/sites.js';
import { errors, security, siteClaimed } from './common.js';

type BatchAnswer = SiteBatchResult['items'][number];

function answerOf(id: string, unit: string, o: SiteBatchOutcome): BatchAnswer {
  switch (o.kind) {
    case 'created':
      return { id, status: 201, site: o.site };
    case 'updated':
      return { id, status: 200, site: o.site };
    case 'held':
      return {
        id,
        status: 409,
        error: {
          code: 'site_unit_mismatch',
          message: `site ${id} is registered under unit ${o.heldBy}, not ${unit}`,
        },
      };
    default:
      return {
        id,
        status: 409,
        error: {
          code: 'not_written',
          message: 'not written: another entry of this atomic batch was refused',
        },
      };
  }
}

export const siteRegisterRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;

  app.put(
    '/v1/sites',
    {
      schema: {
        operationId: 'putSites',
        summary: 'Register or update many sites in one transaction (fields left out are kept)',
        description:
          'Each entry answers on its own (201, 200, 403, 409). With atomic: true, one refused entry refuses them all and nothing is written.',
        tags: ['sites'],
        security,
        body: SiteBatch,
        response: { 200: SiteBatchResult, ...errors(400, 401, 403, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const p = req.principal;
      const { items, atomic = false } = req.body;
      if (p.role === 'viewer') throw forbidden('a viewer token may not write');
      const allowed = items.map((it) => mayWrite(p, it.unit));
      const outside = allowed.indexOf(false);
      if (atomic && outside >= 0) assertWrite(p, (items[outside] as (typeof items)[number]).unit);
      const writable = items.filter((_, i) => allowed[i]);
      const outcomes = writable.length
        ? await registry.store.putSites(
            writable,
            registry.now(),
            { mayLeave: (u) => mayWrite(p, u), by: p.label },
            atomic,
          )
        : [];
      let k = 0;
      const answers = items.map((it, i): BatchAnswer => {
        if (!allowed[i])
          return {
            id: it.id,
            status: 403,
            error: { code: 'forbidden', message: `this token may not write for ${it.unit}` },
          };
        const o = outcomes[k++] as SiteBatchOutcome;
        if (o.kind === 'held') siteClaimed(req, it.id, o.heldBy, it.unit);
        return answerOf(it.id, it.unit, o);
      });
      return { items: answers, written: answers.filter((a) => a.status < 300).length };
    },
  );

  app.put(
    '/v1/sites/:id/unit',
    {
      schema: {
        operationId: 'moveSite',
        summary: 'Move a site to another unit (everything else kept; the move is recorded)',
        tags: ['sites'],
        security,
        params: SiteIdParam,
        body: SiteMoveInput,
        response: { 200: Site, ...errors(400, 401, 403, 404, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const p = req.principal;
      const site = await registry.store.getSite(req.params.id);
      if (!site) throw notFound(`no site ${req.params.id}`);
      assertWrite(p, req.body.unit);
      const { id, createdAt: _c, updatedAt: _u, retired: _r, ...input } = site;
      const put = await registry.store.putSite(id, { ...input, unit: req.body.unit }, registry.now(), {
        mayLeave: (unit) => mayWrite(p, unit),
        by: p.label,
      });
      if (put.heldBy !== undefined) throw siteClaimed(req, id, put.heldBy, req.body.unit);
      return put.site;
    },
  );

  app.put(
    '/v1/sites/:id/retired',
    {
      schema: {
        operationId: 'retireSite',
        summary:
          'Retire a site: kept with its history, left out of reports (a second retire keeps the first)',
        tags: ['sites'],
        security,
        params: SiteIdParam,
        body: SiteRetireInput,
        response: { 200: Site, ...errors(400, 401, 403, 404, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const site = await registry.store.getSite(req.params.id);
      if (!site) throw notFound(`no site ${req.params.id}`);
      assertWrite(req.principal, site.unit);
      const retired = await registry.store.retireSite(site.id, {
        atMs: registry.now(),
        by: req.principal.label,
        reason: req.body.reason,
      });
      if (!retired) throw notFound(`no site ${req.params.id}`);
      return retired;
    },
  );
};
