/**
 * JSON: the data as the registry gave it, tagged with a versioned schema
 * name. Readiness sites are worst first (the order every other format uses);
 * the incident report adds the computed summary (counts, time to resolve) so
 * scripts need not redo the sums. Keys and codes are the same in both languages.
 */
import {
  type FleetRenderOptions,
  INCIDENTS_SCHEMA,
  type IncidentReportData,
  newestFirst,
  READINESS_SCHEMA,
  type ReadinessReportData,
  type ReportFormatOf,
  SITE_SCHEMA,
  type SiteReportData,
  sortWorstFirst,
  summariseIncidents,
} from './types.js';

const print = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

export function renderReadinessJson(data: ReadinessReportData, _opts?: FleetRenderOptions): string {
  return print({
    schema: READINESS_SCHEMA,
    ...data,
    readiness: { ...data.readiness, sites: sortWorstFirst(data.readiness.sites) },
  });
}

export function renderIncidentsJson(data: IncidentReportData, _opts?: FleetRenderOptions): string {
  const incidents = newestFirst(data.incidents);
  return print({
    schema: INCIDENTS_SCHEMA,
    generatedAt: data.generatedAt,
    ...(data.unit !== undefined ? { unit: data.unit } : {}),
    ...(data.since !== undefined ? { since: data.since } : {}),
    summary: summariseIncidents(incidents, new Date(data.generatedAt)),
    incidents,
  });
}

export function renderSiteJson(data: SiteReportData, _opts?: FleetRenderOptions): string {
  return print({ schema: SITE_SCHEMA, ...data });
}

export const format: ReportFormatOf<'json'> = {
  name: 'json',
  render: { readiness: renderReadinessJson, incidents: renderIncidentsJson, site: renderSiteJson },
};
