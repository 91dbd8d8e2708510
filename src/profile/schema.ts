/**
 * The profile schema, composed from the check kinds' params schemas. It is the
 * one source for validation (TypeBox) and for `diemcau profile schema` (JSON
 * Schema draft 2020-12, for editors).
 *
 * `x-allowed` on a schema names the catalogue message that says what is
 * allowed there, in the user's language; it is stripped from the export.
 */
import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import { checkKinds } from '../checks/index.js';
import { Duration, Limit } from '../checks/params.js';
import { DRIVER_NAMES } from '../drivers/table.js';

export const SITE_LEVELS = ['trung_uong', 'tinh', 'huyen', 'xa', 'so_nganh'] as const;

const literals = <T extends readonly string[]>(values: T, allowed: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { 'x-allowed': allowed, 'x-values': values.join(', ') },
  );

// Duration and Limit live in src/checks/params.ts (the kinds need them and this file imports the kinds).
export { Duration, Limit };

const Id = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
  'x-allowed': 'profile.allowed.id',
  description: 'Lower-case letters, digits, ".", "_" and "-"; at most 64 characters.',
});

const UnitPath = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$',
  'x-allowed': 'profile.allowed.unit',
  description: 'Hierarchy path, e.g. thanh-hoa/bim-son/ubnd (lower case, no diacritics, "/" between levels).',
});

export const Site = Type.Object(
  {
    id: Id,
    name: Type.String({ minLength: 1 }),
    unit: UnitPath,
    level: Type.Optional(literals(SITE_LEVELS, 'profile.allowed.enum')),
    technician: Type.Optional(
      Type.Object(
        { name: Type.String({ minLength: 1 }), phone: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    focal_point: Type.Optional(
      Type.Object(
        { name: Type.String({ minLength: 1 }), phone: Type.Optional(Type.String()) },
        { additionalProperties: false, description: 'Đầu mối: whom to call at the provincial IT centre.' },
      ),
    ),
  },
  { additionalProperties: false },
);

export const Registry = Type.Object(
  {
    url: Type.String({ pattern: '^https?://', 'x-allowed': 'profile.allowed.url' }),
    token: Type.Optional(Type.String({ description: 'Use ${DIEMCAU_TOKEN}; never write the token itself.' })),
  },
  { additionalProperties: false },
);

export const Codec = Type.Object(
  {
    driver: literals(DRIVER_NAMES, 'profile.allowed.enum'),
    host: Type.Optional(Type.String({ minLength: 1 })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    scheme: Type.Optional(literals(['http', 'https'] as const, 'profile.allowed.enum')),
    username: Type.Optional(Type.String()),
    password: Type.Optional(
      Type.String({ description: 'Use ${CODEC_PASSWORD}; never write the password itself.' }),
    ),
    auth: Type.Optional(literals(['basic', 'session'] as const, 'profile.allowed.enum')),
    insecure_tls: Type.Optional(Type.Boolean({ description: 'Accept a self-signed certificate.' })),
    timeout: Type.Optional(Duration),
  },
  { additionalProperties: false },
);

export const Bridge = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String()),
    uri: Type.String({ pattern: '^(sips?:|h323:)?[^\\s]+$', 'x-allowed': 'profile.allowed.bridge_uri' }),
    protocol: Type.Optional(literals(['sip', 'h323'] as const, 'profile.allowed.enum')),
    transport: Type.Optional(literals(['udp', 'tcp', 'tls'] as const, 'profile.allowed.enum')),
    rate_kbps: Type.Optional(Type.Integer({ minimum: 64, maximum: 20000 })),
    web_url: Type.Optional(Type.String({ pattern: '^https?://', 'x-allowed': 'profile.allowed.url' })),
  },
  { additionalProperties: false },
);

/** Fields every check has, whatever its kind. */
export const commonCheckFields = {
  id: Id,
  title: Type.Optional(Type.String({ description: 'A human name for the check.' })),
  required: Type.Optional(
    Type.Boolean({ description: 'Default true; a failing non-required check only degrades.' }),
  ),
  timeout: Type.Optional(Duration),
  retries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  needs: Type.Optional(Type.Array(Id, { description: 'Ids of checks that must pass first.' })),
  remote: Type.Optional(Type.Boolean({ description: 'Override whether the check can run off-site.' })),
  skip: Type.Optional(
    Type.String({
      minLength: 1,
      description: 'Do not run this check; say why (e.g. "camera sent for repair").',
    }),
  ),
};

export const COMMON_CHECK_KEYS = new Set(['kind', ...Object.keys(commonCheckFields)]);

/** The full schema of one check of a kind: common fields + the kind's params. */
export function checkSchema(kind: { kind: string; params: TObject }): TObject {
  return Type.Object(
    { ...commonCheckFields, kind: Type.Literal(kind.kind), ...kind.params.properties },
    { additionalProperties: false, title: kind.kind },
  );
}

export const checkSchemas: ReadonlyMap<string, TObject> = new Map(
  checkKinds.map((k) => [k.kind, checkSchema(k)] as const),
);

export const KIND_NAMES = checkKinds.map((k) => k.kind);

/** The top level, with checks as opaque objects: each check is validated by its own kind's schema. */
export const ProfileTop = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    extends: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    site: Site,
    locale: Type.Optional(literals(['vi', 'en'] as const, 'profile.allowed.enum')),
    registry: Type.Optional(Registry),
    codec: Type.Optional(Codec),
    bridges: Type.Optional(Type.Array(Bridge)),
    ffmpeg: Type.Optional(Type.String({ description: 'Path to ffmpeg when it is not on PATH.' })),
    meeting: Type.Optional(
      Type.Object(
        { length: Type.Optional(Duration) },
        { additionalProperties: false, description: 'The meeting this checklist prepares for.' },
      ),
    ),
    check_defaults: Type.Optional(
      Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown()), {
        description:
          'Per kind, fields every check of that kind gets unless it sets them (province thresholds).',
      }),
    ),
    checks: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))),
  },
  { additionalProperties: false },
);

/** A defaults file (what `extends:` points at) may leave out `site`. */
export const DEFAULTS_KEYS = new Set(Object.keys(ProfileTop.properties));

const strip = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(strip);
  if (schema && typeof schema === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(schema)) if (!k.startsWith('x-')) out[k] = strip(v);
    return out;
  }
  return schema;
};

/** JSON Schema draft 2020-12 of a site profile, for editors and other tools. */
export function exportJsonSchema(version: string): Record<string, unknown> {
  const checkItem = {
    type: 'object',
    required: ['id', 'kind'],
    properties: { kind: { enum: KIND_NAMES } },
    allOf: [...checkSchemas.entries()].map(([kind, schema]) => ({
      if: { properties: { kind: { const: kind } } },
      then: schema,
    })),
  };
  const top = strip(JSON.parse(JSON.stringify(ProfileTop))) as Record<string, unknown>;
  const props = top.properties as Record<string, unknown>;
  props.checks = { type: 'array', items: strip(JSON.parse(JSON.stringify(checkItem))) };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://diemcau.invalid/schema/profile-${version}.json`,
    title: 'diemcau site profile',
    description: 'One YAML file per site (điểm cầu). See docs/profiles.md.',
    ...top,
  };
}

export type { TSchema };
