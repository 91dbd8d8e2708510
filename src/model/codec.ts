/** The profile's `codec:` block: which driver and how to reach the codec. */
import { type Static, Type } from '@sinclair/typebox';
import { DRIVER_NAMES } from '../drivers/table.js';
import { Duration } from './atoms.js';
import { literals } from './schema-tools.js';

/** The drivers' names: the rows of the driver table (src/drivers/table.ts). */
export const DriverName = literals(DRIVER_NAMES, { allowed: 'profile.allowed.enum' });
export type DriverName = Static<typeof DriverName>;

/**
 * How to reach the codec, whatever its driver: what a driver is opened with.
 * Apart from `driver` so that the driver table (which names the drivers) can
 * take it without its type going round through the driver names.
 */
export const CodecAccess = Type.Object(
  {
    host: Type.Optional(Type.String({ minLength: 1 })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    scheme: Type.Optional(literals(['http', 'https'], { allowed: 'profile.allowed.enum' })),
    username: Type.Optional(Type.String()),
    password: Type.Optional(
      Type.String({ description: 'Use ${CODEC_PASSWORD}; never write the password itself.' }),
    ),
    auth: Type.Optional(literals(['basic', 'session'], { allowed: 'profile.allowed.enum' })),
    insecure_tls: Type.Optional(Type.Boolean({ description: 'Accept a self-signed certificate.' })),
    timeout: Type.Optional(Duration),
  },
  { additionalProperties: false },
);
export type CodecAccess = Static<typeof CodecAccess>;

export const CodecConfig = Type.Object(
  { driver: DriverName, ...CodecAccess.properties },
  { additionalProperties: false },
);
export type CodecConfig = Static<typeof CodecConfig>;
