import type { SiteRun } from '../engine/run.js';
import type { Locale, Translator } from '../i18n/index.js';
import type { RUN_SCHEMA } from '../model/run.js';
import type { Verdict } from '../model/verdict.js';

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
  /** Nagios: the whole output stays within this many bytes (default 8192, Nagios' own limit). */
  nagiosMaxBytes?: number;
  /** Prometheus: the `sweep` label of the run's series (several .prom files in one folder). */
  sweep?: string;
  /** `--upload`: how many site results reached the registry and how many wait in the outbox. */
  upload?: { sent: number; queued: number };
}

export type Renderer = (report: RunReport, opts: RenderOptions) => string;

/** What a sweep knows before its first site: the report without its sites, and how many there will be. */
export interface RunStart {
  schema: RunReport['schema'];
  tool: RunReport['tool'];
  startedAt: string;
  sites: number;
}

/** What a sweep knows after its last site. */
export interface RunEnd {
  durationMs: number;
  verdict: Verdict;
}

/**
 * A format written site by site as a sweep goes (docs/run-format.md,
 * "Sweeps"): `head`, then `site` for each site in order, then `tail`.
 * With `headLast`, the head carries totals: it is asked for after the last
 * site and still goes first in the output (the sites wait in a spool file).
 */
export interface SiteStream {
  readonly headLast?: boolean;
  head(end?: RunEnd): string;
  site(run: SiteRun): string;
  tail(end: RunEnd): string;
}

export type StreamRenderer = (start: RunStart, opts: RenderOptions) => SiteStream;

/** What each run format module exports as `format` (listed in ./formats.ts). */
export interface RunFormat<N extends string> {
  name: N;
  render: Renderer;
  /** Formats that can be written as the sites finish. */
  stream?: StreamRenderer;
}
