/**
 * GET /v1/reports/daily: the sites × days grid of the readiness heatmap in
 * one request (the worst verdict of each site's runs per calendar day),
 * instead of every site's runs through /v1/runs.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Daily } from '../../model/report.js';
import { readScope } from '../auth.js';
import { DailyQuery } from '../schemas.js';
import { DAY_MS, iso } from '../store/rows.js';
import { errors, security } from './common.js';

export const DEFAULT_DAILY_DAYS = 7;
/** The users are in Vietnam (UTC+07:00 all year, no daylight saving time). */
export const DEFAULT_DAILY_TZ = '+07:00';

/** `+07:00`, `-03:30`, `Z` (and ` 07:00`, a '+' the URL turned into a space) → ms east of UTC and ±HH:MM. */
export function parseOffset(tz: string): { ms: number; label: string } {
  if (tz === 'Z') return { ms: 0, label: '+00:00' };
  const sign = tz[0] === '-' ? -1 : 1;
  const [h, m] = tz.slice(1).split(':').map(Number) as [number, number];
  const label = `${sign < 0 ? '-' : '+'}${tz.slice(1)}`;
  return { ms: sign * (h * 60 + m) * 60_000, label };
}

/** The last `n` days ending with today in a fixed offset: their dates and where the first begins. */
export function dayWindow(nowMs: number, n: number, offsetMs: number): { days: string[]; fromMs: number } {
  const today = Math.floor((nowMs + offsetMs) / DAY_MS);
  const first = today - n + 1;
  const days: string[] = [];
  for (let d = first; d <= today; d++) days.push(iso(d * DAY_MS).slice(0, 10));
  return { days, fromMs: first * DAY_MS - offsetMs };
}

export const dailyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry } = app;

  app.get(
    '/v1/reports/daily',
    {
      schema: {
        operationId: 'dailyVerdicts',
        summary: 'Worst verdict per site and day (the readiness heatmap)',
        description:
          'Per registered site under the unit, the worst verdict (not-ready > unknown > degraded > ready) ' +
          'of the runs that started on each of the last `days` calendar days in the UTC offset `tz`; ' +
          'null when the site did not run that day. Days oldest first, ending today.',
        tags: ['reports'],
        security,
        querystring: DailyQuery,
        response: { 200: Daily, ...errors(400, 401, 403) },
      },
      onRequest: app.authenticate,
      // Ten thousand sites × days: plain JSON.stringify, as for the readiness report.
      serializerCompiler: () => (data) => JSON.stringify(data),
    },
    async (req) => {
      const unit = readScope(req.principal, req.query.unit);
      const nowMs = registry.now();
      const tz = parseOffset(req.query.tz ?? DEFAULT_DAILY_TZ);
      const n = req.query.days ?? DEFAULT_DAILY_DAYS;
      const { days, fromMs } = dayWindow(nowMs, n, tz.ms);
      const sites = await registry.store.daily({ unitPrefix: unit, fromMs, days: n });
      return { generatedAt: iso(nowMs), unit, tz: tz.label, days, sites };
    },
  );
};
