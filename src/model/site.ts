/**
 * A site (điểm cầu): the profile's `site:` block, the site block of a run
 * sent to the registry, and a registered site.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { DateTime, Person, SiteId, UnitPath } from './atoms.js';
import { SITE_LEVELS } from './constants.js';
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

/** The profile's `site:`: the level is one of the known words, nothing else is allowed. */
export const SiteInfo = Type.Object(siteFields(literals(SITE_LEVELS, { allowed: 'profile.allowed.enum' })), {
  additionalProperties: false,
});
export type SiteInfo = Static<typeof SiteInfo>;

/**
 * The site block of a run at the registry: what the profile sends, read
 * leniently (a newer client's level or extra fields are not refused).
 */
export const RunSite = Type.Object(siteFields(Type.String({ maxLength: 40 })));
export type RunSite = Static<typeof RunSite>;

const { id: _, ...withoutId } = RunSite.properties;
/** PUT /v1/sites/:id: the site block without its id (the id is in the path). */
export const SiteInput = Type.Object(withoutId, { additionalProperties: false });
export type SiteInput = Static<typeof SiteInput>;

/** A registered site. */
export const Site = Type.Object({
  id: SiteId,
  ...SiteInput.properties,
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type Site = Static<typeof Site>;

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
