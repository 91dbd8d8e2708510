/** `diemcau report incidents`: every incident matching the filters (all pages), summed up and rendered. */
import type { Context } from '../../cli/context.js';
import type { IncidentsFlags } from '../../cli/wiring/report.js';
import type { Incident } from '../../model/incident.js';
import type { IncidentReportData } from '../../report/fleet/types.js';
import { sinceOf } from '../common.js';
import { emit, getAll, openSession, type Session } from './common.js';

export type IncidentsOptions = IncidentsFlags;

export async function loadIncidents(s: Session, opts: IncidentsOptions): Promise<IncidentReportData> {
  const since = sinceOf(s.ctx, opts.since);
  const incidents = await getAll<Incident>(s, '/v1/incidents', {
    unit: opts.unit,
    site: opts.site,
    status: opts.status,
    category: opts.category,
    since,
  });
  return {
    generatedAt: s.ctx.clock.now().toISOString(),
    incidents,
    ...(since ? { since } : {}),
    ...(opts.unit ? { unit: opts.unit } : {}),
  };
}

export async function incidentsCommand(ctx0: Context, opts: IncidentsOptions): Promise<number> {
  const s = await openSession(ctx0, opts);
  let data: IncidentReportData;
  try {
    data = await loadIncidents(s, opts);
  } finally {
    await s.client.close();
  }
  await emit(s.ctx, opts, 'incidents', data);
  return 0;
}
