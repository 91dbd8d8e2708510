/**
 * The reports' renderers by report and format, loaded lazily (only the chosen
 * one is imported). Every renderer is a pure `(data, opts) → string`.
 */
import type {
  FleetRenderOptions,
  IncidentReportData,
  ReadinessReportData,
  ReportFormat,
  SiteReportData,
} from './types.js';

export interface ReportData {
  readiness: ReadinessReportData;
  incidents: IncidentReportData;
  site: SiteReportData;
}
export type ReportKind = keyof ReportData;
export type ReportRenderer<K extends ReportKind> = (data: ReportData[K], opts: FleetRenderOptions) => string;

export async function loadReportRenderer<K extends ReportKind>(
  kind: K,
  format: ReportFormat,
): Promise<ReportRenderer<K>> {
  const pick = <M>(mod: M, names: Record<ReportKind, keyof M>) =>
    mod[names[kind]] as unknown as ReportRenderer<K>;
  switch (format) {
    case 'table':
      return pick(await import('./table.js'), {
        readiness: 'renderReadinessTable',
        incidents: 'renderIncidentsTable',
        site: 'renderSiteTable',
      });
    case 'csv':
      return pick(await import('./csv.js'), {
        readiness: 'renderReadinessCsv',
        incidents: 'renderIncidentsCsv',
        site: 'renderSiteCsv',
      });
    case 'json':
      return pick(await import('./json.js'), {
        readiness: 'renderReadinessJson',
        incidents: 'renderIncidentsJson',
        site: 'renderSiteJson',
      });
    case 'html':
      return pick(await import('./html.js'), {
        readiness: 'renderReadinessHtml',
        incidents: 'renderIncidentsHtml',
        site: 'renderSiteHtml',
      });
  }
}
