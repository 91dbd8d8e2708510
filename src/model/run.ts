/**
 * A run: one site's entry of the `diemcau/run@2` document
 * (docs/run-format.md), as `diemcau check` prints it, the registry takes it
 * (POST /v1/runs) and gives it back.
 */
import { type Static, Type } from '@sinclair/typebox';
import { DateTime, DurationMs, SiteId } from './atoms.js';
import { UploadedCheckResult } from './check.js';
import { Nullable } from './schema-tools.js';
import { RunSite } from './site.js';
import { Verdict } from './verdict.js';

/** Why a site could not be checked at all (verdict unknown). */
const RunError = Type.Object({
  code: Type.String({ maxLength: 100 }),
  message: Type.String({ maxLength: 4000 }),
});
const Tool = Type.Object({ name: Type.String({ maxLength: 40 }), version: Type.String({ maxLength: 40 }) });

/**
 * POST /v1/runs: one site's entry of the run document, optionally with the
 * tool that made it. Unknown extra fields are accepted (newer clients) but not stored.
 */
export const RunInput = Type.Object({
  site: RunSite,
  file: Type.Optional(Type.String({ maxLength: 4096 })),
  verdict: Verdict,
  startedAt: DateTime,
  durationMs: DurationMs,
  checks: Type.Array(UploadedCheckResult, { maxItems: 500 }),
  error: Type.Optional(RunError),
  tool: Type.Optional(Tool),
});
export type RunInput = Static<typeof RunInput>;

export const RunAccepted = Type.Object({
  id: Type.Integer(),
  site: SiteId,
  verdict: Verdict,
  receivedAt: DateTime,
});
export type RunAccepted = Static<typeof RunAccepted>;

/** A stored run: what was sent, less the local file path, plus where it stands. */
export const Run = Type.Object({
  id: Type.Integer(),
  site: Type.Pick(RunSite, ['id', 'name', 'unit']),
  verdict: Verdict,
  startedAt: DateTime,
  durationMs: Type.Integer(),
  receivedAt: DateTime,
  failing: Type.Array(Type.String()),
  checks: Type.Array(UploadedCheckResult),
  error: Type.Optional(RunError),
  tool: Type.Optional(Tool),
});
export type Run = Static<typeof Run>;

export const RunList = Type.Object({ items: Type.Array(Run), nextCursor: Nullable(Type.String()) });
export type RunList = Static<typeof RunList>;
