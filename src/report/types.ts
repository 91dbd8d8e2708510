import type { SiteRun } from '../engine/run.js';
import type { Locale, Translator } from '../i18n/index.js';
import type { Verdict } from '../model/verdict.js';

export const RUN_SCHEMA = 'diemcau/run@1';

/** The JSON document of one `diemcau check` run (docs/run-format.md). */
export interface RunReport {
  schema: typeof RUN_SCHEMA;
  tool: { name: 'diemcau'; version: string };
  startedAt: string;
  durationMs: number;
  verdict: Verdict;
  sites: SiteRun[];
}

export interface RenderOptions {
  t: Translator;
  locale: Locale;
  /** ANSI colour allowed. */
  color: boolean;
  /** Output goes to a terminal (align tables); otherwise tab-separated where a table is drawn. */
  tty: boolean;
  columns: number;
}

export type Renderer = (report: RunReport, opts: RenderOptions) => string;

export const CHECK_FORMATS = ['human', 'json', 'junit', 'nagios', 'prometheus', 'tap'] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

/** Lazy: only the chosen renderers are loaded. */
export async function loadRenderer(format: CheckFormat): Promise<Renderer> {
  switch (format) {
    case 'human':
      return (await import('./human.js')).renderHuman;
    case 'json':
      return (await import('./json.js')).renderJson;
    case 'junit':
      return (await import('./junit.js')).renderJunit;
    case 'nagios':
      return (await import('./nagios.js')).renderNagios;
    case 'prometheus':
      return (await import('./prometheus.js')).renderPrometheus;
    case 'tap':
      return (await import('./tap.js')).renderTap;
  }
}

/** Counts of check statuses. */
export function countStatuses(site: SiteRun): Record<'pass' | 'warn' | 'fail' | 'skip' | 'error', number> {
  const c = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
  for (const r of site.checks) c[r.status] += 1;
  return c;
}

export function countVerdicts(report: RunReport): Record<Verdict, number> {
  const c: Record<Verdict, number> = { ready: 0, degraded: 0, 'not-ready': 0, unknown: 0 };
  for (const s of report.sites) c[s.verdict] += 1;
  return c;
}
