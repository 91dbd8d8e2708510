/** Turn TypeBox validation errors into one line in the user's language. */
import type { TSchema } from '@sinclair/typebox';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import type { MessageKey, Translator } from '../i18n/index.js';

const TYPE_NAMES: Partial<Record<ValueErrorType, MessageKey>> = {
  [ValueErrorType.Number]: 'profile.type.number',
  [ValueErrorType.Integer]: 'profile.type.integer',
  [ValueErrorType.String]: 'profile.type.string',
  [ValueErrorType.Boolean]: 'profile.type.boolean',
  [ValueErrorType.Array]: 'profile.type.array',
  [ValueErrorType.Object]: 'profile.type.object',
};

export function show(value: unknown): string {
  if (value === undefined) return '—';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** The JSON pointer `/checks/3/warn/rtt_ms` as path segments (numbers for array indexes). */
export function pointerToPath(pointer: string): Array<string | number> {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function describe(error: ValueError, t: Translator): string {
  const schema = error.schema as TSchema & Record<string, unknown>;
  const got = show(error.value);
  const allowedKey = schema['x-allowed'] as MessageKey | undefined;
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return t('profile.err.required');
    case ValueErrorType.ObjectAdditionalProperties: {
      const props = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
      return t('profile.err.unknown_field', { allowed: props.join(', ') });
    }
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return t('profile.err.min', { min: String(schema.minimum), got });
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return t('profile.err.max', { max: String(schema.maximum), got });
    case ValueErrorType.StringMinLength:
      return t('profile.err.empty');
    case ValueErrorType.StringMaxLength:
      return t('profile.err.max_length', {
        max: String(schema.maxLength),
        length: typeof error.value === 'string' ? error.value.length : got,
      });
    case ValueErrorType.ArrayMinItems:
      return t('profile.err.min_items', { min: String(schema.minItems) });
    default: {
      if (allowedKey) return t(allowedKey, { values: String(schema['x-values'] ?? ''), got });
      const typeKey = TYPE_NAMES[error.type];
      if (typeKey) return t('profile.err.type', { expected: t(typeKey), got });
      if (error.type === ValueErrorType.StringPattern)
        return t('profile.err.pattern', { pattern: String(schema.pattern), got });
      if (error.type === ValueErrorType.Literal)
        return t('profile.err.literal', { values: show(schema.const), got });
      return `${error.message} (${got})`;
    }
  }
}

/**
 * The most useful error of a batch: a missing field or wrong type over the
 * union summary TypeBox adds, and the deepest path first.
 */
export function pickError(errors: ValueError[]): ValueError | undefined {
  return [...errors].sort((a, b) => b.path.split('/').length - a.path.split('/').length)[0];
}
