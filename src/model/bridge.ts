/** A bridge (MCU / meeting room) of the profile's `bridges:`. */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Url } from './atoms.js';
import { literals } from './schema-tools.js';

export const BridgeConfig = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String()),
    uri: Type.String({ pattern: '^(sips?:|h323:)?[^\\s]+$', 'x-allowed': 'profile.allowed.bridge_uri' }),
    protocol: Type.Optional(literals(['sip', 'h323'], { allowed: 'profile.allowed.enum' })),
    transport: Type.Optional(literals(['udp', 'tcp', 'tls'], { allowed: 'profile.allowed.enum' })),
    rate_kbps: Type.Optional(Type.Integer({ minimum: 64, maximum: 20000 })),
    web_url: Type.Optional(Url),
  },
  { additionalProperties: false },
);
export type BridgeConfig = Static<typeof BridgeConfig>;
