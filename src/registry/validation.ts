/**
 * Request validation with TypeBox's compiler instead of Fastify's default Ajv
 * setup, which coerces body types ("5" → 5) and silently drops unknown
 * fields. Here bodies are checked strictly; query strings and path params are
 * converted from text first (they are always text). The first error becomes a
 * 400 that names the field as a path such as `checks[0].status`.
 */
import { type TSchema, TypeGuard } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { FormatRegistry } from '@sinclair/typebox/type';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';
import { ApiError, type ErrorParams } from './http-error.js';

/** The number in `len` ASCII digits of `v` from `at`, or -1 when one of them is not a digit. */
function digits(v: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = v.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    n = n * 10 + c;
  }
  return n;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const leap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/**
 * An RFC 3339 time that names a real instant (`YYYY-MM-DDTHH:MM:SS`, up to
 * nine digits of fraction, `Z` or `±HH:MM`; T and Z in either case):
 * `Date.parse` alone moves 2026-02-30 to 2 March and T24:00 to the next day,
 * so the fields are checked against the calendar (no leap seconds). Read
 * character by character, without a regular expression or a Date: every run
 * carries nine of these times (bench/README.md, ingest).
 */
export function isDateTime(v: string): boolean {
  if (v.length < 20 || v[4] !== '-' || v[7] !== '-' || v[13] !== ':' || v[16] !== ':') return false;
  if (v[10] !== 'T' && v[10] !== 't') return false;
  const y = digits(v, 0, 4);
  const mo = digits(v, 5, 2);
  const d = digits(v, 8, 2);
  const h = digits(v, 11, 2);
  const mi = digits(v, 14, 2);
  const s = digits(v, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    return false;
  if (d > (mo === 2 && leap(y) ? 29 : (DAYS_IN_MONTH[mo - 1] as number))) return false;
  let i = 19;
  if (v[i] === '.') {
    const from = ++i;
    while (i < v.length && digits(v, i, 1) >= 0) i++;
    if (i === from || i - from > 9) return false;
  }
  const zone = v[i];
  if (zone === 'Z' || zone === 'z') return i + 1 === v.length;
  if (zone !== '+' && zone !== '-') return false;
  if (i + 6 !== v.length || v[i + 3] !== ':') return false;
  const oh = digits(v, i + 1, 2);
  const om = digits(v, i + 4, 2);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
}
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', isDateTime);

/** `/checks/0/status` → `checks[0].status`. */
export function fieldPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** What is wrong, in the server's English, and as params a client words itself (docs/registry-api.md, errors). */
function describe(e: ValueError): [string, ErrorParams] {
  const s = e.schema as Record<string, unknown>;
  const why = (w: string, text: string, extra: ErrorParams = {}): [string, ErrorParams] => [
    text,
    { why: w, ...extra },
  ];
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return why('required', 'is required');
    case ValueErrorType.ObjectAdditionalProperties:
      return why('unknown_field', 'is not a known field');
    case ValueErrorType.Union: {
      const values = (s.anyOf as Array<Record<string, unknown>> | undefined)?.map((x) => x.const);
      if (values?.every((v) => v !== undefined))
        return why('one_of', `must be one of: ${values.join(', ')}`, { values: values.join(', ') });
      return why('type', 'has the wrong type');
    }
    case ValueErrorType.StringFormat:
      return s.format === 'date-time'
        ? why('date_time', 'must be a date-time such as 2025-07-01T07:30:00+07:00')
        : why('format', `must be a ${String(s.format)}`, { format: String(s.format) });
    case ValueErrorType.StringMaxLength:
      return why('max_length', `must be at most ${String(s.maxLength)} characters`, {
        n: String(s.maxLength),
      });
    case ValueErrorType.StringMinLength:
      return s.minLength === 1
        ? why('empty', 'must not be empty')
        : why('min_length', `must be at least ${String(s.minLength)} characters`, { n: String(s.minLength) });
    case ValueErrorType.StringPattern:
      return why('pattern', `must match ${String(s.pattern)}`);
    case ValueErrorType.ArrayMaxItems:
      return why('max_items', `must have at most ${String(s.maxItems)} items`, { n: String(s.maxItems) });
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return why('minimum', `must be at least ${String(s.minimum)}`, { n: String(s.minimum) });
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return why('maximum', `must be at most ${String(s.maximum)}`, { n: String(s.maximum) });
    case ValueErrorType.Integer:
      return why('integer', 'must be a whole number');
    case ValueErrorType.Number:
      return why('number', 'must be a number');
    case ValueErrorType.String:
      return why('text', 'must be text');
    case ValueErrorType.Boolean:
      return why('boolean', 'must be true or false');
    case ValueErrorType.Array:
      return why('list', 'must be a list');
    case ValueErrorType.Object:
      return why('object', 'must be an object');
    case ValueErrorType.Literal:
      return why('literal', `must be ${JSON.stringify(s.const)}`, { value: JSON.stringify(s.const) });
    default:
      return [e.message.charAt(0).toLowerCase() + e.message.slice(1), {}];
  }
}

const PARTS = ['body', 'querystring', 'params', 'headers'] as const;
type Part = (typeof PARTS)[number];
const partOf = (httpPart: string | undefined): Part => PARTS.find((p) => p === httpPart) ?? 'body';

/** The field name as the client knows it: body paths, query and path parameter names, header names. */
function fieldName(part: Part, e: ValueError): string {
  const path = fieldPath(e.path);
  if (part === 'headers')
    return path.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
  if (part === 'body') return path || 'body';
  return path || part;
}

/** The first error, or the missing-body error. */
export function firstError(check: TypeCheck<TSchema>, part: Part, value: unknown): ApiError {
  if (part === 'body' && (value === undefined || value === null))
    return new ApiError(400, 'bad_request', 'body: a JSON body is required', 'body');
  const e = check.Errors(value).First();
  if (!e) return new ApiError(400, 'bad_request', `${part}: invalid`, part);
  // A missing required property is reported at the property's path.
  const field = fieldName(part, e);
  const [text, params] = describe(e);
  return new ApiError(400, 'bad_request', `${field}: ${text}`, field, params);
}

const cache = new WeakMap<object, TypeCheck<TSchema>>();
function compiled(schema: TSchema): TypeCheck<TSchema> {
  let c = cache.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    cache.set(schema, c);
  }
  return c;
}

/** Fastify validatorCompiler. */
export const typeboxValidator: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  if (!TypeGuard.IsSchema(schema)) throw new Error('route schemas must be TypeBox schemas');
  const check = compiled(schema);
  const part = partOf(httpPart);
  if (part === 'body') {
    return (data: unknown) =>
      check.Check(data) ? { value: data } : { error: firstError(check, part, data) };
  }
  const integers = Object.entries((schema as { properties?: Record<string, TSchema> }).properties ?? {})
    .filter(([, p]) => TypeGuard.IsInteger(p))
    .map(([k]) => k);
  return (data: unknown) => {
    // Text from the URL: convert to the schema's types (integers) before checking. Convert reads
    // numbers like parseInt ("0x10" → 16, "1.5" → 1): an integer must be plain decimal digits.
    const raws = integers.map((k) => (data as Record<string, unknown> | null)?.[k]);
    const value = Value.Convert(schema, data) as Record<string, unknown>;
    integers.forEach((k, i) => {
      const raw = raws[i];
      if (typeof raw === 'string' && !/^-?\d{1,15}$/.test(raw)) value[k] = raw;
    });
    return check.Check(value) ? { value } : { error: firstError(check, part, value) };
  };
};

/** Check a value against a schema the way a route checks its body: the first error as a 400, or undefined. */
export function bodyError(schema: TSchema, value: unknown): ApiError | undefined {
  const check = compiled(schema);
  return check.Check(value) ? undefined : firstError(check, 'body', value);
}
