/** The few schema builders the model needs, on TypeBox alone. */
import {
  type SchemaOptions,
  type TLiteral,
  type TNull,
  type TSchema,
  type TUnion,
  Type,
} from '@sinclair/typebox';

/**
 * One of a fixed list of words, typed as the union of the words. With
 * `allowed`, the profile's error messages name the words (src/profile/errors.ts
 * reads `x-allowed` and `x-values`).
 */
export function literals<const T extends readonly string[]>(
  values: T,
  options: SchemaOptions & { allowed?: string } = {},
): TUnion<TLiteral<T[number]>[]> {
  const { allowed, ...rest } = options;
  return Type.Union(
    values.map((v) => Type.Literal(v)),
    allowed ? { 'x-allowed': allowed, 'x-values': values.join(', '), ...rest } : rest,
  );
}

export const Nullable = <T extends TSchema>(schema: T): TUnion<[T, TNull]> =>
  Type.Union([schema, Type.Null()]);

/** A plain JSON copy without the `x-` annotations: for documents others read (JSON Schema, OpenAPI). */
export function withoutAnnotations<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema), (key, value) => (key.startsWith('x-') ? undefined : value));
}
