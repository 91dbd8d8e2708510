/** The registry's reports: readiness of every site under a unit, and the daily verdicts (heatmap). */
import { type Static, Type } from '@sinclair/typebox';
import { DateTime, SiteId } from './atoms.js';
import { Nullable } from './schema-tools.js';
import { Verdict } from './verdict.js';

export const ReadinessSite = Type.Object({
  id: SiteId,
  name: Type.String(),
  unit: Type.String(),
  /** The last run's verdict; null when the site never reported. */
  verdict: Nullable(Verdict),
  /** When the last run finished (the check's clock). */
  at: Nullable(DateTime),
  runId: Nullable(Type.Integer()),
  /** Ids of the checks that failed or could not run in the last run. */
  failing: Type.Array(Type.String()),
  /** Did not report since `staleBefore` (or never did): unknown readiness, not a failure. */
  stale: Type.Boolean(),
  /** The technician's name and phone from the site register (docs/sites.md); null when not registered. */
  /** (Optional: an older registry sends none of the three.) */
  technician: Type.Optional(Nullable(Type.String())),
  phone: Type.Optional(Nullable(Type.String())),
  /** Incidents of the site not resolved yet (open or acknowledged). */
  openIncidents: Type.Optional(Type.Integer({ minimum: 0 })),
  /** The maintenance window in force over the site (docs/alerts.md, maintenance), absent when none (and from older registries). */
  maintenance: Type.Optional(
    Nullable(Type.Object({ id: Type.Integer(), until: DateTime, reason: Type.String() })),
  ),
});
export type ReadinessSite = Static<typeof ReadinessSite>;

export const Readiness = Type.Object({
  generatedAt: DateTime,
  unit: Type.String(),
  staleBefore: DateTime,
  counts: Type.Object({
    sites: Type.Integer(),
    ready: Type.Integer(),
    degraded: Type.Integer(),
    notReady: Type.Integer(),
    unknown: Type.Integer(),
    /** Sites that reported, but not since `staleBefore`. */
    stale: Type.Integer(),
    /** Registered sites that never reported (their own state: docs/sites.md); not counted under `stale`. */
    never: Type.Optional(Type.Integer()),
  }),
  sites: Type.Array(ReadinessSite),
});
export type Readiness = Static<typeof Readiness>;

export const DailySite = Type.Object({
  id: SiteId,
  /** One entry per day: the worst verdict of the runs started that day, null when none. */
  verdicts: Type.Array(Nullable(Verdict)),
});
export type DailySite = Static<typeof DailySite>;

export const Daily = Type.Object({
  generatedAt: DateTime,
  unit: Type.String(),
  /** The offset the days are cut by, as ±HH:MM. */
  tz: Type.String(),
  /** YYYY-MM-DD, oldest first. */
  days: Type.Array(Type.String({ format: 'date' })),
  /** Every registered site under the unit, in the readiness report's order (unit, id). */
  sites: Type.Array(DailySite),
});
export type Daily = Static<typeof Daily>;
