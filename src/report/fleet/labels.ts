/** Words for codes, in the report's language: states, categories, severities, statuses, spans of time. */
import type { Locale, Translator } from '../../i18n/index.js';
import type { IncidentCategory, IncidentStatus, Severity } from '../../model/incident.js';
import type { Readiness, ReadinessSite } from '../../model/report.js';
import { CATEGORY_LABELS } from '../../registry/categories.js';
import type { ZoneClock } from './time.js';
import type { IncidentSummary, SiteState, Verdict } from './types.js';

/** Narrow symbols only (see the note in ../human.ts): emoji-width ones break alignment. */
export const STATE_ICON: Record<SiteState, string> = {
  ready: '✓',
  degraded: '!',
  'not-ready': '✗',
  unknown: '?',
  stale: '–',
  never: '·',
};

export function stateLabel(t: Translator, state: SiteState | null): string {
  return state === null ? t('report.state.none') : t(`report.state.${state}`);
}

export function categoryLabel(locale: Locale, code: string): string {
  return CATEGORY_LABELS[code as IncidentCategory]?.[locale] ?? code;
}

export function severityLabel(t: Translator, s: Severity): string {
  return t(`report.severity.${s}`);
}

export function statusLabel(t: Translator, s: IncidentStatus): string {
  return t(`incident.status.${s}`);
}

/**
 * "1 giờ 30 phút": minutes (rounded) under an hour, hours and minutes under a
 * day, then days and whole hours (cut, not rounded: "open 2 d 23 h" must not
 * read as 3 days).
 */
export function formatSpan(t: Translator, ms: number | null): string {
  if (ms === null) return t('report.none');
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return t('report.span.min', { m: minutes });
  if (minutes < 24 * 60) return t('report.span.hm', { h: Math.floor(minutes / 60), m: minutes % 60 });
  return t('report.span.dh', { d: Math.floor(minutes / 1440), h: Math.floor((minutes % 1440) / 60) });
}

/**
 * "3 sẵn sàng, 1 có cảnh báo, ...": the summary line's states; could-not-check
 * only when there are some; no-report unless `withStale` is false (a site's
 * own run history has no such thing).
 */
export function countsText(t: Translator, counts: Readiness['counts'], withStale = true): string {
  const n: Record<SiteState, number> = {
    ready: counts.ready,
    degraded: counts.degraded,
    'not-ready': counts.notReady,
    unknown: counts.unknown,
    stale: counts.stale,
    never: counts.never ?? 0,
  };
  const order: SiteState[] = ['ready', 'degraded', 'not-ready', 'unknown', 'stale', 'never'];
  return order
    .filter(
      (s) =>
        (s !== 'unknown' || n.unknown > 0) &&
        (s !== 'stale' || withStale) &&
        (s !== 'never' || (withStale && n.never > 0)),
    )
    .map((s) => t(`report.count.${s}`, { n: n[s] }))
    .join(', ');
}

/** Counts of run verdicts (the site report's summary line), in the readiness counts' shape. */
export function verdictCounts(verdicts: Iterable<Verdict>): Readiness['counts'] {
  const c = { sites: 0, ready: 0, degraded: 0, notReady: 0, unknown: 0, stale: 0 };
  for (const v of verdicts) {
    c.sites += 1;
    if (v === 'not-ready') c.notReady += 1;
    else c[v] += 1;
  }
  return c;
}

/** "6 sự cố: 1 mới báo, 1 đã tiếp nhận, 4 đã khắc phục". */
export function incidentTotalText(t: Translator, s: IncidentSummary): string {
  const parts = (['open', 'acknowledged', 'resolved'] as const)
    .map((st) => t('report.incidents.status_count', { n: s.byStatus[st], status: statusLabel(t, st) }))
    .join(', ');
  return t('report.incidents.total', { n: s.total, parts });
}

/** Mean, median and longest time to resolve, or that nothing was resolved. */
export function resolveText(t: Translator, s: IncidentSummary): string {
  if (s.resolve.count === 0) return t('report.incidents.mttr_none');
  return t('report.incidents.mttr', {
    mean: formatSpan(t, s.resolve.meanMs),
    median: formatSpan(t, s.resolve.medianMs),
    max: formatSpan(t, s.resolve.maxMs),
    n: s.resolve.count,
  });
}

/** How many are still open and for how long the oldest; undefined when none is. */
export function unresolvedText(t: Translator, s: IncidentSummary): string | undefined {
  if (s.unresolved.count === 0) return undefined;
  return t('report.incidents.unresolved', {
    n: s.unresolved.count,
    age: formatSpan(t, s.unresolved.oldestAgeMs),
  });
}

/** "đơn vị thanh-hoa", or every unit the token may read. */
export const scopeText = (opts: { t: Translator }, unit: string | undefined): string =>
  unit ? opts.t('report.scope', { unit }) : opts.t('report.scope_all');

/** "until 17:00 25/11: reason" for a site under a maintenance window (docs/alerts.md, maintenance); '' without one. */
export function maintenanceText(t: Translator, clock: ZoneClock, s: ReadinessSite): string {
  return s.maintenance
    ? t('report.maintenance.until', { until: clock.local(s.maintenance.until), reason: s.maintenance.reason })
    : '';
}
