/**
 * GET /v1/reports/readiness: per site, the last verdict, when, and the
 * failing checks; sites that did not report since the stale cut-off are
 * marked stale (unknown readiness, not a failure) and counted apart, and
 * registered sites that never reported are counted as their own state
 * (`never`, docs/sites.md). Retired sites are left out. A site under a
 * maintenance window in force carries it (docs/alerts.md, maintenance).
 *
 * The answer is streamed: the rows are read in chunks of the (unit, id) index
 * and written as they come, so the first byte leaves after the first chunk
 * whatever the fleet's size, and the counts follow the sites (bench/README.md,
 * readiness).
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger } from 'fastify';
import type { MaintenanceWindow } from '../../model/alert-rule.js';
import { Readiness, type ReadinessSite } from '../../model/report.js';
import { readScope } from '../auth.js';
import { ReadinessQuery } from '../schemas.js';
import { inUnit, iso, representable } from '../store/rows.js';
import type { ReadinessRow, Store } from '../store/types.js';
import { errors, security } from './common.js';

/** The first chunk is small (the first byte), the others large (fewer round trips). */
const FIRST_CHUNK = 200;
const CHUNK = 2000;

type Counts = Readiness['counts'] & { never: number };

/** The window in force over a site: its own, else its unit's or one above (the first to end). */
function maintenanceOf(
  windows: readonly MaintenanceWindow[],
  site: { id: string; unit: string },
): ReadinessSite['maintenance'] | undefined {
  const w = windows.find((w) => w.site === site.id || (w.unit !== null && inUnit(site.unit, w.unit)));
  if (!w) return undefined;
  const until = w.endedAt && w.endedAt < w.to ? w.endedAt : w.to;
  return { id: w.id, until, reason: w.reason };
}

/** The document, piece by piece: head, each chunk's sites, then the counts. */
async function* readinessDocument(
  store: Store,
  log: FastifyBaseLogger,
  head: { generatedAt: string; unit: string; staleBefore: string },
  staleBeforeMs: number,
  firstRows: ReadinessRow[],
  windows: readonly MaintenanceWindow[],
): AsyncGenerator<string> {
  const counts: Counts = { sites: 0, ready: 0, degraded: 0, notReady: 0, unknown: 0, stale: 0, never: 0 };
  yield `${JSON.stringify(head).slice(0, -1)},"sites":[`;
  let after: { unit: string; id: string } | undefined;
  for (let limit = FIRST_CHUNK; ; limit = CHUNK) {
    const rows = after ? await store.readinessChunk({ unitPrefix: head.unit, limit, after }) : firstRows;
    let text = '';
    for (let r of rows) {
      if (r.atMs !== null && !representable(r.atMs)) {
        // A run stored before times were bounded: the site counts as not reported, the report stands.
        log.warn({ site: r.id, runId: r.runId }, 'readiness: left out a run whose time cannot be read');
        r = { ...r, runId: null, verdict: null, atMs: null, failing: [] };
      }
      const stale = r.atMs === null || r.atMs < staleBeforeMs;
      if (r.atMs === null) counts.never += 1;
      else if (stale) counts.stale += 1;
      else if (r.verdict === 'ready') counts.ready += 1;
      else if (r.verdict === 'degraded') counts.degraded += 1;
      else if (r.verdict === 'not-ready') counts.notReady += 1;
      else counts.unknown += 1;
      const site: ReadinessSite = {
        id: r.id,
        name: r.name,
        unit: r.unit,
        verdict: r.verdict,
        at: r.atMs === null ? null : iso(r.atMs),
        runId: r.runId,
        failing: r.failing,
        stale,
        technician: r.technician ?? null,
        phone: r.phone ?? null,
        openIncidents: r.openIncidents ?? 0,
      };
      // Only when a window is in force: the document of a fleet without maintenance is as it was.
      const held = maintenanceOf(windows, r);
      if (held) site.maintenance = held;
      text += (counts.sites++ === 0 ? '' : ',') + JSON.stringify(site);
    }
    if (text) yield text;
    // Let the socket take this chunk before the next is read: SQLite answers synchronously, and
    // without a turn of the event loop the whole document would be built before the first byte left.
    await new Promise((resolve) => setImmediate(resolve));
    const last = rows[rows.length - 1];
    if (rows.length < limit || !last) break;
    after = { unit: last.unit, id: last.id };
  }
  yield `],"counts":${JSON.stringify(counts)}}`;
}

export const readinessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;

  app.get(
    '/v1/reports/readiness',
    {
      schema: {
        operationId: 'readiness',
        summary: 'Readiness of every site under a unit',
        description:
          'since: sites whose last run finished before this time are stale (default: now minus the stale window). Retired sites are left out; sites that never reported are counted under never; maintenance is the window in force over a site, if any.',
        tags: ['reports'],
        security,
        querystring: ReadinessQuery,
        response: { 200: Readiness, ...errors(400, 401, 403) },
      },
      onRequest: app.authenticate,
    },
    async (req, reply) => {
      const unit = readScope(req.principal, req.query.unit);
      const nowMs = registry.now();
      const staleBefore = req.query.since ? Date.parse(req.query.since) : nowMs - registry.staleMs;
      const head = { generatedAt: iso(nowMs), unit, staleBefore: iso(staleBefore) };
      // The first chunk is read before the answer starts: a store that fails answers 500, not a cut 200.
      const first = await registry.store.readinessChunk({ unitPrefix: unit, limit: FIRST_CHUNK });
      const windows = (await registry.store.alerts.activeMaintenance(unit, nowMs)).sort((a, b) =>
        a.to < b.to ? -1 : 1,
      );
      const doc = readinessDocument(registry.store, req.log, head, staleBefore, first, windows);
      // A stream is not the Readiness object the schema types, though it writes exactly that document.
      return reply.type('application/json; charset=utf-8').send(Readable.from(doc) as unknown as Readiness);
    },
  );
};
