/**
 * Schema atoms shared by the check kinds and the profile schema. They live
 * here, not in src/profile/schema.ts, because schema.ts imports the kind
 * registry (src/checks/index.ts) and the kinds need these atoms: one module
 * both sides import keeps the graph free of cycles.
 *
 * `x-allowed` names the catalogue message that says, in the user's language,
 * what is allowed (see src/profile/errors.ts).
 */
import { type TNumber, type TOptional, Type } from '@sinclair/typebox';
import { Duration } from '../model/atoms.js';
import { literals } from '../model/schema-tools.js';

export { Duration };

export const Limit = (description: string) => Type.Number({ minimum: 0, description });

/** One of a fixed list of words, with the list in the error message. */
export const oneOf = <const T extends readonly string[]>(values: T, description?: string) =>
  literals(values, { allowed: 'profile.allowed.enum', ...(description ? { description } : {}) });

/**
 * A host name, IPv4 or IPv6 literal (an IPv6 zone such as fe80::1%eth0 is
 * allowed). It never starts with "-": the value is handed to programs such
 * as ping as an argument, and a leading dash would read as an option.
 */
export const HOST_PATTERN = '^[A-Za-z0-9_:.%\\[\\]][A-Za-z0-9_:.%\\[\\]-]{0,253}$';

export const Host = Type.String({
  pattern: HOST_PATTERN,
  'x-allowed': 'net.allowed.host',
  description: 'A host name or an IP address (IPv4 or IPv6).',
});

export const Port = Type.Integer({ minimum: 1, maximum: 65535, description: 'A TCP/UDP port, 1–65535.' });

/** Optional warn/fail limits on the named metrics (metric → description), one object per level. */
export function Limits<K extends string>(metrics: Record<K, string>) {
  const props = {} as Record<K, TOptional<TNumber>>;
  for (const k of Object.keys(metrics) as K[]) props[k] = Type.Optional(Limit(metrics[k]));
  return Type.Optional(Type.Object(props, { additionalProperties: false }));
}
