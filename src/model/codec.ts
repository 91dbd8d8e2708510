/** The profile's `codec:` block: which driver and how to reach the codec. */
import { type Static, Type } from '@sinclair/typebox';
import { Duration } from './atoms.js';
import { CODEC_DRIVERS } from './constants.js';
import { literals } from './schema-tools.js';

/** The drivers' names (src/drivers/ implements them). */
export { CODEC_DRIVERS };
export const DriverName = literals(CODEC_DRIVERS, { allowed: 'profile.allowed.enum' });
export type DriverName = Static<typeof DriverName>;

export const CodecConfig = Type.Object(
  {
    driver: DriverName,
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
export type CodecConfig = Static<typeof CodecConfig>;
