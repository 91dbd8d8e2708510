/**
 * The profile schema, composed from the check kinds' params schemas. It is the
 * one source for validation (TypeBox) and for `diemcau profile schema` (JSON
 * Schema draft 2020-12, for editors).
 *
 * `x-allowed` on a schema names the catalogue message that says what is
 * allowed there, in the user's language; it is stripped from the export.
 */
import { type Static, type TObject, Type } from '@sinclair/typebox';
import { KIND_NAMES, loadKind } from '../checks/index.js';
import { Duration, Id, Url } from '../model/atoms.js';
import { BridgeConfig } from '../model/bridge.js';
import { CodecConfig } from '../model/codec.js';
import { LOCALES } from '../model/constants.js';
import { literals, withoutAnnotations } from '../model/schema-tools.js';
import { SiteInfo } from '../model/site.js';

export const Registry = Type.Object(
  {
    url: Url,
    token: Type.Optional(Type.String({ description: 'Use ${DIEMCAU_TOKEN}; never write the token itself.' })),
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

/** The full schema of one check of a kind: common fields + the kind's params. */
export function checkSchema(kind: { kind: string; params: TObject }) {
  return Type.Object(
    { ...commonCheckFields, kind: Type.Literal(kind.kind), ...kind.params.properties },
    { additionalProperties: false, title: kind.kind },
  );
}

/** What every valid check has, whatever its kind (its own fields are read by the kind). */
export type CheckFields = Static<ReturnType<typeof checkSchema>>;

export { KIND_NAMES };

export type CheckSchema = ReturnType<typeof checkSchema>;
const schemas = new Map<string, CheckSchema>();

/**
 * The schema of a check of this kind, its kind loaded the first time (a
 * profile validates only the kinds it uses); undefined when no kind has the name.
 */
export async function loadCheckSchema(name: string): Promise<CheckSchema | undefined> {
  const known = schemas.get(name);
  if (known) return known;
  const kind = await loadKind(name);
  if (!kind) return undefined;
  const schema = checkSchema(kind);
  schemas.set(name, schema);
  return schema;
}

/** The top level, with checks as opaque objects: each check is validated by its own kind's schema. */
export const ProfileTop = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    extends: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
    site: SiteInfo,
    locale: Type.Optional(literals(LOCALES, { allowed: 'profile.allowed.enum' })),
    registry: Type.Optional(Registry),
    codec: Type.Optional(CodecConfig),
    bridges: Type.Optional(Type.Array(BridgeConfig)),
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
    checks: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
  },
  { additionalProperties: false },
);

/** A profile as validated, before its checks are normalised (src/profile/types.ts). */
export type ProfileDocument = Static<typeof ProfileTop>;

/** JSON Schema draft 2020-12 of a site profile, for editors and other tools. */
export async function exportJsonSchema(version: string): Promise<Record<string, unknown>> {
  const checkItem = {
    type: 'object',
    required: ['id', 'kind'],
    properties: { kind: { enum: KIND_NAMES } },
    allOf: await Promise.all(
      KIND_NAMES.map(async (kind) => ({
        if: { properties: { kind: { const: kind } } },
        then: await loadCheckSchema(kind),
      })),
    ),
  };
  const top = withoutAnnotations(ProfileTop);
  const properties = { ...top.properties, checks: { type: 'array', items: withoutAnnotations(checkItem) } };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://diemcau.invalid/schema/profile-${version}.json`,
    title: 'diemcau site profile',
    description: 'One YAML file per site (điểm cầu). See docs/profiles.md.',
    ...top,
    properties,
  };
}
