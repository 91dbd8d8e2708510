/**
 * A run: one site's entry of the `diemcau/run@2` document
 * (docs/run-format.md), as `diemcau check` prints it, the registry takes it
 * (POST /v1/runs) and gives it back.
 */
import { type Static, Type } from '@sinclair/typebox';
import { DateTime, DurationMs, SiteId } from './atoms.js';
import { CheckResult, UploadedCheckResult } from './check.js';
import { ID_PATTERN } from './constants.js';
import { Nullable, withoutAnnotations } from './schema-tools.js';
import { RunSite } from './site.js';
import { Verdict } from './verdict.js';

/** The `schema` word of the run document; a breaking change gets the next number (docs/run-format.md). */
export const RUN_SCHEMA = 'diemcau/run@2';

/** Why a site could not be checked at all (verdict unknown). */
const RunError = Type.Object({
  code: Type.String({ maxLength: 100 }),
  message: Type.String({ maxLength: 4000 }),
});
const Tool = Type.Object({ name: Type.String({ maxLength: 40 }), version: Type.String({ maxLength: 40 }) });

/** The meeting a run was made for (`diemcau check --meeting ID`): the meeting's id in the registry. */
export const MeetingTag = Type.String({
  pattern: ID_PATTERN,
  description:
    'The meeting the run was made for (check --meeting): lower-case letters, digits, ".", "_", "-".',
});

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
  meeting: Type.Optional(MeetingTag),
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
  meeting: Type.Optional(MeetingTag),
});
export type Run = Static<typeof Run>;

export const RunList = Type.Object({ items: Type.Array(Run), nextCursor: Nullable(Type.String()) });
export type RunList = Static<typeof RunList>;

// ---- the run document (`diemcau check --format json`, `diemcau schema run`) ----

/**
 * The site block of a site that could not be checked: its profile did not
 * load, so there is no unit, and the file name stands in for id and name.
 */
export const UncheckedSite = Type.Object(
  { id: Type.String({ minLength: 1 }), name: Type.String() },
  { additionalProperties: false },
);
export type UncheckedSite = Static<typeof UncheckedSite>;

/** A result as the document has it: a figure that is not a number (NaN) is written as JSON's null. */
const DocumentCheck = Type.Object({
  ...CheckResult.properties,
  metrics: Type.Record(Type.String(), Nullable(Type.Number())),
});

const documentSite = { file: Type.String(), startedAt: DateTime, durationMs: DurationMs };

/** A site of the document that was checked. */
const CheckedSiteRun = Type.Object({
  site: RunSite,
  ...documentSite,
  verdict: Verdict,
  checks: Type.Array(DocumentCheck),
  meeting: Type.Optional(MeetingTag),
});

/** A site of a sweep that could not be checked (bad profile): why, and no checks. */
const UncheckedSiteRun = Type.Object({
  site: UncheckedSite,
  ...documentSite,
  verdict: Type.Literal('unknown'),
  checks: Type.Array(DocumentCheck, { maxItems: 0 }),
  error: RunError,
});

/** The whole run document, as `diemcau check --format json` prints it (docs/run-format.md). */
export const RunDocument = Type.Object(
  {
    schema: Type.Literal(RUN_SCHEMA),
    tool: Type.Object({ name: Type.Literal('diemcau'), version: Type.String() }),
    startedAt: DateTime,
    durationMs: DurationMs,
    /** The worst site's. */
    verdict: Verdict,
    sites: Type.Array(Type.Union([CheckedSiteRun, UncheckedSiteRun])),
  },
  {
    $id: 'https://diemcau.invalid/schema/run-2.json',
    title: 'diemcau run document (diemcau/run@2)',
    description: 'What `diemcau check --format json` prints: every site of the run and its checks.',
  },
);

/** The run document's JSON Schema (draft 2020-12) for others to read: `diemcau schema run`, docs/schema/run-2.json. */
export function runDocumentSchema(): Record<string, unknown> {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...withoutAnnotations(RunDocument) };
}
