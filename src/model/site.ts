/**
 * A site (điểm cầu): the profile's `site:` block, the site block of a run
 * sent to the registry, and a registered site (the register: docs/sites.md).
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { Contact, DateTime, Person, SiteId, UnitPath } from './atoms.js';
import { HOURS_PATTERN, SITE_LEVELS } from './constants.js';
import { literals, Nullable } from './schema-tools.js';

const SiteName = Type.String({ minLength: 1, maxLength: 300 });
const FocalPoint = Type.Object(Person.properties, {
  additionalProperties: false,
  description: 'Đầu mối: whom to call at the provincial IT centre.',
});

/** A site block's fields; the profile and the registry differ in how strict the level is. */
const siteFields = <L extends TSchema>(level: L) => ({
  id: SiteId,
  name: SiteName,
  unit: UnitPath,
  level: Type.Optional(level),
  technician: Type.Optional(Person),
  focal_point: Type.Optional(FocalPoint),
});

/** The register's own fields (docs/sites.md); the profile may carry address and hours too. */
const Address = Type.String({ minLength: 1, maxLength: 500 });
const MeetingHours = Type.String({
  pattern: HOURS_PATTERN,
  maxLength: 200,
  'x-allowed': 'site.allowed.hours',
  description: 'Expected meeting hours, the site\'s local time: "07:30-11:30, 13:30-17:00".',
});

/** The profile's `site:`: the level is one of the known words, nothing else is allowed. */
export const SiteInfo = Type.Object(
  {
    ...siteFields(literals(SITE_LEVELS, { allowed: 'profile.allowed.enum' })),
    address: Type.Optional(Address),
    meeting_hours: Type.Optional(MeetingHours),
  },
  { additionalProperties: false },
);
export type SiteInfo = Static<typeof SiteInfo>;

/**
 * The site block of a run at the registry: what the profile sends, read
 * leniently (a newer client's level or extra fields are not refused).
 */
export const RunSite = Type.Object({
  ...siteFields(Type.String({ maxLength: 40 })),
  // The profile's address and hours, for the register (docs/sites.md, check --upload): checked as the
  // register checks them when the registry merges them, never a reason to refuse the run.
  address: Type.Optional(Type.String({ maxLength: 500 })),
  meeting_hours: Type.Optional(Type.String({ maxLength: 200 })),
});
export type RunSite = Static<typeof RunSite>;

/** Which codec a site has: the driver and the model, never how to log in (no host, user or password). */
export const SiteCodec = Type.Object(
  {
    driver: Type.String({ minLength: 1, maxLength: 40 }),
    model: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);

/**
 * PUT /v1/sites/:id: a register entry without its id (the id is in the path).
 * Contacts carry checked phone numbers and e-mail addresses; nothing secret has
 * a field here (docs/sites.md).
 */
export const SiteInput = Type.Object(
  {
    name: SiteName,
    unit: UnitPath,
    level: Type.Optional(Type.String({ maxLength: 40 })),
    address: Type.Optional(Address),
    technician: Type.Optional(Contact),
    focal_point: Type.Optional(Type.Object(Contact.properties, { additionalProperties: false })),
    codec: Type.Optional(SiteCodec),
    /** The bridge the site dials: its URI or name (sip:8001@mcu.thanhhoa.gov.vn). */
    bridge: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    meeting_hours: Type.Optional(MeetingHours),
  },
  { additionalProperties: false },
);
export type SiteInput = Static<typeof SiteInput>;

/** The register's optional fields, by name (what the store keeps as the `info` JSON). */
export const SITE_INFO_FIELDS = [
  'level',
  'address',
  'technician',
  'focal_point',
  'codec',
  'bridge',
  'meeting_hours',
] as const satisfies ReadonlyArray<keyof SiteInput>;

/**
 * The register's fields a run's site block carries (the profile's `site:`
 * block): an upload refreshes them (docs/sites.md, check --upload). The codec
 * and the bridge are not in a site block: `site push` sends those.
 */
export const RUN_REGISTER_FIELDS = [
  'level',
  'address',
  'technician',
  'focal_point',
  'meeting_hours',
] as const satisfies ReadonlyArray<(typeof SITE_INFO_FIELDS)[number]>;

/** A retired site: kept with its history, left out of reports (docs/sites.md). */
export const SiteRetired = Type.Object({
  at: DateTime,
  /** The retiring token's label. */
  by: Nullable(Type.String()),
  reason: Type.Optional(Type.String({ maxLength: 500 })),
});
export type SiteRetired = Static<typeof SiteRetired>;

/** A registered site. */
export const Site = Type.Object({
  id: SiteId,
  ...SiteInput.properties,
  retired: Type.Optional(SiteRetired),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Site = Static<typeof Site>;

/** Most entries in one PUT /v1/sites (a push of a sweep goes in batches of this). */
export const SITE_BATCH_MAX = 1000;

/** One entry of PUT /v1/sites: a register entry with its id. */
export const SiteBatchItem = Type.Object(
  { id: SiteId, ...SiteInput.properties },
  { additionalProperties: false },
);
export type SiteBatchItem = Static<typeof SiteBatchItem>;

/**
 * PUT /v1/sites: many entries in one transaction. Fields an entry leaves out
 * are kept as registered (a push from profiles does not wipe the address the
 * IT centre imported). `atomic`: one refused entry refuses them all (import).
 */
export const SiteBatch = Type.Object(
  {
    items: Type.Array(SiteBatchItem, { minItems: 1, maxItems: SITE_BATCH_MAX }),
    atomic: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type SiteBatch = Static<typeof SiteBatch>;

/** Each entry's answer, in the order sent: 201 new, 200 updated, 403 outside the token, 409 held elsewhere. */
export const SiteBatchResult = Type.Object({
  items: Type.Array(
    Type.Object({
      id: SiteId,
      status: Type.Integer(),
      site: Type.Optional(Site),
      error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
    }),
  ),
  /** How many entries were written (0 when an atomic batch was refused). */
  written: Type.Integer(),
});
export type SiteBatchResult = Static<typeof SiteBatchResult>;

/** PUT /v1/sites/:id/unit: move a site to another unit, everything else kept. */
export const SiteMoveInput = Type.Object({ unit: UnitPath }, { additionalProperties: false });
export type SiteMoveInput = Static<typeof SiteMoveInput>;

/** PUT /v1/sites/:id/retired: retire a site (a second retire keeps the first). */
export const SiteRetireInput = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);
export type SiteRetireInput = Static<typeof SiteRetireInput>;

export const SiteList = Type.Object({ items: Type.Array(Site), nextCursor: Nullable(Type.String()) });
export type SiteList = Static<typeof SiteList>;

/** A site moved from one unit to another (PUT /v1/sites/:id by a token covering both), kept for ever. */
export const SiteMove = Type.Object({
  at: DateTime,
  from: UnitPath,
  to: UnitPath,
  /** The moving token's label. */
  by: Nullable(Type.String()),
});
export type SiteMove = Static<typeof SiteMove>;

export const SiteMoveList = Type.Object({ items: Type.Array(SiteMove) });
export type SiteMoveList = Static<typeof SiteMoveList>;
