/** The site register: GET /v1/sites, GET /v1/sites/:id, PUT /v1/sites/:id (batch, move, retire: site-register.ts). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Site, SiteInput, SiteList, SiteMoveList } from '../../model/site.js';
import { assertRead, assertWrite, mayWrite, readScope } from '../auth.js';
import { notFound } from '../http-error.js';
import { SiteIdParam, SiteListQuery } from '../schemas.js';
import { decodeCursor, encodeCursor, errors, security, siteClaimed } from './common.js';

export const siteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;

  app.get(
    '/v1/sites',
    {
      schema: {
        operationId: 'listSites',
        summary: 'List registered sites by unit',
        tags: ['sites'],
        security,
        querystring: SiteListQuery,
        response: { 200: SiteList, ...errors(400, 401, 403) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const q = req.query;
      const unitPrefix = readScope(req.principal, q.unit);
      const limit = q.limit ?? 500;
      const after = q.cursor ? decodeCursor(q.cursor, ['text', 'text']) : undefined;
      const rows = await registry.store.listSites({
        unitPrefix,
        limit: limit + 1,
        retired: q.retired ?? 'exclude',
        ...(after ? { after: { unit: after[0] as string, id: after[1] as string } } : {}),
      });
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor([last.unit, last.id]) : null };
    },
  );

  app.get(
    '/v1/sites/:id',
    {
      schema: {
        operationId: 'getSite',
        summary: 'One site',
        tags: ['sites'],
        security,
        params: SiteIdParam,
        response: { 200: Site, ...errors(400, 401, 403, 404) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const site = await registry.store.getSite(req.params.id);
      if (!site) throw notFound(`no site ${req.params.id}`, { what: 'site', id: req.params.id });
      assertRead(req.principal, site.unit);
      return site;
    },
  );

  app.put(
    '/v1/sites/:id',
    {
      schema: {
        operationId: 'putSite',
        summary: 'Register or update a site (201 when new, 200 when updated)',
        tags: ['sites'],
        security,
        params: SiteIdParam,
        body: SiteInput,
        response: { 200: Site, 201: Site, ...errors(400, 401, 403, 409, 413, 415) },
      },
      onRequest: app.authenticate,
    },
    async (req, reply) => {
      const id = req.params.id;
      const p = req.principal;
      assertWrite(p, req.body.unit);
      // A site stays with the unit that registered it first: only a token that may write there
      // too moves it (docs/registry-api.md, site ownership); anyone else is told who holds it.
      const put = await registry.store.putSite(id, req.body, registry.now(), {
        mayLeave: (unit) => mayWrite(p, unit),
        by: p.label,
      });
      if (put.heldBy !== undefined) throw siteClaimed(req, id, put.heldBy, req.body.unit);
      return reply.code(put.created ? 201 : 200).send(put.site);
    },
  );

  app.get(
    '/v1/sites/:id/moves',
    {
      schema: {
        operationId: 'listSiteMoves',
        summary: "A site's moves between units, oldest first",
        tags: ['sites'],
        security,
        params: SiteIdParam,
        response: { 200: SiteMoveList, ...errors(400, 401, 403, 404) },
      },
      onRequest: app.authenticate,
    },
    async (req) => {
      const site = await registry.store.getSite(req.params.id);
      if (!site) throw notFound(`no site ${req.params.id}`, { what: 'site', id: req.params.id });
      assertRead(req.principal, site.unit);
      return { items: await registry.store.siteMoves(site.id) };
    },
  );
};
