/**
 * An incident: what a technician files (POST /v1/incidents), how it moves
 * (open → acknowledged → resolved) and how the registry keeps it.
 */
import { type Static, Type } from '@sinclair/typebox';
import { DateTime, Person, SiteId, UnitPath } from './atoms.js';
import { EFFECTS, INCIDENT_CATEGORIES, INCIDENT_STATUSES, ROLES, SEVERITIES } from './constants.js';
import { RunInput } from './run.js';
import { literals, Nullable } from './schema-tools.js';

export { EFFECTS, INCIDENT_CATEGORIES, INCIDENT_STATUSES, ROLES, SEVERITIES };

export const IncidentCategory = literals(INCIDENT_CATEGORIES, {
  description: 'Incident category (docs/design.md §6).',
});
export type IncidentCategory = Static<typeof IncidentCategory>;
export const Severity = literals(SEVERITIES, {
  description: 'critical: meeting blocked; major: degraded; minor.',
});
export type Severity = Static<typeof Severity>;
export const Effect = literals(EFFECTS, { description: 'Effect on the meeting.' });
export type Effect = Static<typeof Effect>;
export const IncidentStatus = literals(INCIDENT_STATUSES);
export type IncidentStatus = Static<typeof IncidentStatus>;
export const Role = literals(ROLES);
export type Role = Static<typeof Role>;

const IncidentSite = Type.Object(
  { id: SiteId, name: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })), unit: UnitPath },
  { additionalProperties: false },
);

export const IncidentInput = Type.Object(
  {
    site: IncidentSite,
    category: IncidentCategory,
    severity: Severity,
    summary: Type.String({ minLength: 1, maxLength: 300 }),
    details: Type.Optional(Type.String({ maxLength: 10_000 })),
    occurredAt: DateTime,
    meeting: Type.Optional(Type.String({ maxLength: 300 })),
    action: Type.Optional(Type.String({ maxLength: 4000 })),
    effect: Type.Optional(Effect),
    reporter: Type.Optional(Person),
    /** The check run that showed the fault: one site's entry of a run document. */
    run: Type.Optional(RunInput),
  },
  { additionalProperties: false },
);
export type IncidentInput = Static<typeof IncidentInput>;

export const HistoryEntry = Type.Object({
  at: DateTime,
  status: IncidentStatus,
  note: Type.Optional(Type.String()),
  by: Type.Optional(Type.String()),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const Incident = Type.Object({
  id: Type.Integer(),
  ...IncidentInput.properties,
  effect: Effect,
  run: Type.Optional(Type.Unknown()),
  status: IncidentStatus,
  createdAt: DateTime,
  updatedAt: DateTime,
  resolvedAt: Type.Optional(DateTime),
  history: Type.Array(HistoryEntry),
});
export type Incident = Static<typeof Incident>;

export const IncidentPatch = Type.Object(
  {
    status: literals(['acknowledged', 'resolved']),
    note: Type.Optional(Type.String({ maxLength: 4000 })),
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type IncidentPatch = Static<typeof IncidentPatch>;

export const IncidentList = Type.Object({ items: Type.Array(Incident), nextCursor: Nullable(Type.String()) });
export type IncidentList = Static<typeof IncidentList>;
