/**
 * Schema atoms every shape shares. One schema serves the profile and the
 * registry API: `x-allowed` names the catalogue message the profile's errors
 * show (src/profile/errors.ts), the length limits are the API's; documents
 * for others drop the `x-` keys (schema-tools.ts).
 */
import { Type } from '@sinclair/typebox';
import { DURATION_PATTERN, EMAIL_PATTERN, ID_PATTERN, UNIT_PATTERN, VN_PHONE_PATTERN } from './constants.js';

/** Id of a site, check or bridge. */
export const Id = Type.String({
  pattern: ID_PATTERN,
  'x-allowed': 'profile.allowed.id',
  description: 'Lower-case letters, digits, ".", "_" and "-"; at most 64 characters.',
});

export const SiteId = Type.String({
  pattern: ID_PATTERN,
  'x-allowed': 'profile.allowed.id',
  description: 'Site id: lower-case letters, digits, ".", "_" and "-"; at most 64 characters.',
});

export const UnitPath = Type.String({
  pattern: UNIT_PATTERN,
  maxLength: 200,
  'x-allowed': 'profile.allowed.unit',
  description: 'Hierarchy path, e.g. thanh-hoa/bim-son/ubnd (lower case, no diacritics, "/" between levels).',
});

/** A unit prefix in a query: a unit path, or empty for everything the token may see. */
export const UnitPrefix = Type.String({
  pattern: `^(${UNIT_PATTERN.slice(1, -1)})?$`,
  maxLength: 200,
  description: 'Unit prefix: the unit and everything under it, by whole path segments.',
});

export const DateTime = Type.String({
  format: 'date-time',
  description: 'RFC 3339 time with a zone, e.g. 2025-07-01T07:30:00+07:00',
});

export const Duration = Type.Union(
  [Type.String({ pattern: DURATION_PATTERN }), Type.Number({ minimum: 0 })],
  {
    'x-allowed': 'profile.allowed.duration',
    description: 'A duration: "500ms", "3s", "45m", "1h", or a number of seconds.',
  },
);

export const Url = Type.String({ pattern: '^https?://', 'x-allowed': 'profile.allowed.url' });

export const Email = Type.String({
  pattern: EMAIL_PATTERN,
  maxLength: 254,
  'x-allowed': 'site.allowed.email',
  description: 'An e-mail address, e.g. ktv.bimson@thanhhoa.gov.vn',
});

/** A Vietnamese phone number (docs/sites.md): 0912 345 678, (0237) 385 0000, +84 912 345 678. */
export const VnPhone = Type.String({
  pattern: VN_PHONE_PATTERN,
  maxLength: 40,
  'x-allowed': 'site.allowed.phone',
  description: 'A Vietnamese phone number: 0 or +84 and 9–10 digits; spaces, dots and dashes allowed.',
});

/**
 * Whom to call: a technician, a focal point, a reporter. `phone` stays free
 * text here (runs and incidents of older profiles keep being taken); the site
 * register checks it (Contact below). `zalo` is the phone number the person's
 * Zalo account is on, when it is not `phone`.
 */
export const Person = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.Optional(Type.String({ maxLength: 40 })),
    email: Type.Optional(Email),
    zalo: Type.Optional(VnPhone),
  },
  { additionalProperties: false },
);

/** A person in the site register (docs/sites.md): as Person, with a Vietnamese phone number. */
export const Contact = Type.Object(
  { ...Person.properties, phone: Type.Optional(VnPhone) },
  { additionalProperties: false },
);

/** A check or a run lasting longer than a day is a broken clock or a broken client (docs/registry-api.md). */
export const MAX_DURATION_MS = 86_400_000;
export const DurationMs = Type.Integer({ minimum: 0, maximum: MAX_DURATION_MS });
